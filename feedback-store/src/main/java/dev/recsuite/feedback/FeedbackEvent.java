package dev.recsuite.feedback;

import dev.recsuite.feedback.internal.Text;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One feedback event: a user did something with an item at a time. Immutable; the constructor
 * checks everything that does not depend on a clock (a store also rejects timestamps too far in the
 * future or the past, see {@link FeedbackStore#append}).
 *
 * <pre>{@code
 * FeedbackEvent click = new FeedbackEvent("ev-81f3", "u42", "m1", EventType.CLICK, 0, now, Map.of("page", "home"));
 * FeedbackEvent rating = FeedbackEvent.rating("ev-81f4", "u42", "m1", 4.5, now);
 * }</pre>
 *
 * @param eventId the client's id of the event: a retry of the same event carries the same id and
 *     is stored once. 1 to {@value #MAX_ID_LENGTH} characters, not blank, no control characters
 * @param userId the external user id, checked as {@code eventId}
 * @param itemId the external item id, checked as {@code eventId}
 * @param type what happened
 * @param value for {@link EventType#RATING} the rating, finite, {@value #MIN_RATING} to {@value
 *     #MAX_RATING}; 0 for every other type
 * @param timestampMillis when it happened, epoch milliseconds, 1 to {@value #MAX_TIMESTAMP_MILLIS}
 *     (the end of year 9999)
 * @param context optional client context (page, device, ...): at most {@value
 *     #MAX_CONTEXT_ENTRIES} entries, keys 1 to {@value #MAX_CONTEXT_KEY_LENGTH} characters without
 *     control characters, values at most {@value #MAX_CONTEXT_VALUE_LENGTH} characters without
 *     control characters other than tab, line feed and carriage return; null means empty. Stored
 *     as an unmodifiable map sorted by key
 */
public record FeedbackEvent(
    String eventId,
    String userId,
    String itemId,
    EventType type,
    double value,
    long timestampMillis,
    Map<String, String> context) {

  /** The longest event, user or item id: 128 characters. */
  public static final int MAX_ID_LENGTH = 128;

  /** The lowest rating a {@link EventType#RATING} event may carry. */
  public static final double MIN_RATING = 0.5;

  /** The highest rating a {@link EventType#RATING} event may carry. */
  public static final double MAX_RATING = 5.0;

  /** The latest timestamp an event may carry: 9999-12-31T23:59:59.999Z. */
  public static final long MAX_TIMESTAMP_MILLIS = 253_402_300_799_999L;

  /** The most context entries an event may carry. */
  public static final int MAX_CONTEXT_ENTRIES = 16;

  /** The longest context key. */
  public static final int MAX_CONTEXT_KEY_LENGTH = 64;

  /** The longest context value. */
  public static final int MAX_CONTEXT_VALUE_LENGTH = 256;

  /**
   * Checks and creates an event.
   *
   * @throws InvalidFeedbackException naming the field if a value is invalid, e.g. {@code value: NaN
   *     (expected: a rating in 0.5..5.0)} or {@code userId: must not be empty}
   * @throws InvalidFeedbackException naming {@code type} if it is null
   */
  public FeedbackEvent {
    Text.requireId("eventId", eventId, MAX_ID_LENGTH);
    Text.requireId("userId", userId, MAX_ID_LENGTH);
    Text.requireId("itemId", itemId, MAX_ID_LENGTH);
    if (type == null) {
      throw new InvalidFeedbackException("type", "must not be null");
    }
    if (type.carriesValue()) {
      if (!(value >= MIN_RATING && value <= MAX_RATING)) { // also rejects NaN
        throw new InvalidFeedbackException(
            "value", value + " (expected: a rating in " + MIN_RATING + ".." + MAX_RATING + ")");
      }
    } else if (value != 0.0) {
      throw new InvalidFeedbackException(
          "value", value + " (expected: 0 for " + type + "; only RATING carries a value)");
    }
    if (timestampMillis < 1 || timestampMillis > MAX_TIMESTAMP_MILLIS) {
      throw new InvalidFeedbackException(
          "timestampMillis",
          timestampMillis + " (expected: epoch milliseconds in 1.." + MAX_TIMESTAMP_MILLIS + ")");
    }
    context = checkedContext(context);
  }

  /**
   * An event without value and context.
   *
   * @throws InvalidFeedbackException as the constructor; also for {@link EventType#RATING}, which
   *     needs a value (use {@link #rating})
   */
  public static FeedbackEvent of(
      String eventId, String userId, String itemId, EventType type, long timestampMillis) {
    return new FeedbackEvent(eventId, userId, itemId, type, 0.0, timestampMillis, Map.of());
  }

  /**
   * A {@link EventType#RATING} event without context.
   *
   * @throws InvalidFeedbackException as the constructor
   */
  public static FeedbackEvent rating(
      String eventId, String userId, String itemId, double rating, long timestampMillis) {
    return new FeedbackEvent(
        eventId, userId, itemId, EventType.RATING, rating, timestampMillis, Map.of());
  }

  private static Map<String, String> checkedContext(Map<String, String> context) {
    if (context == null || context.isEmpty()) {
      return Map.of();
    }
    if (context.size() > MAX_CONTEXT_ENTRIES) {
      throw new InvalidFeedbackException(
          "context", context.size() + " entries (expected: at most " + MAX_CONTEXT_ENTRIES + ")");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> entry : context.entrySet()) {
      String key = entry.getKey();
      if (key == null || key.isEmpty()) {
        throw new InvalidFeedbackException("context", "keys must not be empty");
      }
      String field = "context[" + Text.quote(key) + "]";
      if (key.length() > MAX_CONTEXT_KEY_LENGTH) {
        throw new InvalidFeedbackException(
            field,
            "key has " + key.length() + " characters (expected: at most " + MAX_CONTEXT_KEY_LENGTH + ")");
      }
      Text.requireNoControl(field, key, false);
      String value = Objects.requireNonNullElse(entry.getValue(), "");
      if (value.length() > MAX_CONTEXT_VALUE_LENGTH) {
        throw new InvalidFeedbackException(
            field,
            Text.quote(value)
                + " has "
                + value.length()
                + " characters (expected: at most "
                + MAX_CONTEXT_VALUE_LENGTH
                + ")");
      }
      Text.requireNoControl(field, value, true);
      copy.put(key, value);
    }
    return Collections.unmodifiableMap(copy);
  }
}
