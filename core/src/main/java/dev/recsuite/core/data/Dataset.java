package dev.recsuite.core.data;

import java.util.List;
import java.util.Objects;

/**
 * Items, users and their interactions, with dense ids: an item's dense id is its position in
 * {@link #items()}, a user's its position in {@link #users()}.
 */
public record Dataset(
    DataSourceInfo source,
    List<Item> items,
    List<User> users,
    Interactions interactions,
    IdIndex itemIds,
    IdIndex userIds) {

  public Dataset {
    Objects.requireNonNull(source, "source");
    items = List.copyOf(items);
    users = List.copyOf(users);
    Objects.requireNonNull(interactions, "interactions");
    if (itemIds.size() != items.size() || userIds.size() != users.size()) {
      throw new IllegalArgumentException("id indexes do not match the item and user lists");
    }
    if (interactions.userCount() != users.size()) {
      throw new IllegalArgumentException(
          "interactions: indexed for %d users (expected: %d)"
              .formatted(interactions.userCount(), users.size()));
    }
  }

  /** A data set whose id indexes follow the order of {@code items} and {@code users}. */
  public static Dataset of(
      DataSourceInfo source, List<Item> items, List<User> users, Interactions interactions) {
    return new Dataset(
        source,
        items,
        users,
        interactions,
        IdIndex.of(items.stream().map(Item::id).toList()),
        IdIndex.of(users.stream().map(User::id).toList()));
  }

  /** The same items and users with other interactions (a split's training part, say). */
  public Dataset withInteractions(Interactions replacement) {
    return new Dataset(source, items, users, replacement, itemIds, userIds);
  }
}
