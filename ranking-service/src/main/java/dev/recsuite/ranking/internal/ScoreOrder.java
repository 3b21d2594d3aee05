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
    return descending(scores, scores.length);
  }

  /**
   * The first {@code min(limit, scores.length)} positions of {@link #descending(float[])
   * descending(scores)}, without sorting the rest: a request that answers its best 10 of 500
   * candidates sorts 10.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public static int[] descending(float[] scores, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
    }
    // One primitive sort of (score, position) packed into longs: no boxing, no comparator, and the
    // position in the low half makes ties come out in request order. The keys are distinct, so the
    // first `limit` of them are the same set whichever way they are selected.
    int n = scores.length;
    long[] keys;
    if (limit >= n / 4) {
      keys = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = key(scores[i], i);
      }
    } else {
      keys = smallest(scores, limit);
    }
    Arrays.sort(keys);
    int[] order = new int[Math.min(limit, n)];
    for (int i = 0; i < order.length; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  /** The {@code k < scores.length} smallest keys, unordered: a max-heap of the best so far. */
  private static long[] smallest(float[] scores, int k) {
    long[] heap = new long[k];
    if (k == 0) {
      return heap;
    }
    for (int i = 0; i < k; i++) {
      heap[i] = key(scores[i], i);
    }
    for (int i = k / 2 - 1; i >= 0; i--) {
      siftDown(heap, i);
    }
    for (int i = k; i < scores.length; i++) {
      long key = key(scores[i], i);
      if (key < heap[0]) {
        heap[0] = key;
        siftDown(heap, 0);
      }
    }
    return heap;
  }

  /** Restores the max-heap order below {@code parent}. */
  private static void siftDown(long[] heap, int parent) {
    long value = heap[parent];
    int size = heap.length;
    while (true) {
      int child = 2 * parent + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] > heap[child]) {
        child++;
      }
      if (heap[child] <= value) {
        break;
      }
      heap[parent] = heap[child];
      parent = child;
    }
    heap[parent] = value;
  }

  /** Sorts ascending as the score descends, then as the position ascends. */
  private static long key(float score, int position) {
    return ((long) ~sortableBits(score) << 32) | position;
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
