package dev.recsuite.core.split;

import dev.recsuite.core.data.Interactions;
import java.util.Arrays;

/**
 * Holds out each user's latest interaction (by time; the last in input order on ties), the
 * leave-last-out protocol of sequential recommendation benchmarks. Users with fewer than
 * {@code minInteractions} interactions keep them all in the training part.
 */
public final class LeaveLastOut {

  private final int minInteractions;

  /**
   * @param minInteractions users need at least this many interactions to have one held out
   * @throws IllegalArgumentException if {@code minInteractions < 2} (a user must keep one to train on)
   */
  public LeaveLastOut(int minInteractions) {
    if (minInteractions < 2) {
      throw new IllegalArgumentException(
          "minInteractions: " + minInteractions + " (expected: >= 2)");
    }
    this.minInteractions = minInteractions;
  }

  public int minInteractions() {
    return minInteractions;
  }

  /** Splits {@code all}; both parts keep {@code all}'s user count. */
  public TrainTestSplit split(Interactions all) {
    int n = all.size();
    boolean[] heldOut = new boolean[n];
    int heldOutCount = 0;
    for (int user = 0; user < all.userCount(); user++) {
      if (all.countOf(user) >= minInteractions) {
        // Interactions are sorted by user then time, so the user's last row is the latest.
        heldOut[all.end(user) - 1] = true;
        heldOutCount++;
      }
    }
    return new TrainTestSplit(select(all, heldOut, false, n - heldOutCount), select(all, heldOut, true, heldOutCount));
  }

  private static Interactions select(Interactions all, boolean[] mask, boolean wanted, int count) {
    int[] users = new int[count];
    int[] items = new int[count];
    float[] ratings = new float[count];
    long[] timestamps = new long[count];
    int next = 0;
    for (int i = 0; i < all.size(); i++) {
      if (mask[i] == wanted) {
        users[next] = all.user(i);
        items[next] = all.item(i);
        ratings[next] = all.rating(i);
        timestamps[next] = all.timestamp(i);
        next++;
      }
    }
    assert next == count : Arrays.toString(new int[] {next, count});
    return Interactions.of(all.userCount(), users, items, ratings, timestamps);
  }
}
