package dev.recsuite.trainer;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.IdIndex;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds the events of a feedback store to a data set's interactions, so that the next bundle learns
 * from what users did since the data was collected:
 *
 * <pre>{@code
 * try (FeedbackStore store = FeedbackStores.open(FeedbackData.config("embedded:.recsuite/feedback"))) {
 *   FeedbackData.Merged merged = FeedbackData.append(data, store, ".recsuite/feedback");
 *   new TrainingPipeline(settings, clock).train(merged.dataset(), bundles, label);
 * }
 * }</pre>
 *
 * <p>How events become interactions:
 *
 * <ul>
 *   <li>every type but {@code DISLIKE} is one interaction of the user with the item, at the event's
 *       time (epoch seconds, rounded down): the implicit signal the collaborative model and the
 *       co-occurrence neighbours learn from, as a training interaction is. A {@code RATING} keeps its
 *       value as the explicit rating; every other type is implicit (rating 0), whatever its weight:
 *       the training data has no notion of how strong an implicit event is, and repeated events of
 *       one pair already count more in the ALS confidence;
 *   <li>{@code DISLIKE} is left out: implicit ALS and co-occurrence only know positive evidence, and
 *       counting a dislike as an interaction would teach them the opposite of what the user said.
 *       (Serving keeps honouring dislikes through the store.)
 *   <li>users and items the data set does not know become new users and items without attributes,
 *       title, genres or year (bare), after the existing ones, so every existing dense id stays.
 * </ul>
 */
public final class FeedbackData {

  private FeedbackData() {}

  /**
   * What {@link #append} added.
   *
   * @param events events read from the store
   * @param interactions interactions added (events but dislikes)
   * @param dislikes dislikes left out
   * @param newUsers users the data set did not know
   * @param newItems items the data set did not know
   */
  public record Summary(long events, long interactions, long dislikes, int newUsers, int newItems) {}

  /** The data set with the events added, and what was added. */
  public record Merged(Dataset dataset, Summary summary) {}

  /**
   * The store configuration of a {@code --feedback} value: {@code embedded:DIR} (an existing
   * embedded store's directory) or a Redis URI ({@code redis://host[:port][/db]}, {@code
   * rediss://...}), whose keys start with {@code redisKeyPrefix}.
   *
   * @throws IllegalArgumentException naming the value when it is neither, or when the embedded
   *     directory does not exist
   */
  public static FeedbackStoreConfig config(String value, String redisKeyPrefix) {
    Objects.requireNonNull(value, "value");
    if (value.startsWith("redis://") || value.startsWith("rediss://")) {
      return FeedbackStoreConfig.redis(value).withRedisKeyPrefix(redisKeyPrefix);
    }
    if (value.startsWith("embedded:") && value.length() > "embedded:".length()) {
      Path directory = Path.of(value.substring("embedded:".length())).toAbsolutePath().normalize();
      if (!Files.isDirectory(directory)) {
        throw new IllegalArgumentException(
            "feedback: embedded store " + directory + " does not exist (expected: the feature service's --feedback-dir)");
      }
      return FeedbackStoreConfig.embedded(directory);
    }
    throw new IllegalArgumentException(
        "feedback: \"" + value + "\" (expected: embedded:DIR or redis://host[:port][/db])");
  }

  /**
   * Appends every event of {@code store} (in time order) to {@code data}'s interactions.
   *
   * @param location where the store is, recorded in the data source (and so in the manifest)
   * @throws dev.recsuite.feedback.FeedbackStoreException if the store cannot be read
   */
  public static Merged append(Dataset data, FeedbackStore store, String location) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(location, "location");
    Builder builder = new Builder(data);
    store.exportAll(builder::add);
    return builder.build(location);
  }

  /** Accumulates the events in columns after the data set's own interactions. */
  private static final class Builder {
    private final Dataset data;
    private final List<Item> items;
    private final List<User> users;
    private final Map<String, Integer> newItems = new HashMap<>();
    private final Map<String, Integer> newUsers = new HashMap<>();
    private int[] userColumn;
    private int[] itemColumn;
    private float[] ratingColumn;
    private long[] timeColumn;
    private int size;
    private long events;
    private long dislikes;

    Builder(Dataset data) {
      this.data = data;
      this.items = new ArrayList<>(data.items());
      this.users = new ArrayList<>(data.users());
      Interactions interactions = data.interactions();
      size = interactions.size();
      int capacity = Math.max(16, size + size / 8);
      userColumn = Arrays.copyOf(interactions.usersColumn(), capacity);
      itemColumn = Arrays.copyOf(interactions.itemsColumn(), capacity);
      ratingColumn = Arrays.copyOf(interactions.ratingsColumn(), capacity);
      timeColumn = Arrays.copyOf(interactions.timestampsColumn(), capacity);
    }

    void add(FeedbackEvent event) {
      events++;
      if (event.type() == EventType.DISLIKE) {
        dislikes++;
        return;
      }
      if (size == userColumn.length) {
        int capacity = size * 2;
        userColumn = Arrays.copyOf(userColumn, capacity);
        itemColumn = Arrays.copyOf(itemColumn, capacity);
        ratingColumn = Arrays.copyOf(ratingColumn, capacity);
        timeColumn = Arrays.copyOf(timeColumn, capacity);
      }
      userColumn[size] = user(event.userId());
      itemColumn[size] = item(event.itemId());
      ratingColumn[size] = event.type() == EventType.RATING ? (float) event.value() : 0f;
      timeColumn[size] = Math.floorDiv(event.timestampMillis(), 1000L);
      size++;
    }

    private int user(String id) {
      int known = data.userIds().indexOf(id);
      if (known >= 0) {
        return known;
      }
      return newUsers.computeIfAbsent(id, key -> {
        users.add(User.bare(key));
        return users.size() - 1;
      });
    }

    private int item(String id) {
      int known = data.itemIds().indexOf(id);
      if (known >= 0) {
        return known;
      }
      return newItems.computeIfAbsent(id, key -> {
        items.add(Item.bare(key));
        return items.size() - 1;
      });
    }

    Merged build(String storeLocation) {
      Interactions interactions =
          Interactions.of(
              users.size(),
              Arrays.copyOf(userColumn, size),
              Arrays.copyOf(itemColumn, size),
              Arrays.copyOf(ratingColumn, size),
              Arrays.copyOf(timeColumn, size));
      long added = events - dislikes;
      DataSourceInfo source = data.source();
      DataSourceInfo merged =
          new DataSourceInfo(
              source.format(),
              source.location() + " + feedback " + storeLocation,
              source.description() + " + " + added + " interactions from " + events + " feedback events");
      Dataset dataset =
          new Dataset(
              merged,
              items,
              users,
              interactions,
              newItems.isEmpty() ? data.itemIds() : IdIndex.of(items.stream().map(Item::id).toList()),
              newUsers.isEmpty() ? data.userIds() : IdIndex.of(users.stream().map(User::id).toList()));
      return new Merged(dataset, new Summary(events, added, dislikes, newUsers.size(), newItems.size()));
    }
  }
}
