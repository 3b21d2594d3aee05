package dev.recsuite.feedback;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the stored feedback says about one user, as of the read. Immutable.
 *
 * @param userId the external user id
 * @param counts the number of stored events per type; types without events are absent
 * @param recentItemIds the items of the user's latest events of types that {@link
 *     EventType#entersRecentItems() enter the recent items}, each once, ordered by its latest event
 *     time, newest first (equal times: by id, ascending in UTF-8 byte order), at most the store's
 *     recent window
 * @param dislikedItemIds the items the user disliked, each once, ordered as {@code recentItemIds}
 *     by the time of the latest dislike, at most the store's disliked window
 * @param categoryAffinity per category of the items (as resolved by the store's {@link
 *     ItemCategories} when each event was stored): the sum of the {@link EventType#weight()
 *     weights} of the user's events on items of that category; negative when dislikes dominate.
 *     Empty when the store resolves no categories
 * @param ratingCount the number of {@link EventType#RATING} events
 * @param ratingSum the sum of their values
 * @param lastEventMillis the latest event timestamp, 0 when there is none
 */
public record UserActivity(
    String userId,
    Map<EventType, Long> counts,
    List<String> recentItemIds,
    List<String> dislikedItemIds,
    Map<String, Double> categoryAffinity,
    long ratingCount,
    double ratingSum,
    long lastEventMillis) {

  /**
   * Creates the record, copying the collections into unmodifiable ones.
   *
   * @throws NullPointerException if an argument is null
   */
  public UserActivity {
    Objects.requireNonNull(userId, "userId");
    counts = Collections.unmodifiableMap(counts.isEmpty() ? new EnumMap<>(EventType.class) : new EnumMap<>(counts));
    recentItemIds = List.copyOf(recentItemIds);
    dislikedItemIds = List.copyOf(dislikedItemIds);
    categoryAffinity = Collections.unmodifiableMap(new TreeMap<>(categoryAffinity));
  }

  /** The activity of a user without stored events. */
  public static UserActivity none(String userId) {
    return new UserActivity(userId, Map.of(), List.of(), List.of(), Map.of(), 0, 0.0, 0);
  }

  /** Whether any event of the user is stored. */
  public boolean known() {
    return eventCount() > 0;
  }

  /** The number of stored events of the user, all types. */
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

  /** The mean of the user's ratings, empty when there is none. */
  public OptionalDouble meanRating() {
    return ratingCount > 0 ? OptionalDouble.of(ratingSum / ratingCount) : OptionalDouble.empty();
  }
}
