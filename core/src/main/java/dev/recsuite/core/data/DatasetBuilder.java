package dev.recsuite.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates items, users and interactions keyed by external ids and assigns dense ids in order of
 * first appearance. Interactions may name items or users that were never added: they get bare
 * entries. Not thread-safe.
 */
public final class DatasetBuilder {

  private final List<Item> items = new ArrayList<>();
  private final Map<String, Integer> itemPositions = new HashMap<>();
  private final List<User> users = new ArrayList<>();
  private final Map<String, Integer> userPositions = new HashMap<>();
  private int[] interactionUsers = new int[1024];
  private int[] interactionItems = new int[1024];
  private float[] interactionRatings = new float[1024];
  private long[] interactionTimes = new long[1024];
  private int interactionCount;

  /**
   * Adds an item, or replaces the bare entry an earlier interaction created for its id.
   *
   * @throws IllegalArgumentException if a full item with that id was already added
   */
  public DatasetBuilder addItem(Item item) {
    Integer position = itemPositions.get(item.id());
    if (position == null) {
      itemPositions.put(item.id(), items.size());
      items.add(item);
    } else if (items.get(position).equals(Item.bare(item.id()))) {
      items.set(position, item);
    } else {
      throw new IllegalArgumentException("item: duplicate id '" + item.id() + "'");
    }
    return this;
  }

  /**
   * Adds a user, or replaces the bare entry an earlier interaction created for its id.
   *
   * @throws IllegalArgumentException if a user with attributes and that id was already added
   */
  public DatasetBuilder addUser(User user) {
    Integer position = userPositions.get(user.id());
    if (position == null) {
      userPositions.put(user.id(), users.size());
      users.add(user);
    } else if (users.get(position).attributes().isEmpty()) {
      users.set(position, user);
    } else {
      throw new IllegalArgumentException("user: duplicate id '" + user.id() + "'");
    }
    return this;
  }

  /** Whether an item with this id was added or referenced. */
  public boolean hasItem(String itemId) {
    return itemPositions.containsKey(itemId);
  }

  /**
   * Adds an interaction.
   *
   * @param rating explicit rating, or 0 for an implicit event
   * @param timestamp epoch seconds
   */
  public DatasetBuilder addInteraction(String userId, String itemId, float rating, long timestamp) {
    if (!Float.isFinite(rating)) {
      throw new IllegalArgumentException("rating: " + rating + " (expected: a finite number)");
    }
    int user = userPositions.computeIfAbsent(userId, id -> appendUser(User.bare(id)));
    int item = itemPositions.computeIfAbsent(itemId, id -> appendItem(Item.bare(id)));
    if (interactionCount == interactionUsers.length) {
      int capacity = interactionCount * 2;
      interactionUsers = Arrays.copyOf(interactionUsers, capacity);
      interactionItems = Arrays.copyOf(interactionItems, capacity);
      interactionRatings = Arrays.copyOf(interactionRatings, capacity);
      interactionTimes = Arrays.copyOf(interactionTimes, capacity);
    }
    interactionUsers[interactionCount] = user;
    interactionItems[interactionCount] = item;
    interactionRatings[interactionCount] = rating;
    interactionTimes[interactionCount] = timestamp;
    interactionCount++;
    return this;
  }

  public int interactionCount() {
    return interactionCount;
  }

  /** Builds the data set; the builder can be discarded afterwards. */
  public Dataset build(DataSourceInfo source) {
    Interactions interactions =
        Interactions.of(
            users.size(),
            Arrays.copyOf(interactionUsers, interactionCount),
            Arrays.copyOf(interactionItems, interactionCount),
            Arrays.copyOf(interactionRatings, interactionCount),
            Arrays.copyOf(interactionTimes, interactionCount));
    return Dataset.of(source, items, users, interactions);
  }

  private int appendUser(User user) {
    users.add(user);
    return users.size() - 1;
  }

  private int appendItem(Item item) {
    items.add(item);
    return items.size() - 1;
  }
}
