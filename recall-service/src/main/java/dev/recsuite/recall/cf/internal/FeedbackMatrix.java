package dev.recsuite.recall.cf.internal;

import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import java.util.Arrays;

/**
 * The observed part of the confidence matrix in compressed sparse rows: for each row (user, or item
 * after {@link #transpose()}) its distinct columns in increasing order and, for each, the extra
 * confidence {@code c - 1} over an unobserved pair. The arrays are shared, not copied: read only.
 */
public final class FeedbackMatrix {

  private final int rows;
  private final int columns;
  private final int[] offsets;
  private final int[] indices;
  private final float[] extraConfidence;
  private final int longestRow;

  private FeedbackMatrix(
      int rows, int columns, int[] offsets, int[] indices, float[] extraConfidence) {
    this.rows = rows;
    this.columns = columns;
    this.offsets = offsets;
    this.indices = indices;
    this.extraConfidence = extraConfidence;
    int longest = 0;
    for (int r = 0; r < rows; r++) {
      longest = Math.max(longest, offsets[r + 1] - offsets[r]);
    }
    this.longestRow = longest;
  }

  /**
   * Users × items, repeated (user, item) events merged into one entry whose confidence counts them
   * ({@link AlsParameters#confidence(double)} of the count).
   *
   * @throws IllegalArgumentException if an item id is not in {@code [0, itemCount)}
   */
  public static FeedbackMatrix ofUsers(
      Interactions interactions, int itemCount, AlsParameters parameters) {
    int users = interactions.userCount();
    int[] offsets = new int[users + 1];
    int[] indices = new int[interactions.size()];
    float[] extra = new float[interactions.size()];
    int maxCount = 0;
    for (int u = 0; u < users; u++) {
      maxCount = Math.max(maxCount, interactions.countOf(u));
    }
    int[] scratch = new int[maxCount];
    int nnz = 0;
    for (int u = 0; u < users; u++) {
      int start = interactions.start(u);
      int n = interactions.end(u) - start;
      for (int e = 0; e < n; e++) {
        int item = interactions.item(start + e);
        if (item < 0 || item >= itemCount) {
          throw new IllegalArgumentException(
              "interactions: item id %d of user %d (expected: in [0, %d))"
                  .formatted(item, u, itemCount));
        }
        scratch[e] = item;
      }
      Arrays.sort(scratch, 0, n);
      for (int e = 0; e < n; ) {
        int item = scratch[e];
        int run = e + 1;
        while (run < n && scratch[run] == item) {
          run++;
        }
        indices[nnz] = item;
        extra[nnz] = (float) (parameters.confidence(run - e) - 1);
        nnz++;
        e = run;
      }
      offsets[u + 1] = nnz;
    }
    return new FeedbackMatrix(
        users, itemCount, offsets, Arrays.copyOf(indices, nnz), Arrays.copyOf(extra, nnz));
  }

  /** Items × users, each item's users in increasing order. */
  public FeedbackMatrix transpose() {
    int nnz = indices.length;
    int[] tOffsets = new int[columns + 1];
    for (int index : indices) {
      tOffsets[index + 1]++;
    }
    for (int c = 0; c < columns; c++) {
      tOffsets[c + 1] += tOffsets[c];
    }
    int[] fill = Arrays.copyOf(tOffsets, columns);
    int[] tIndices = new int[nnz];
    float[] tExtra = new float[nnz];
    for (int r = 0; r < rows; r++) {
      for (int e = offsets[r]; e < offsets[r + 1]; e++) {
        int slot = fill[indices[e]]++;
        tIndices[slot] = r;
        tExtra[slot] = extraConfidence[e];
      }
    }
    return new FeedbackMatrix(columns, rows, tOffsets, tIndices, tExtra);
  }

  public int rows() {
    return rows;
  }

  public int columns() {
    return columns;
  }

  /** The largest number of entries in one row. */
  public int longestRow() {
    return longestRow;
  }

  /** Number of stored (distinct) entries. */
  public int entries() {
    return indices.length;
  }

  /** Row offsets, {@code rows + 1} long: row r's entries are {@code [offsets[r], offsets[r+1])}. */
  public int[] offsets() {
    return offsets;
  }

  /** Column of each entry. */
  public int[] indices() {
    return indices;
  }

  /** {@code c - 1} of each entry. */
  public float[] extraConfidence() {
    return extraConfidence;
  }
}
