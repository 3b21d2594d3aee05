package dev.recsuite.feedback;

import dev.recsuite.feedback.internal.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link FeedbackStore}: which implementation, where, and the shape of the online
 * aggregates. Immutable and validated when created; start from {@link #embedded(Path)} or {@link
 * #redis(String)} and change the rest with the {@code with...} methods:
 *
 * <pre>{@code
 * FeedbackStoreConfig config = FeedbackStoreConfig.redis("redis://10.0.0.5:6379/2")
 *     .withRecentWindow(50)
 *     .withPopularityHalfLife(Duration.ofHours(6));
 * }</pre>
 *
 * @param type which implementation
 * @param path the embedded store's directory (created if missing); required for {@link
 *     StoreType#EMBEDDED}, ignored for Redis
 * @param redisUri the Redis server, {@code redis://[password@]host[:port][/database]} or {@code
 *     rediss://...} for TLS; required for {@link StoreType#REDIS}, ignored for the embedded store
 * @param redisKeyPrefix the prefix of every Redis key, 1 to 64 characters without whitespace or
 *     control characters; default {@value #DEFAULT_REDIS_KEY_PREFIX}. Several suites may share one
 *     Redis database with distinct prefixes
 * @param redisTimeout the timeout of one Redis command, 100 ms to 5 min; default 5 s
 * @param recentWindow how many recent items a user keeps, 1 to 1000; default {@value
 *     #DEFAULT_RECENT_WINDOW}
 * @param dislikedWindow how many disliked items a user keeps, 1 to 10000; default {@value
 *     #DEFAULT_DISLIKED_WINDOW}
 * @param popularityHalfLife after how long an event counts half in an item's popularity, 1 s to 365
 *     days; default 24 h
 * @param maxClockSkew how far after the store clock an event's timestamp may lie, 0 to 1 h;
 *     default 5 min
 * @param maxEventAge how far before the store clock an event's timestamp may lie, 1 min to 3650
 *     days; default 30 days. Older history belongs in the training data, not in real-time feedback
 */
public record FeedbackStoreConfig(
    StoreType type,
    Path path,
    String redisUri,
    String redisKeyPrefix,
    Duration redisTimeout,
    int recentWindow,
    int dislikedWindow,
    Duration popularityHalfLife,
    Duration maxClockSkew,
    Duration maxEventAge) {

  /** Default {@link #recentWindow()}: the feature service's window of recent items. */
  public static final int DEFAULT_RECENT_WINDOW = 20;

  /** Default {@link #dislikedWindow()}. */
  public static final int DEFAULT_DISLIKED_WINDOW = 100;

  /** Default {@link #redisKeyPrefix()}. */
  public static final String DEFAULT_REDIS_KEY_PREFIX = "recsuite:feedback:";

  /** Default {@link #redisTimeout()}. */
  public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(5);

  /** Default {@link #popularityHalfLife()}. */
  public static final Duration DEFAULT_POPULARITY_HALF_LIFE = Duration.ofHours(24);

  /** Default {@link #maxClockSkew()}. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  /** Default {@link #maxEventAge()}. */
  public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(30);

  /**
   * Validates the configuration.
   *
   * @throws IllegalArgumentException naming the bad value, e.g. {@code recentWindow: 0 (expected:
   *     1..1000)} or {@code path: required for the embedded store}
   * @throws NullPointerException if {@code type} or a duration is null
   */
  public FeedbackStoreConfig {
    Objects.requireNonNull(type, "type");
    switch (type) {
      case EMBEDDED -> {
        if (path == null) {
          throw new IllegalArgumentException("path: required for the embedded store");
        }
      }
      case REDIS -> checkRedisUri(redisUri);
    }
    Objects.requireNonNull(redisKeyPrefix, "redisKeyPrefix");
    if (redisKeyPrefix.isEmpty()
        || redisKeyPrefix.length() > 64
        || redisKeyPrefix.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "redisKeyPrefix: "
              + Text.quote(redisKeyPrefix)
              + " (expected: 1..64 characters, no whitespace or control characters)");
    }
    requireRange("redisTimeout", redisTimeout, Duration.ofMillis(100), Duration.ofMinutes(5));
    requireRange("recentWindow", recentWindow, 1, 1000);
    requireRange("dislikedWindow", dislikedWindow, 1, 10_000);
    requireRange("popularityHalfLife", popularityHalfLife, Duration.ofSeconds(1), Duration.ofDays(365));
    requireRange("maxClockSkew", maxClockSkew, Duration.ZERO, Duration.ofHours(1));
    requireRange("maxEventAge", maxEventAge, Duration.ofMinutes(1), Duration.ofDays(3650));
  }

  /**
   * The embedded store in {@code path} with every default.
   *
   * @throws NullPointerException if {@code path} is null
   */
  public static FeedbackStoreConfig embedded(Path path) {
    Objects.requireNonNull(path, "path");
    return new FeedbackStoreConfig(
        StoreType.EMBEDDED, path, null, DEFAULT_REDIS_KEY_PREFIX, DEFAULT_REDIS_TIMEOUT,
        DEFAULT_RECENT_WINDOW, DEFAULT_DISLIKED_WINDOW, DEFAULT_POPULARITY_HALF_LIFE,
        DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_EVENT_AGE);
  }

  /**
   * The Redis store at {@code redisUri} with every default.
   *
   * @throws IllegalArgumentException if the URI is not a {@code redis://} or {@code rediss://} URI
   *     with a host
   */
  public static FeedbackStoreConfig redis(String redisUri) {
    return new FeedbackStoreConfig(
        StoreType.REDIS, null, redisUri, DEFAULT_REDIS_KEY_PREFIX, DEFAULT_REDIS_TIMEOUT,
        DEFAULT_RECENT_WINDOW, DEFAULT_DISLIKED_WINDOW, DEFAULT_POPULARITY_HALF_LIFE,
        DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_EVENT_AGE);
  }

  /** This configuration with another Redis key prefix; validated as the constructor. */
  public FeedbackStoreConfig withRedisKeyPrefix(String value) {
    return new FeedbackStoreConfig(type, path, redisUri, value, redisTimeout, recentWindow,
        dislikedWindow, popularityHalfLife, maxClockSkew, maxEventAge);
  }

  /** This configuration with another Redis command timeout; validated as the constructor. */
  public FeedbackStoreConfig withRedisTimeout(Duration value) {
    return new FeedbackStoreConfig(type, path, redisUri, redisKeyPrefix, value, recentWindow,
        dislikedWindow, popularityHalfLife, maxClockSkew, maxEventAge);
  }

  /** This configuration with another recent-items window; validated as the constructor. */
  public FeedbackStoreConfig withRecentWindow(int value) {
    return new FeedbackStoreConfig(type, path, redisUri, redisKeyPrefix, redisTimeout, value,
        dislikedWindow, popularityHalfLife, maxClockSkew, maxEventAge);
  }

  /** This configuration with another disliked-items window; validated as the constructor. */
  public FeedbackStoreConfig withDislikedWindow(int value) {
    return new FeedbackStoreConfig(type, path, redisUri, redisKeyPrefix, redisTimeout, recentWindow,
        value, popularityHalfLife, maxClockSkew, maxEventAge);
  }

  /** This configuration with another popularity half-life; validated as the constructor. */
  public FeedbackStoreConfig withPopularityHalfLife(Duration value) {
    return new FeedbackStoreConfig(type, path, redisUri, redisKeyPrefix, redisTimeout, recentWindow,
        dislikedWindow, value, maxClockSkew, maxEventAge);
  }

  /** This configuration with another allowed clock skew; validated as the constructor. */
  public FeedbackStoreConfig withMaxClockSkew(Duration value) {
    return new FeedbackStoreConfig(type, path, redisUri, redisKeyPrefix, redisTimeout, recentWindow,
        dislikedWindow, popularityHalfLife, value, maxEventAge);
  }

  /** This configuration with another maximum event age; validated as the constructor. */
  public FeedbackStoreConfig withMaxEventAge(Duration value) {
    return new FeedbackStoreConfig(type, path, redisUri, redisKeyPrefix, redisTimeout, recentWindow,
        dislikedWindow, popularityHalfLife, maxClockSkew, value);
  }

  /** Where the store lives, for messages: the path, or the Redis URI without its password. */
  public String location() {
    return type == StoreType.EMBEDDED ? path.toString() : redactedRedisUri(redisUri);
  }

  @Override
  public String toString() {
    // The record's own toString would print the Redis password.
    return "FeedbackStoreConfig[type=%s, location=%s, redisKeyPrefix=%s, redisTimeout=%s, recentWindow=%d, dislikedWindow=%d, popularityHalfLife=%s, maxClockSkew=%s, maxEventAge=%s]"
        .formatted(type, location(), redisKeyPrefix, redisTimeout, recentWindow, dislikedWindow,
            popularityHalfLife, maxClockSkew, maxEventAge);
  }

  private static void checkRedisUri(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "redisUri: required for the Redis store (expected: redis://host[:port][/database])");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "redisUri: " + Text.quote(redactedRedisUri(value)) + " is not a URI (" + e.getReason() + ")");
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "redisUri: " + Text.quote(redactedRedisUri(value))
              + " (expected: scheme redis or rediss, e.g. redis://127.0.0.1:6379/0)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "redisUri: " + Text.quote(redactedRedisUri(value)) + " has no host (expected: redis://host[:port][/database])");
    }
    String db = uri.getPath();
    if (db != null && !db.isEmpty() && !db.equals("/") && !db.substring(1).matches("\\d{1,2}")) {
      throw new IllegalArgumentException(
          "redisUri: " + Text.quote(redactedRedisUri(value)) + " database " + Text.quote(db.substring(1))
              + " (expected: a number, e.g. /0)");
    }
  }

  private static String redactedRedisUri(String value) {
    // redis://user:secret@host -> redis://***@host; no parse, so a malformed URI is redacted too.
    int at = value.lastIndexOf('@');
    int scheme = value.indexOf("://");
    return at > 0 && scheme >= 0 && at > scheme ? value.substring(0, scheme + 3) + "***" + value.substring(at) : value;
  }

  private static void requireRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }

  private static void requireRange(String field, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          field + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
