package dev.recsuite.feedback;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis server the tests use: {@value #URI_ENV}, else {@value #DEFAULT_URI}. When none answers,
 * the test is skipped with a message on stderr, except with {@code CI=true}, where it fails: CI
 * starts a server (.ci/run), so its absence there is a broken build, not a missing extra. Each test
 * gets its own key prefix and deletes its keys afterwards.
 */
final class RedisTestServer {

  static final String URI_ENV = "RECSUITE_REDIS_URI";
  static final String DEFAULT_URI = "redis://127.0.0.1:6379";

  // Announced once per JVM, not per test (as MovieLensData does for the data set).
  private static final AtomicBoolean warned = new AtomicBoolean();
  // One probe per URI and JVM: a connection costs tens of milliseconds.
  private static final Map<String, Optional<String>> probes = new ConcurrentHashMap<>();

  private RedisTestServer() {}

  /** The server's URI; skips or fails the calling test as described above when none answers. */
  static String uri() {
    String configured = System.getenv(URI_ENV);
    String uri = configured == null || configured.isBlank() ? DEFAULT_URI : configured;
    String problem = probes.computeIfAbsent(uri, u -> Optional.ofNullable(probe(u))).orElse(null);
    if (problem != null) {
      String message =
          "no Redis server answers at " + uri + " (" + problem + "); set " + URI_ENV
              + " or start one: redis-server --port 6379 --appendonly yes --appendfsync always --daemonize yes";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " [CI=true: .ci/run must start it]");
      }
      if (warned.compareAndSet(false, true)) {
        System.err.println("[feedback-store tests] skipping Redis tests: " + message);
      }
      Assumptions.abort(message);
    }
    return uri;
  }

  /** A fresh key prefix for one test. */
  static String newPrefix() {
    return "recsuite-test:" + UUID.randomUUID() + ":";
  }

  /** Deletes every key under {@code prefix}; returns how many. */
  static long deleteKeys(String uri, String prefix) {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
      long deleted = 0;
      ScanArgs args = ScanArgs.Builder.matches((prefix + "*").getBytes(StandardCharsets.UTF_8)).limit(1000);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<byte[]> page = connection.sync().scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          deleted += connection.sync().unlink(page.getKeys().toArray(new byte[0][]));
        }
        cursor = page;
      } while (!cursor.isFinished());
      return deleted;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static String probe(String uri) {
    RedisURI parsed = RedisURI.create(uri);
    parsed.setTimeout(Duration.ofSeconds(2));
    RedisClient client = RedisClient.create(parsed);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return "PONG".equals(connection.sync().ping()) ? null : "PING was not answered PONG";
    } catch (RuntimeException e) {
      return e.getMessage();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
