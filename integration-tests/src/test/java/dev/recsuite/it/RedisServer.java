package dev.recsuite.it;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis server of the Redis variants: {@value #URI_ENV}, else {@value #DEFAULT_URI}, as in the
 * feedback-store tests. When none answers, the test is skipped with a message on stderr, except
 * with {@code CI=true}, where it fails (CI starts a server).
 */
final class RedisServer {

  static final String URI_ENV = "RECSUITE_REDIS_URI";
  static final String DEFAULT_URI = "redis://127.0.0.1:6379";

  private static final AtomicBoolean warned = new AtomicBoolean();

  private RedisServer() {}

  /** The server's URI; skips or fails the calling test when none answers. */
  static String uri() {
    String configured = System.getenv(URI_ENV);
    String uri = configured == null || configured.isBlank() ? DEFAULT_URI : configured;
    String problem = probe(uri);
    if (problem != null) {
      String message =
          "no Redis server answers at " + uri + " (" + problem + "); set " + URI_ENV
              + " or start one: redis-server --port 6379 --appendonly yes --appendfsync always --daemonize yes";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " [CI=true: .ci/run must start it]");
      }
      if (warned.compareAndSet(false, true)) {
        System.err.println("[integration-tests] skipping Redis tests: " + message);
      }
      Assumptions.abort(message);
    }
    return uri;
  }

  /** A fresh key prefix for one test class. */
  static String newPrefix() {
    return "recsuite-it:" + UUID.randomUUID() + ":";
  }

  /** Deletes every key under {@code prefix}. */
  static void deleteKeys(String uri, String prefix) {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(1000);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = connection.sync().scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          connection.sync().unlink(page.getKeys().toArray(new String[0]));
        }
        cursor = page;
      } while (!cursor.isFinished());
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
