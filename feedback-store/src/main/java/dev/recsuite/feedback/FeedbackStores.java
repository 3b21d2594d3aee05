package dev.recsuite.feedback;

import dev.recsuite.feedback.internal.RedisFeedbackStore;
import dev.recsuite.feedback.internal.RocksDbFeedbackStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Opens the {@link FeedbackStore} a configuration selects:
 *
 * <pre>{@code
 * try (FeedbackStore store = FeedbackStores.open(FeedbackStoreConfig.embedded(Path.of("feedback")))) {
 *   store.append(List.of(FeedbackEvent.of("ev-1", "u42", "m1", EventType.CLICK, clock.millis())));
 *   UserActivity user = store.user("u42");
 * }
 * }</pre>
 */
public final class FeedbackStores {

  private FeedbackStores() {}

  /**
   * Opens the store with the system clock (UTC) and no item categories.
   *
   * @throws FeedbackStoreException if the store cannot be opened: the directory cannot be created
   *     or is locked by another process, the native library does not load, Redis does not answer
   * @throws NullPointerException if {@code config} is null
   */
  public static FeedbackStore open(FeedbackStoreConfig config) {
    return open(config, Clock.systemUTC(), ItemCategories.NONE);
  }

  /**
   * Opens the store.
   *
   * @param clock the store's clock: it bounds event timestamps ({@link
   *     FeedbackStoreConfig#maxClockSkew()}, {@link FeedbackStoreConfig#maxEventAge()}) and is the
   *     instant item popularity is decayed to
   * @param categories resolves an item's categories when its events are stored, for user
   *     category affinity
   * @throws FeedbackStoreException if the store cannot be opened, as {@link #open(FeedbackStoreConfig)}
   * @throws NullPointerException if an argument is null
   */
  public static FeedbackStore open(FeedbackStoreConfig config, Clock clock, ItemCategories categories) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(categories, "categories");
    return switch (config.type()) {
      case EMBEDDED -> RocksDbFeedbackStore.open(config, clock, categories);
      case REDIS -> RedisFeedbackStore.open(config, clock, categories);
    };
  }
}
