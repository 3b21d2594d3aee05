package dev.recsuite.feedback;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the stored feedback says about one item, as of the read. Immutable.
 *
 * @param itemId the external item id
 * @param counts the number of stored events per type; types without events are absent
 * @param ratingCount the number of {@link EventType#RATING} events
 * @param ratingSum the sum of their values
 * @param popularity the decayed popularity at {@code asOfMillis}: the sum over the item's events
 *     of {@link EventType#popularityWeight()} × 2<sup>−(asOfMillis − timestamp) / half-life</sup>;
 *     an event a half-life old counts half. 0 for an item without events. Events stamped slightly
 *     after {@code asOfMillis} (within the allowed clock skew) count a little more than their weight
 * @param lastEventMillis the latest event timestamp, 0 when there is none
 * @param asOfMillis the store clock's time at the read, to which {@code popularity} is decayed
 */
public record ItemActivity(
    String itemId,
    Map<EventType, Long> counts,
    long ratingCount,
    double ratingSum,
    double popularity,
    long lastEventMillis,
    long asOfMillis) {

  /**
   * Creates the record, copying {@code counts} into an unmodifiable map.
   *
   * @throws NullPointerException if an argument is null
   */
  public ItemActivity {
    Objects.requireNonNull(itemId, "itemId");
    counts = Collections.unmodifiableMap(counts.isEmpty() ? new EnumMap<>(EventType.class) : new EnumMap<>(counts));
  }

  /** The activity of an item without stored events. */
  public static ItemActivity none(String itemId, long asOfMillis) {
    return new ItemActivity(itemId, Map.of(), 0, 0.0, 0.0, 0, asOfMillis);
  }

  /** Whether any event on the item is stored. */
  public boolean known() {
    return eventCount() > 0;
  }

  /** The number of stored events on the item, all types. */
  public long eventCount() {
    long total = 0;
    for (long count : counts.values()) {
      total += count;
    }
    return total;
  }

  /** The number of stored events of {@code type}. */
  public long count(EventType type) {
    return counts.getOrDefault(type, 0L);
  }

  /** The mean of the item's ratings, empty when there is none. */
  public OptionalDouble meanRating() {
    return ratingCount > 0 ? OptionalDouble.of(ratingSum / ratingCount) : OptionalDouble.empty();
  }
}
