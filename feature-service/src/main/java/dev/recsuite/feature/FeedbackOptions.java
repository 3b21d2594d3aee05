package dev.recsuite.feature;

import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.grpc.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The feedback store options of the feature service, as a picocli mixin: which store ({@code
 * --feedback-store embedded|redis|none}), where ({@code --feedback-dir}, {@code --redis-uri}), and
 * the shape of the online aggregates (windows, trending half-life, accepted timestamps).
 *
 * <p>Off ({@code none}) unless chosen: a store is state that outlives the process, so a feature
 * service started only to serve a bundle (an evaluation, a test, a tool) must not create one beside
 * the bundles and read it back the next time. {@code recsuite up} passes {@code embedded} with a
 * directory under its work directory; a deployment with replicas chooses {@code redis}.
 */
public final class FeedbackOptions {

  /** The name of the {@code --feedback-dir} default, resolved beside the bundle root. */
  public static final String DEFAULT_DIRECTORY_NAME = "feedback";

  /** Default {@code --feedback-recent-window}: consumed items kept per user. */
  public static final int DEFAULT_RECENT_WINDOW = 100;

  @Option(
      names = "--feedback-store",
      paramLabel = "<type>",
      defaultValue = "none",
      description =
          "Where feedback events are stored: embedded (RocksDB in --feedback-dir; one process),"
              + " redis (--redis-uri; replicas share it) or none (RecordEvents fails with"
              + " FAILED_PRECONDITION; features come from the bundle only). recsuite up runs embedded.")
  private String store = "none";

  @Option(
      names = "--feedback-dir",
      paramLabel = "<dir>",
      description =
          "Directory of the embedded store, created if missing; one process at a time."
              + " Default: feedback beside --bundle-dir (/srv/feedback for /srv/bundles).")
  private Path directory;

  @Option(
      names = "--redis-uri",
      paramLabel = "<uri>",
      description =
          "Redis server of the redis store: redis://[:password@]host[:port][/db], or rediss:// for"
              + " TLS. The password never appears in logs or messages.")
  private String redisUri;

  @Option(
      names = "--redis-key-prefix",
      paramLabel = "<prefix>",
      defaultValue = FeedbackStoreConfig.DEFAULT_REDIS_KEY_PREFIX,
      description = "Prefix of every Redis key; suites with distinct prefixes can share one database.")
  private String redisKeyPrefix = FeedbackStoreConfig.DEFAULT_REDIS_KEY_PREFIX;

