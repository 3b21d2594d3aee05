package dev.recsuite.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.FeedbackOutcome;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.features.FeatureTablesBuilder;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.feature.FeatureServiceMain;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStores;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability test through the real feature service: {@code FeatureServiceMain} runs as a child
 * JVM with the embedded store; 4 client threads send single-event {@code RecordEvents} calls and
 * keep the ids that were acknowledged; after 400 acknowledgements the test kills the process with
 * SIGKILL, checks in the store that every acknowledged event is there (and that the per-user
 * counters agree with the events), then restarts the service on the same directory and reads the
 * same counts through {@code GetUserFeatures}. The store-level kill tests (RocksDB and Redis, the
 * Redis server itself killed too) are in feedback-store.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FeatureServiceKillTest {

  private static final Logger log = LoggerFactory.getLogger(FeatureServiceKillTest.class);
  private static final int USERS = 8;
  private static final int WANTED = 400;

  @TempDir Path root;

  @Test
  void recordEvents_acknowledgedBeforeKill9OfTheService_areAllThereAfterRestart() throws Exception {
    Path bundles = writeBundle(root.resolve("bundles"));
    Path feedback = root.resolve("feedback");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    Child first = Child.start(bundles, feedback, root.resolve("first.log"));
    try (Connection connection = first.connect()) {
      FeatureServiceGrpc.FeatureServiceBlockingStub stub = FeatureServiceGrpc.newBlockingStub(connection.channel());
      AtomicInteger next = new AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
          while (true) {
            int i = next.getAndIncrement();
            String id = "kill-" + i;
            try {
              RecordEventsResponse response =
                  stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                      .recordEvents(RecordEventsRequest.newBuilder().addEvents(event(id, i)).build());
              if (response.getOutcomes(0) == FeedbackOutcome.FEEDBACK_OUTCOME_STORED) {
                acknowledged.add(id);
              }
            } catch (StatusRuntimeException e) {
              return; // the service is gone
            }
          }
        }));
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= WANTED);
      // SIGKILL while the writers keep writing: no shutdown hook, no close of the store.
      first.process().destroyForcibly();
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (Thread writer : writers) {
        writer.join(Duration.ofSeconds(20));
      }
    } finally {
      first.process().destroyForcibly();
    }
    Set<String> acked = new LinkedHashSet<>(acknowledged);

    long stored;
    long perUser = 0;
    Set<String> present = new HashSet<>();
    try (FeedbackStore store = FeedbackStores.open(FeedbackStoreConfig.embedded(feedback))) {
      store.exportAll(event -> present.add(event.eventId()));
      stored = store.eventCount();
      for (int u = 0; u < USERS; u++) {
        perUser += store.user(user(u)).eventCount();
      }
    }
    log.info(
        "feature-service kill -9: {} events acknowledged, {} stored after the kill, {} acknowledged ones lost",
        acked.size(), stored, acked.stream().filter(id -> !present.contains(id)).count());
    Set<String> lost = new LinkedHashSet<>(acked);
    lost.removeAll(present);
    assertThat(lost).as("acknowledged before the kill, missing after it").isEmpty();
    assertThat(stored).isEqualTo(present.size()).isGreaterThanOrEqualTo(acked.size());
    // At most the calls in flight at the kill (one per writer) are stored without acknowledgement.
    assertThat(stored - acked.size()).isBetween(0L, 4L);
    assertThat(perUser).as("user counters agree with the events (atomic batches)").isEqualTo(stored);

    Child second = Child.start(bundles, feedback, root.resolve("second.log"));
    try (Connection connection = second.connect()) {
      FeatureServiceGrpc.FeatureServiceBlockingStub stub = FeatureServiceGrpc.newBlockingStub(connection.channel());
      long served = 0;
      for (int u = 0; u < USERS; u++) {
        served +=
            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId(user(u)).build())
                .getFeatures()
                .getOnline()
                .getEventCount();
      }
      assertThat(served).as("events the restarted service serves").isEqualTo(stored);
    } finally {
      second.process().destroy(); // SIGTERM: a clean stop
      second.process().waitFor(30, TimeUnit.SECONDS);
      second.process().destroyForcibly();
    }
  }

  private static FeedbackEvent event(String id, int i) {
    return FeedbackEvent.newBuilder()
        .setEventId(id)
        .setUserId(user(i % USERS))
        .setItemId(Integer.toString(1 + i % 150))
        .setType(i % 3 == 0 ? EventType.EVENT_TYPE_PURCHASE : EventType.EVENT_TYPE_CLICK)
        .setTimestamp(Timestamps.fromMillis(System.currentTimeMillis()))
        .build();
  }

  private static String user(int u) {
    return Integer.toString(1 + u);
  }

  /** A bundle with just what the feature service reads: catalogue, users, features. */
  private static Path writeBundle(Path root) throws IOException {
    Dataset train = SyntheticData.generate(SyntheticSpec.defaults().withSize(100, 150, 20));
    try (BundleWriter writer = BundleWriter.create(root, "20261201-000000-kill")) {
      BundleTables.writeData(
          writer, train, Interactions.of(train.users().size(), new int[0], new int[0], new float[0], new long[0]));
      writer.writeMessage(BundleFiles.FEATURES, new FeatureTablesBuilder(FeatureTablesBuilder.DEFAULT_RECENT_WINDOW).build(train));
      writer.commit(BundleManifest.getDefaultInstance());
    }
    return root;
  }

  /** A channel that closes. */
  private record Connection(ManagedChannel channel) implements AutoCloseable {
    @Override
    public void close() {
      channel.shutdownNow();
    }
  }

  /** {@code FeatureServiceMain} in its own JVM, on the test's class path. */
  private record Child(Process process, int port) {

    static Child start(Path bundles, Path feedback, Path log) throws IOException {
      int port = freePort();
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "--enable-native-access=ALL-UNNAMED",
              "--sun-misc-unsafe-memory-access=allow",
              "-cp",
              System.getProperty("java.class.path"),
              FeatureServiceMain.class.getName(),
              "--port", Integer.toString(port),
              "--bundle-dir", bundles.toString(),
              "--bundle-poll-interval", "0",
              "--feedback-store", "embedded",
              "--feedback-dir", feedback.toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Child child = new Child(process, port);
      try (Connection connection = child.connect()) {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(connection.channel());
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .failFast("the feature service exited (log: " + log + ")", () -> !process.isAlive())
            .until(() -> health.withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus()
                == ServingStatus.SERVING);
      } catch (RuntimeException | Error e) {
        process.destroyForcibly();
        throw e;
      }
      return child;
    }

    Connection connect() {
      return new Connection(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
    }

    /** A free loopback port (another process could take it before the child binds it). */
    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }
  }
}
