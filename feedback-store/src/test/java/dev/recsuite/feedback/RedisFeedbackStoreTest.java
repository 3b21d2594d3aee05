package dev.recsuite.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract on the Redis store, against a real server (see {@link RedisTestServer}: skipped
 * locally without one, failed on CI). Each test writes under its own key prefix and deletes it.
 */
class RedisFeedbackStoreTest extends FeedbackStoreContractTest {

  private String uri;
  private final List<String> prefixes = new ArrayList<>();
  private String prefix;

  @BeforeEach
  void locateServer() {
    uri = RedisTestServer.uri();
    prefix = RedisTestServer.newPrefix();
    prefixes.add(prefix);
  }

  @AfterEach
  void deleteKeys() {
    closeStores();
    for (String p : prefixes) {
      RedisTestServer.deleteKeys(uri, p);
    }
  }

  @Override
  FeedbackStoreConfig config() {
    return FeedbackStoreConfig.redis(uri).withRedisKeyPrefix(prefix);
  }

  @Override
  List<String> childArguments(FeedbackStoreConfig config) {
    return List.of("redis", config.redisUri(), config.redisKeyPrefix());
  }

  @Test
  void prefixes_separateStoresOnOneServer() {
    FeedbackStore first = open();
    String otherPrefix = RedisTestServer.newPrefix();
    prefixes.add(otherPrefix);
    FeedbackStore second = open(config().withRedisKeyPrefix(otherPrefix));

    first.append(click("e1", "u1", "m1", T0));

    assertThat(first.eventCount()).isEqualTo(1);
    assertThat(second.eventCount()).isZero();
    assertThat(second.append(click("e1", "u1", "m1", T0))).isEqualTo(AppendOutcome.STORED);
  }

  @Test
  void twoStoresOnOnePrefix_actAsReplicasOfOneStore() {
    FeedbackStore replicaA = open();
    FeedbackStore replicaB = open();

    replicaA.append(click("e1", "u1", "m1", T0));

    assertThat(replicaB.append(click("e1", "u1", "m1", T0))).isEqualTo(AppendOutcome.DUPLICATE);
    assertThat(replicaB.user("u1").recentItemIds()).containsExactly("m1");
  }

  @Test
  void append_afterTheServerLostItsScripts_loadsThemAgain() {
    FeedbackStore store = open();
    store.append(click("e1", "u1", "m1", T0));
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().scriptFlush(); // what a restart without persistence of the script cache does
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    assertThat(store.append(click("e2", "u1", "m2", T0))).isEqualTo(AppendOutcome.STORED);
    assertThat(store.user("u1").recentItemIds()).containsExactly("m1", "m2");
  }

  @Test
  void open_noServerListening_failsNamingTheAddress() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // free once closed: nothing listens there
    }
    FeedbackStoreConfig config = FeedbackStoreConfig.redis("redis://127.0.0.1:" + port).withRedisKeyPrefix(prefix);

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(FeedbackStoreException.class)
        .hasMessageStartingWith("cannot connect to Redis at redis://127.0.0.1:" + port);
  }
}
