package dev.recsuite.recall.internal;

import dev.recsuite.core.data.Interactions;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The training history of every user: the set of items each has interacted with (sorted, for
 * binary search) and the order in which they did. Immutable.
 */
public final class UserHistory {

  private final Interactions interactions;
  private final int[] seenOffsets;
  private final int[] seenItems;

  private UserHistory(Interactions interactions, int[] seenOffsets, int[] seenItems) {
    this.interactions = interactions;
    this.seenOffsets = seenOffsets;
    this.seenItems = seenItems;
  }

  /** Indexes {@code interactions} (sorted by user then time, as {@link Interactions} keeps them). */
  public static UserHistory of(Interactions interactions) {
    int users = interactions.userCount();
    int[] offsets = new int[users + 1];
    int[] items = new int[interactions.size()];
    int next = 0;
    for (int user = 0; user < users; user++) {
      int from = next;
      for (int i = interactions.start(user); i < interactions.end(user); i++) {
        items[next++] = interactions.item(i);
      }
      Arrays.sort(items, from, next);
      // Drop repeated events of the same item.
      int distinctEnd = from;
      for (int i = from; i < next; i++) {
        if (i == from || items[i] != items[distinctEnd - 1]) {
          items[distinctEnd++] = items[i];
        }
      }
      next = distinctEnd;
      offsets[user + 1] = next;
    }
    return new UserHistory(interactions, offsets, Arrays.copyOf(items, next));
  }

  /** Number of users. */
  public int userCount() {
    return seenOffsets.length - 1;
  }

  /** Number of distinct items {@code user} interacted with. */
  public int seenCount(int user) {
    return seenOffsets[user + 1] - seenOffsets[user];
  }

  /** Calls {@code action} with each distinct item {@code user} interacted with, in no set order. */
  public void forEachSeen(int user, IntConsumer action) {
    for (int i = seenOffsets[user]; i < seenOffsets[user + 1]; i++) {
      action.accept(seenItems[i]);
    }
  }

  /** Whether {@code user} interacted with {@code item} in the training data. */
  public boolean seen(int user, int item) {
    return Arrays.binarySearch(seenItems, seenOffsets[user], seenOffsets[user + 1], item) >= 0;
  }

  /**
   * Appends {@code user}'s distinct items, most recent first, to {@code out} from position {@code
   * size} on, skipping items already in {@code out[0..size)}, until {@code out} is full.
   *
   * @return the new number of items in {@code out}
   */
  public int appendRecent(int user, int[] out, int size) {
    int filled = size;
    for (int i = interactions.end(user) - 1; i >= interactions.start(user) && filled < out.length; i--) {
      filled = appendDistinct(out, filled, interactions.item(i));
    }
    return filled;
  }

  /** Appends {@code item} to {@code out[0..size)} unless present or full; returns the new size. */
  public static int appendDistinct(int[] out, int size, int item) {
    if (size == out.length) {
      return size;
    }
    for (int i = 0; i < size; i++) {
      if (out[i] == item) {
        return size;
      }
    }
    out[size] = item;
    return size + 1;
  }
}
