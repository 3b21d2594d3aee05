package dev.recsuite.evaluation.internal;

import dev.recsuite.core.data.Interactions;
import java.util.Arrays;

/**
 * The binary user-item matrix of the training interactions (repeated interactions count once), in
 * both directions: each user's distinct items, sorted, and each item's distinct users, sorted.
 * Immutable.
 */
public final class UserItemMatrix {

  private final int itemCount;
  private final int[] userOffsets;
  private final int[] userItems;
  private final int[] itemOffsets;
  private final int[] itemUsers;

  private UserItemMatrix(int itemCount, int[] userOffsets, int[] userItems, int[] itemOffsets, int[] itemUsers) {
    this.itemCount = itemCount;
    this.userOffsets = userOffsets;
    this.userItems = userItems;
    this.itemOffsets = itemOffsets;
    this.itemUsers = itemUsers;
  }

  /**
   * Builds the matrix of {@code train}.
   *
   * @param itemCount catalogue size; every item id of {@code train} must be below it
   * @throws IllegalArgumentException if an item id is out of range
   */
  public static UserItemMatrix of(Interactions train, int itemCount) {
    int users = train.userCount();
    int[] offsets = new int[users + 1];
    int[] items = new int[train.size()];
    int size = 0;
    for (int user = 0; user < users; user++) {
      int from = size;
      for (int i = train.start(user); i < train.end(user); i++) {
        int item = train.item(i);
        if (item < 0 || item >= itemCount) {
          throw new IllegalArgumentException(
              "interaction %d: item %d (expected: 0 to %d)".formatted(i, item, itemCount - 1));
        }
        items[size++] = item;
      }
      Arrays.sort(items, from, size);
      int distinct = from;
      for (int i = from; i < size; i++) {
        if (i == from || items[i] != items[i - 1]) {
          items[distinct++] = items[i];
        }
      }
      size = distinct;
      offsets[user + 1] = size;
    }
    int[] userItems = Arrays.copyOf(items, size);
    int[] itemOffsets = new int[itemCount + 1];
    for (int item : userItems) {
      itemOffsets[item + 1]++;
    }
    for (int item = 0; item < itemCount; item++) {
      itemOffsets[item + 1] += itemOffsets[item];
    }
    int[] next = Arrays.copyOf(itemOffsets, itemCount);
    int[] itemUsers = new int[size];
    for (int user = 0; user < users; user++) {
      for (int i = offsets[user]; i < offsets[user + 1]; i++) {
        itemUsers[next[userItems[i]]++] = user; // users ascend, so each item's list is sorted
      }
    }
    return new UserItemMatrix(itemCount, offsets, userItems, itemOffsets, itemUsers);
  }

  public int userCount() {
    return userOffsets.length - 1;
  }

  public int itemCount() {
    return itemCount;
  }

  /** Number of distinct items of {@code user}. */
  public int itemCountOf(int user) {
    return userOffsets[user + 1] - userOffsets[user];
  }

  /** The {@code i}-th distinct item of {@code user} (ascending ids). */
  public int itemOf(int user, int i) {
    return userItems[userOffsets[user] + i];
  }

  /** Number of distinct users of {@code item}. */
  public int userCountOf(int item) {
    return itemOffsets[item + 1] - itemOffsets[item];
  }

  /** The {@code i}-th distinct user of {@code item} (ascending ids). */
  public int userOf(int item, int i) {
    return itemUsers[itemOffsets[item] + i];
  }

  /** Whether {@code user} interacted with {@code item} in training; false for a user out of range. */
  public boolean seen(int user, int item) {
    if (user < 0 || user >= userCount()) {
      return false;
    }
    return Arrays.binarySearch(userItems, userOffsets[user], userOffsets[user + 1], item) >= 0;
  }

  /** Number of users with at least one training item. */
  public int activeUsers() {
    int active = 0;
    for (int user = 0; user < userCount(); user++) {
      active += itemCountOf(user) > 0 ? 1 : 0;
    }
    return active;
  }
}
