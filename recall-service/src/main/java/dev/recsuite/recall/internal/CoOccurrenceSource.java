package dev.recsuite.recall.internal;

import dev.recsuite.bundle.v1.ItemNeighbours;
import java.util.Arrays;

/**
 * CO_OCCURRENCE: the items that co-occur with the user's most recent items in other users'
 * histories. Each seed item (most recent first) weighs {@code 1 / (1 + position)}, as in CONTENT;
 * a candidate's score is the sum over the seeds of {@code similarity(seed, candidate) × weight}.
 * Rejected items are dropped before the cut, so the source returns its exact top quota. Ties go to
 * the lower dense id. The neighbour table is immutable after loading.
 */
public final class CoOccurrenceSource {

  private static final CoOccurrenceSource OFF =
      new CoOccurrenceSource(new int[] {0}, new int[0], new float[0], "");

  private final int[] offsets;
  private final int[] neighbours;
  private final float[] scores;
  private final String similarity;

  private CoOccurrenceSource(int[] offsets, int[] neighbours, float[] scores, String similarity) {
    this.offsets = offsets;
    this.neighbours = neighbours;
    this.scores = scores;
    this.similarity = similarity;
  }

  /** A source without neighbours: it never proposes anything. */
  public static CoOccurrenceSource off() {
    return OFF;
  }

  /**
   * Reads and checks {@code table}; an empty message (no offsets, neighbours or scores) turns the
   * source off.
   *
   * @throws IllegalArgumentException if the table does not fit a catalogue of {@code itemCount}
   *     items: wrong number of offsets, offsets not starting at 0, decreasing or not ending at the
   *     number of neighbours, columns of different lengths, a neighbour id out of range or equal
   *     to its row, or a score that is not finite
   */
  public static CoOccurrenceSource of(ItemNeighbours table, int itemCount) {
    int offsetCount = table.getOffsetsCount();
    int n = table.getNeighboursCount();
    if (offsetCount == 0 && n == 0 && table.getScoresCount() == 0) {
      return OFF;
    }
    if (offsetCount != itemCount + 1) {
      throw new IllegalArgumentException(
          "cooccurrence offsets: %d values (expected: %d, the items + 1)".formatted(offsetCount, itemCount + 1));
    }
    if (table.getScoresCount() != n) {
      throw new IllegalArgumentException(
          "cooccurrence scores: %d values (expected: %d, one per neighbour)".formatted(table.getScoresCount(), n));
    }
    int[] offsets = new int[offsetCount];
    for (int i = 0; i < offsetCount; i++) {
      offsets[i] = table.getOffsets(i);
      int expectedMin = i == 0 ? 0 : offsets[i - 1];
      if ((i == 0 && offsets[i] != 0) || offsets[i] < expectedMin || offsets[i] > n) {
        throw new IllegalArgumentException(
            "cooccurrence offsets[%d]: %d (expected: %s)"
                .formatted(i, offsets[i], i == 0 ? "0" : expectedMin + " to " + n));
      }
    }
    if (offsets[itemCount] != n) {
      throw new IllegalArgumentException(
          "cooccurrence offsets[%d]: %d (expected: %d, the number of neighbours)"
              .formatted(itemCount, offsets[itemCount], n));
    }
    int[] neighbours = new int[n];
    float[] scores = new float[n];
    for (int item = 0; item < itemCount; item++) {
      for (int p = offsets[item]; p < offsets[item + 1]; p++) {
        int neighbour = table.getNeighbours(p);
        float score = table.getScores(p);
        if (neighbour < 0 || neighbour >= itemCount || neighbour == item) {
          throw new IllegalArgumentException(
              "cooccurrence row %d: neighbour %d (expected: another item in [0, %d))"
                  .formatted(item, neighbour, itemCount));
        }
        if (!Float.isFinite(score)) {
          throw new IllegalArgumentException(
              "cooccurrence row %d: score %s (expected: finite)".formatted(item, score));
        }
        neighbours[p] = neighbour;
        scores[p] = score;
      }
    }
    return new CoOccurrenceSource(offsets, neighbours, scores, table.getSimilarity());
  }

  /** Whether the source has any neighbour to propose. */
  public boolean isOn() {
    return neighbours.length > 0;
  }

  /** The similarity the table was built with, as the bundle names it; empty when off. */
  public String similarity() {
    return similarity;
  }

  /** Number of neighbour entries. */
  public int size() {
    return neighbours.length;
  }

  /**
   * The top {@code quota} accepted items by aggregated similarity to {@code seeds[0..count)}, most
   * recent seed first.
   */
  public SourceList collect(int[] seeds, int count, int quota, CandidateFilter filter) {
    if (quota == 0 || count == 0 || !isOn()) {
      return SourceList.empty();
    }
    int entries = 0;
    for (int s = 0; s < count; s++) {
      entries += offsets[seeds[s] + 1] - offsets[seeds[s]];
    }
    if (entries == 0) {
      return SourceList.empty();
    }
    IntSlots candidates = new IntSlots(entries);
    double[] sums = new double[entries];
    for (int s = 0; s < count; s++) {
      int seed = seeds[s];
      double weight = 1.0 / (1 + s);
      for (int p = offsets[seed]; p < offsets[seed + 1]; p++) {
        sums[candidates.slot(neighbours[p])] += scores[p] * weight;
      }
    }
    int[] items = new int[candidates.size()];
    double[] totals = new double[candidates.size()];
    int size = 0;
    for (int e = 0; e < candidates.size(); e++) {
      int item = candidates.key(e);
      if (filter.accepts(item)) {
        items[size] = item;
        totals[size] = sums[e];
        size++;
      }
    }
    int[] order =
        IndexOrder.top(
            size,
            quota,
            (a, b) -> {
              int byScore = Double.compare(totals[b], totals[a]);
              return byScore != 0 ? byScore : Integer.compare(items[a], items[b]);
            });
    int kept = order.length;
    int[] outItems = new int[kept];
    float[] outScores = new float[kept];
    for (int r = 0; r < kept; r++) {
      outItems[r] = items[order[r]];
      outScores[r] = (float) totals[order[r]];
    }
    return SourceList.of(outItems, outScores, kept);
  }

  /**
   * The items whose similarity to at least one of {@code seeds} is {@code threshold} or more (by
   * the seeds' own neighbour rows), sorted ascending for binary search; empty when the source is
   * off.
   */
  public int[] similarTo(int[] seeds, double threshold) {
    if (!isOn() || seeds.length == 0) {
      return new int[0];
    }
    int[] found = new int[64];
    int size = 0;
    for (int seed : seeds) {
      // Rows are sorted by similarity, descending: stop at the first one below the threshold.
      for (int p = offsets[seed]; p < offsets[seed + 1] && scores[p] >= threshold; p++) {
        if (size == found.length) {
          found = Arrays.copyOf(found, size * 2);
        }
        found[size++] = neighbours[p];
      }
    }
    int[] sorted = Arrays.copyOf(found, size);
    Arrays.sort(sorted);
    return Arrays.stream(sorted).distinct().toArray();
  }
}
