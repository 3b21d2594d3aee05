package dev.recsuite.recall.internal;

import java.util.Arrays;

/**
 * One source's candidates in its own order: dense item ids with the source's scores; an item's
 * position is its rank within the source. Filled once by the source, then read only.
 */
public final class SourceList {

  private static final SourceList EMPTY = new SourceList(new int[0], new float[0], 0);

  private final int[] items;
  private final float[] scores;
  private final int size;

  private SourceList(int[] items, float[] scores, int size) {
    this.items = items;
    this.scores = scores;
    this.size = size;
  }

  /** The empty list (a source that did not run or found nothing). */
  public static SourceList empty() {
    return EMPTY;
  }

  /** A list over the first {@code size} entries of the arrays, which the list takes over. */
  public static SourceList of(int[] items, float[] scores, int size) {
    if (size > items.length || size > scores.length) {
      throw new IllegalArgumentException("size: " + size + " (expected: <= " + Math.min(items.length, scores.length) + ")");
    }
    return size == 0 ? EMPTY : new SourceList(items, scores, size);
  }

  /** Number of candidates. */
  public int size() {
    return size;
  }

  /** The dense item id at {@code rank}. */
  public int item(int rank) {
    return items[rank];
  }

  /** The source's score at {@code rank}. */
  public float score(int rank) {
    return scores[rank];
  }

  @Override
  public String toString() {
    return "SourceList" + Arrays.toString(Arrays.copyOf(items, size));
  }
}
