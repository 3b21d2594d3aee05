package dev.recsuite.ranking.internal;

import java.util.Arrays;

/** Orders scored candidates: by descending score, ties by ascending position (request order). */
public final class ScoreOrder {

  private ScoreOrder() {}

  /**
   * The positions of {@code scores} sorted by descending score, equal scores in ascending position.
   * NaN sorts after every number (it never comes from a {@code Ranker}, but a bug must not break the
   * order's contract); {@code -0.0} equals {@code 0.0}.
   */
  public static int[] descending(float[] scores) {
    // One primitive sort of (score, position) packed into longs: no boxing, no comparator, and the
    // position in the low half makes ties come out in request order.
    long[] keys = new long[scores.length];
    for (int i = 0; i < scores.length; i++) {
      keys[i] = ((long) ~sortableBits(scores[i]) << 32) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  /** An int whose signed order is the float's numeric order; NaN below every number. */
  private static int sortableBits(float score) {
    if (Float.isNaN(score)) {
      return Integer.MIN_VALUE; // below -Inf's bits; inverted by ~ into the largest key: last
    }
    int bits = Float.floatToIntBits(score + 0.0f); // -0.0 + 0.0 is +0.0
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
