package dev.recsuite.feature.internal;

import com.google.protobuf.util.Timestamps;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.OnlineActivity;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.ItemActivity;
import dev.recsuite.feedback.UserActivity;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges what the feedback store knows (a user's {@link UserActivity}, an item's {@link
 * ItemActivity}) into the bundle's features, so that the next request sees an event recorded the
 * moment before. Pure functions; a user or item without events keeps the bundle's shared message.
 *
 * <p>For a user with stored events:
 *
 * <ul>
 *   <li>{@code known}: true (the store knows the user, even if the bundle does not);
 *   <li>{@code interaction_count}: the bundle's plus the stored events of every type but DISLIKE
 *       (the events the trainer turns into interactions);
 *   <li>{@code mean_rating}: (bundle mean × bundle interactions + sum of stored ratings) / (bundle
 *       interactions + stored ratings), the bundle's interactions standing in for its ratings (exact
 *       when every training interaction is a rating, as in MovieLens);
 *   <li>{@code genre_affinity}: the bundle's definition (interactions with the genre ÷ all
 *       interactions) with each stored event counting as its type's weight in interactions: for
 *       genre g, {@code (share_g × n + a_g) / (n + W)}, where n is the bundle's interaction count,
 *       a_g the store's affinity to g (the sum of the weights of the user's events on items of g, a
 *       DISLIKE subtracting 4) and W the sum of the weights of the user's events but dislikes;
 *       clamped to [0, 1], zeros left out. A burst of likes on one genre thus moves it at once;
 *   <li>{@code recent_item_ids}: the store's consumed items, then the bundle's recent items, each
 *       once, disliked items left out, cut to the bundle's window;
 *   <li>{@code disliked_item_ids}: the store's, most recent first;
 *   <li>{@code online}: the store's counts, consumed items (without disliked ones) and latest event
 *       time.
 * </ul>
 *
 * {@code rating_stddev}, {@code attributes} and {@code mean_item_year} stay the bundle's.
 */
public final class OnlineFeatures {

  private OnlineFeatures() {}

  /**
   * The bundle's features of a user merged with the store's activity.
   *
   * @param bundle the bundle's features (the defaults with {@code known = false} for a user the
   *     bundle does not know)
   * @param activity the store's activity of the same user
   * @param recentWindow the bundle's recent-items window; at least 1 is kept
   */
  public static UserFeatures merge(UserFeatures bundle, UserActivity activity, int recentWindow) {
    if (!activity.known()) {
      return bundle;
    }
    long disliked = activity.count(EventType.DISLIKE);
    long positive = activity.eventCount() - disliked;
    double n = bundle.getKnown() ? Math.max(0, bundle.getInteractionCount()) : 0;
    UserFeatures.Builder merged =
        bundle.toBuilder()
            .setKnown(true)
            .setInteractionCount((int) Math.min(Integer.MAX_VALUE, (long) n + positive));
    if (activity.ratingCount() > 0) {
      merged.setMeanRating(
          (float) ((bundle.getMeanRating() * n + activity.ratingSum()) / (n + activity.ratingCount())));
    }

    double weights = 0;
    for (Map.Entry<EventType, Long> count : activity.counts().entrySet()) {
      if (count.getKey() != EventType.DISLIKE) {
        weights += count.getKey().weight() * count.getValue();
      }
    }
    if (n + weights > 0) {
      Set<String> genres = new TreeSet<>(bundle.getGenreAffinityMap().keySet());
      genres.addAll(activity.categoryAffinity().keySet());
      Map<String, Float> affinity = new TreeMap<>();
      for (String genre : genres) {
        double share = bundle.getGenreAffinityOrDefault(genre, 0f) * n;
        double value = (share + activity.categoryAffinity().getOrDefault(genre, 0.0)) / (n + weights);
        float clamped = (float) Math.max(0, Math.min(1, value));
        if (clamped > 0) {
          affinity.put(genre, clamped);
        }
      }
      merged.clearGenreAffinity().putAllGenreAffinity(affinity);
    }

    Set<String> dislikedItems = new HashSet<>(activity.dislikedItemIds());
    List<String> consumed =
        activity.recentItemIds().stream().filter(item -> !dislikedItems.contains(item)).toList();
    Set<String> recent = new LinkedHashSet<>();
    int window = Math.max(1, recentWindow);
    for (String item : consumed) {
      if (recent.size() == window) {
        break;
      }
      recent.add(item);
    }
    for (String item : bundle.getRecentItemIdsList()) {
      if (recent.size() == window) {
        break;
      }
      if (!dislikedItems.contains(item)) {
        recent.add(item);
      }
    }
    merged.clearRecentItemIds().addAllRecentItemIds(recent);
    merged.clearDislikedItemIds().addAllDislikedItemIds(activity.dislikedItemIds());

    OnlineActivity.Builder online =
        OnlineActivity.newBuilder().setEventCount(activity.eventCount()).addAllConsumedItemIds(consumed);
    activity.counts().forEach((type, count) -> online.putCounts(type.name(), count));
    if (activity.lastEventMillis() > 0) {
      online.setLastEventTime(Timestamps.fromMillis(activity.lastEventMillis()));
    }
    return merged.setOnline(online).build();
  }

  /**
   * The bundle's features of an item with its trending score; the bundle's message itself when the
   * store has no event on the item.
   */
  public static ItemFeatures merge(ItemFeatures bundle, ItemActivity activity) {
    if (!activity.known() || !(activity.popularity() > 0)) {
      return bundle;
    }
    return bundle.toBuilder().setTrending((float) activity.popularity()).build();
  }
}
