package dev.recsuite.evaluation.internal;

import java.util.Arrays;

/**
 * The ranking tier's order, restated so the in-process pipeline sorts exactly as the tier does:
 * descending score, equal scores in ascending position, NaN last, {@code -0.0} equal to {@code 0.0}.
 */
final class ScoreOrder {

  private ScoreOrder() {}

  static int[] descending(float[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> compare(scores[a], scores[b]));
    int[] result = new int[order.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = order[i];
    }
    return result;
  }

  /** Descending numeric order, NaN after every number; stable sorting keeps ties in position order. */
  private static int compare(float a, float b) {
    boolean aNaN = Float.isNaN(a);
    boolean bNaN = Float.isNaN(b);
    if (aNaN || bNaN) {
      return Boolean.compare(aNaN, bNaN);
    }
    return a == b ? 0 : (a > b ? -1 : 1);
  }
}
