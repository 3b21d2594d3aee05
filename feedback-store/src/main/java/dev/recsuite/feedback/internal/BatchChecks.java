package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.InvalidFeedbackException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The checks both stores run on a batch and on lookup arguments before touching storage, so that
 * a bad batch is rejected whole and the two implementations answer with the same messages.
 */
public final class BatchChecks {

  private final Clock clock;
  private final long maxSkewMillis;
  private final long maxAgeMillis;

  /** Checks against {@code clock} with the skew and age limits of {@code config}. */
  public BatchChecks(FeedbackStoreConfig config, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxSkewMillis = config.maxClockSkew().toMillis();
    this.maxAgeMillis = config.maxEventAge().toMillis();
  }

  /**
   * Checks a batch for {@link FeedbackStore#append}: its size, null elements and each timestamp
   * against the clock, read once for the whole batch.
   *
   * @return {@code batch}
   * @throws InvalidFeedbackException for the first problem, naming the event's index
   * @throws NullPointerException if {@code batch} is null
   */
  public List<FeedbackEvent> check(List<FeedbackEvent> batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.size() > FeedbackStore.MAX_BATCH) {
      throw new InvalidFeedbackException(
          "batch", batch.size() + " events (expected: at most " + FeedbackStore.MAX_BATCH + ")");
    }
    long now = clock.millis();
    for (int i = 0; i < batch.size(); i++) {
      FeedbackEvent event = batch.get(i);
      if (event == null) {
        throw new InvalidFeedbackException(i, "", "must not be null");
      }
      long ts = event.timestampMillis();
      if (ts > now + maxSkewMillis) {
        throw new InvalidFeedbackException(
            i,
            "timestampMillis",
            Text.millis(ts) + " is " + (ts - now) + " ms ahead of the store's clock " + Text.millis(now)
                + ", far in the future (expected: at most " + maxSkewMillis + " ms ahead)");
      }
      if (ts < now - maxAgeMillis) {
        throw new InvalidFeedbackException(
            i,
            "timestampMillis",
            Text.millis(ts) + " is " + (now - ts) + " ms before the store's clock " + Text.millis(now)
                + ", too old (expected: at most " + maxAgeMillis + " ms old)");
      }
    }
    return batch;
  }

  /**
   * Checks a user or item id argument.
   *
   * @throws InvalidFeedbackException naming {@code field}
   */
  public static String id(String field, String value) {
    return Text.requireId(field, value, FeedbackEvent.MAX_ID_LENGTH);
  }

  /**
   * Checks the ids of {@link FeedbackStore#items}.
   *
   * @throws InvalidFeedbackException naming {@code itemIds} or {@code itemIds[i]}
   * @throws NullPointerException if the list is null
   */
  public static List<String> itemIds(List<String> itemIds) {
    Objects.requireNonNull(itemIds, "itemIds");
    if (itemIds.size() > FeedbackStore.MAX_ITEM_LOOKUP) {
      throw new InvalidFeedbackException(
          "itemIds", itemIds.size() + " ids (expected: at most " + FeedbackStore.MAX_ITEM_LOOKUP + ")");
    }
    for (int i = 0; i < itemIds.size(); i++) {
      id("itemIds[" + i + "]", itemIds.get(i));
    }
    return itemIds;
  }

  /**
   * Checks the limit of {@link FeedbackStore#recentEvents}.
   *
   * @throws InvalidFeedbackException naming {@code limit}
   */
  public static int limit(int limit) {
    if (limit < 1 || limit > FeedbackStore.MAX_RECENT_EVENTS) {
      throw new InvalidFeedbackException(
          "limit", limit + " (expected: 1.." + FeedbackStore.MAX_RECENT_EVENTS + ")");
    }
    return limit;
  }

  /**
   * Checks an export range.
   *
   * @throws IllegalArgumentException if {@code from > to}
   */
  public static void range(long fromMillis, long toMillis) {
    if (fromMillis > toMillis) {
      throw new IllegalArgumentException(
          "fromMillis: " + fromMillis + " (expected: <= toMillis " + toMillis + ")");
    }
  }

  /** The store clock's current time. */
  public long now() {
    return clock.millis();
  }
}
