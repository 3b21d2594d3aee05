package dev.recsuite.core.data;

import java.util.Arrays;

/**
 * An immutable table of interactions in columns, sorted by user, then time, then insertion order,
 * with per-user offsets. Dense ids index the owning {@link Dataset}'s users and items.
 */
public final class Interactions {

  private final int[] users;
  private final int[] items;
  private final float[] ratings;
  private final long[] timestamps;
  private final int[] userOffsets;

  private Interactions(int userCount, int[] users, int[] items, float[] ratings, long[] timestamps) {
    this.users = users;
    this.items = items;
    this.ratings = ratings;
    this.timestamps = timestamps;
    this.userOffsets = new int[userCount + 1];
    for (int user : users) {
      userOffsets[user + 1]++;
    }
    for (int u = 0; u < userCount; u++) {
      userOffsets[u + 1] += userOffsets[u];
    }
  }

  /**
   * Builds a table from unsorted columns of equal length; they are copied and sorted by user, then
   * timestamp, then position.
   *
   * @param userCount number of users; every user id must be in {@code [0, userCount)}
   * @throws IllegalArgumentException if the columns differ in length or a user id is out of range
   */
  public static Interactions of(
      int userCount, int[] users, int[] items, float[] ratings, long[] timestamps) {
    int n = users.length;
    if (items.length != n || ratings.length != n || timestamps.length != n) {
      throw new IllegalArgumentException(
          "columns: lengths %d/%d/%d/%d (expected: equal)"
              .formatted(n, items.length, ratings.length, timestamps.length));
    }
    for (int user : users) {
      if (user < 0 || user >= userCount) {
        throw new IllegalArgumentException(
            "users: id " + user + " (expected: in [0, " + userCount + "))");
      }
    }
    if (isSorted(users, timestamps)) {
      return new Interactions(
          userCount, users.clone(), items.clone(), ratings.clone(), timestamps.clone());
    }
    // Counting sort by user (stable), then each user's rows by time: linear in the rows plus a
    // small sort per user, instead of one boxed sort of the whole table.
    int[] offsets = new int[userCount + 1];
    for (int user : users) {
      offsets[user + 1]++;
    }
    for (int user = 0; user < userCount; user++) {
      offsets[user + 1] += offsets[user];
    }
    int[] order = new int[n];
    int[] next = Arrays.copyOf(offsets, userCount);
    for (int i = 0; i < n; i++) {
      order[next[users[i]]++] = i;
    }
    for (int user = 0; user < userCount; user++) {
      sortByTime(order, offsets[user], offsets[user + 1], timestamps);
    }
    int[] u = new int[n];
    int[] it = new int[n];
    float[] r = new float[n];
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      int from = order[i];
      u[i] = users[from];
      it[i] = items[from];
      r[i] = ratings[from];
      t[i] = timestamps[from];
    }
    return new Interactions(userCount, u, it, r, t);
  }

  /** Sorts {@code order[from, to)} by timestamp, ties by position (the indices are ascending). */
  private static void sortByTime(int[] order, int from, int to, long[] timestamps) {
    boolean sorted = true;
    for (int i = from + 1; i < to && sorted; i++) {
      sorted = timestamps[order[i]] >= timestamps[order[i - 1]];
    }
    if (sorted) {
      return;
    }
    Integer[] range = new Integer[to - from];
    for (int i = from; i < to; i++) {
      range[i - from] = order[i];
    }
    Arrays.sort(
        range,
        (a, b) -> {
          int byTime = Long.compare(timestamps[a], timestamps[b]);
          return byTime != 0 ? byTime : Integer.compare(a, b);
        });
    for (int i = from; i < to; i++) {
      order[i] = range[i - from];
    }
  }

  private static boolean isSorted(int[] users, long[] timestamps) {
    for (int i = 1; i < users.length; i++) {
      if (users[i] < users[i - 1] || (users[i] == users[i - 1] && timestamps[i] < timestamps[i - 1])) {
        return false;
      }
    }
    return true;
  }

  /** Number of interactions. */
  public int size() {
    return users.length;
  }

  /** Number of users the table is indexed for (some may have no interaction). */
  public int userCount() {
    return userOffsets.length - 1;
  }

  public int user(int i) {
    return users[i];
  }

  public int item(int i) {
    return items[i];
  }

  /** Explicit rating, 0 for an implicit event. */
  public float rating(int i) {
    return ratings[i];
  }

  /** Event time in epoch seconds. */
  public long timestamp(int i) {
    return timestamps[i];
  }

  /** Position of {@code user}'s first interaction. */
  public int start(int user) {
    return userOffsets[user];
  }

  /** Position after {@code user}'s last interaction. */
  public int end(int user) {
    return userOffsets[user + 1];
  }

  /** Number of interactions of {@code user}. */
  public int countOf(int user) {
    return userOffsets[user + 1] - userOffsets[user];
  }

  /** A copy of the user column. */
  public int[] usersColumn() {
    return users.clone();
  }

  /** A copy of the item column. */
  public int[] itemsColumn() {
    return items.clone();
  }

  /** A copy of the rating column. */
  public float[] ratingsColumn() {
    return ratings.clone();
  }

  /** A copy of the timestamp column. */
  public long[] timestampsColumn() {
    return timestamps.clone();
  }
}