  @Option(
      names = "--redis-timeout",
      paramLabel = "<duration>",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Timeout of one Redis command (100ms..5m).")
  private Duration redisTimeout = FeedbackStoreConfig.DEFAULT_REDIS_TIMEOUT;

  @Option(
      names = "--feedback-recent-window",
      paramLabel = "<items>",
      defaultValue = "" + DEFAULT_RECENT_WINDOW,
      description =
          "Consumed items kept per user, most recent first (1..1000): they seed recall and are"
              + " never recommended to the user again.")
  private int recentWindow = DEFAULT_RECENT_WINDOW;

  @Option(
      names = "--feedback-disliked-window",
      paramLabel = "<items>",
      defaultValue = "" + FeedbackStoreConfig.DEFAULT_DISLIKED_WINDOW,
      description = "Disliked items kept per user, most recent first (1..10000).")
  private int dislikedWindow = FeedbackStoreConfig.DEFAULT_DISLIKED_WINDOW;

  @Option(
      names = "--trending-half-life",
      paramLabel = "<duration>",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description = "After how long an event counts half in an item's trending score (1s..8760h).")
  private Duration trendingHalfLife = FeedbackStoreConfig.DEFAULT_POPULARITY_HALF_LIFE;

  @Option(
      names = "--max-clock-skew",
      paramLabel = "<duration>",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "How far after this server's clock an event's timestamp may lie (0..1h); later ones are"
              + " rejected with INVALID_ARGUMENT.")
  private Duration maxClockSkew = FeedbackStoreConfig.DEFAULT_MAX_CLOCK_SKEW;

  @Option(
      names = "--max-event-age",
      paramLabel = "<duration>",
      defaultValue = "720h",
      converter = DurationConverter.class,
      description =
          "How far before this server's clock an event's timestamp may lie (1m..87600h); older ones"
              + " are rejected with INVALID_ARGUMENT (older history belongs in the training data).")
  private Duration maxEventAge = FeedbackStoreConfig.DEFAULT_MAX_EVENT_AGE;

  /** Creates the options with their defaults; picocli fills them in. */
  public FeedbackOptions() {}

  /**
   * The store configuration, or empty for {@code --feedback-store none}.
   *
   * @param bundleDirectory the bundle root; the embedded store's default directory is {@value
   *     #DEFAULT_DIRECTORY_NAME} beside it
   * @throws IllegalArgumentException naming the option of an invalid value, e.g. {@code
   *     feedback-store: "mongo" (expected: embedded, redis or none)} or {@code redis-uri: required
   *     for --feedback-store redis}
   */
  public Optional<FeedbackStoreConfig> toConfig(Path bundleDirectory) {
    String type = store == null ? "" : store.strip().toLowerCase(Locale.ROOT);
    FeedbackStoreConfig base =
        switch (type) {
          case "none" -> null;
          case "embedded" -> FeedbackStoreConfig.embedded(embeddedDirectory(bundleDirectory));
          case "redis" -> {
            if (redisUri == null || redisUri.isBlank()) {
              throw new IllegalArgumentException(
                  "redis-uri: required for --feedback-store redis (expected: redis://host[:port][/db])");
            }
            yield renamed("redis-uri", () -> FeedbackStoreConfig.redis(redisUri));
          }
          default ->
              throw new IllegalArgumentException(
                  "feedback-store: \"" + store + "\" (expected: embedded, redis or none)");
        };
    // Every value is checked even without a store, so that a bad one fails at start, not later
    // when someone turns the store on.
    FeedbackStoreConfig config =
        base != null ? base : FeedbackStoreConfig.embedded(embeddedDirectory(bundleDirectory));
    config = renamed("redis-key-prefix", config, c -> c.withRedisKeyPrefix(redisKeyPrefix));
    config = renamed("redis-timeout", config, c -> c.withRedisTimeout(redisTimeout));
    config = renamed("feedback-recent-window", config, c -> c.withRecentWindow(recentWindow));
    config = renamed("feedback-disliked-window", config, c -> c.withDislikedWindow(dislikedWindow));
    config = renamed("trending-half-life", config, c -> c.withPopularityHalfLife(trendingHalfLife));
    config = renamed("max-clock-skew", config, c -> c.withMaxClockSkew(maxClockSkew));
    config = renamed("max-event-age", config, c -> c.withMaxEventAge(maxEventAge));
    return base == null ? Optional.empty() : Optional.of(config);
  }

  private Path embeddedDirectory(Path bundleDirectory) {
    if (directory != null) {
      return directory.toAbsolutePath().normalize();
    }
    Path bundles = bundleDirectory.toAbsolutePath().normalize();
    Path parent = bundles.getParent();
    return parent == null ? bundles.resolve(DEFAULT_DIRECTORY_NAME) : parent.resolve(DEFAULT_DIRECTORY_NAME);
  }

  /**
   * Applies {@code change}; the store's message names its own field ({@code recentWindow: 0 ...}),
   * which is replaced by the option's name so that the one-line startup error points at the flag.
   */
  private static FeedbackStoreConfig renamed(
      String option, FeedbackStoreConfig config, UnaryOperator<FeedbackStoreConfig> change) {
    return renamed(option, () -> change.apply(config));
  }

  private static FeedbackStoreConfig renamed(
      String option, Supplier<FeedbackStoreConfig> create) {
    try {
      return create.get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      int colon = message == null ? -1 : message.indexOf(": ");
      String problem = colon < 0 ? String.valueOf(message) : message.substring(colon + 2);
      throw new IllegalArgumentException(option + ": " + problem, e);
    }
  }
}
