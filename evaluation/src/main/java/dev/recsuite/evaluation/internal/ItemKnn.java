package dev.recsuite.evaluation.internal;

import dev.recsuite.core.data.IdIndex;
import dev.recsuite.evaluation.Recommendation;
import dev.recsuite.evaluation.Recommender;
import dev.recsuite.evaluation.TestCase;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Item-based k-nearest-neighbours (Sarwar et al., 2001; Deshpande and Karypis, 2004) on the binary
 * training matrix: {@code sim(i, j) = |U(i) ∩ U(j)| / sqrt(|U(i)| |U(j)|)} (cosine), and a user's
 * score for item {@code j} is {@code Σ sim(i, j)} over every item {@code i} of the user's whole
 * training history. Each item keeps its {@code maxNeighbours} most similar items (0: all with a
 * non-zero similarity). Immutable after construction.
 */
public final class ItemKnn implements Recommender {

  private static final Logger log = LoggerFactory.getLogger(ItemKnn.class);

  private final UserItemMatrix matrix;
  private final IdIndex items;
  private final int maxNeighbours;
  private final int[][] neighbours;
  private final float[][] similarities;

  /**
   * Computes the similarities.
   *
   * @param maxNeighbours neighbours kept per item, 0 for all
   * @throws IllegalArgumentException if {@code maxNeighbours < 0}
   */
  public ItemKnn(UserItemMatrix matrix, IdIndex items, int maxNeighbours) {
    if (maxNeighbours < 0) {
      throw new IllegalArgumentException("maxNeighbours: " + maxNeighbours + " (expected: >= 0, 0 for all)");
    }
    this.matrix = matrix;
    this.items = items;
    this.maxNeighbours = maxNeighbours;
    int n = matrix.itemCount();
    this.neighbours = new int[n][];
    this.similarities = new float[n][];
    long started = System.nanoTime();
    int[] counts = new int[n];
    int[] touched = new int[n];
    long kept = 0;
    for (int i = 0; i < n; i++) {
      int size = 0;
      for (int u = 0; u < matrix.userCountOf(i); u++) {
        int user = matrix.userOf(i, u);
        for (int v = 0; v < matrix.itemCountOf(user); v++) {
          int j = matrix.itemOf(user, v);
          if (j != i && counts[j]++ == 0) {
            touched[size++] = j;
          }
        }
      }
      int[] row = Arrays.copyOf(touched, size);
      float[] sims = new float[size];
      for (int t = 0; t < size; t++) {
        int j = row[t];
        sims[t] = (float) (counts[j] / Math.sqrt((double) matrix.userCountOf(i) * matrix.userCountOf(j)));
        counts[j] = 0;
      }
      if (maxNeighbours > 0 && size > maxNeighbours) {
        Integer[] order = new Integer[size];
        for (int t = 0; t < size; t++) {
          order[t] = t;
        }
        Arrays.sort(order, (a, b) -> {
          int bySim = Float.compare(sims[b], sims[a]);
          return bySim != 0 ? bySim : Integer.compare(row[a], row[b]);
        });
        int[] topRow = new int[maxNeighbours];
        float[] topSims = new float[maxNeighbours];
        for (int t = 0; t < maxNeighbours; t++) {
          topRow[t] = row[order[t]];
          topSims[t] = sims[order[t]];
        }
        neighbours[i] = topRow;
        similarities[i] = topSims;
      } else {
        neighbours[i] = row;
        similarities[i] = sims;
      }
      kept += neighbours[i].length;
    }
    log.info(
        "item-kNN: {} items, {} neighbour pairs kept, in {} ms",
        n, kept, (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public String name() {
    return "item-knn";
  }

  @Override
  public String description() {
    return "item-based kNN, cosine on the binary matrix, summed over the whole history"
        + (maxNeighbours > 0 ? " (" + maxNeighbours + " neighbours per item)" : " (all neighbours)");
  }

  /** The similarity of items {@code i} and {@code j} as stored (0 when not a kept neighbour). */
  public float similarity(int i, int j) {
    int[] row = neighbours[i];
    for (int t = 0; t < row.length; t++) {
      if (row[t] == j) {
        return similarities[i][t];
      }
    }
    return 0;
  }

  /** The scores of every item for {@code user}: the sum of similarities to the user's items. */
  public float[] scores(int user) {
    float[] scores = new float[matrix.itemCount()];
    for (int h = 0; h < matrix.itemCountOf(user); h++) {
      int i = matrix.itemOf(user, h);
      int[] row = neighbours[i];
      float[] sims = similarities[i];
      for (int t = 0; t < row.length; t++) {
        scores[row[t]] += sims[t];
      }
    }
    return scores;
  }

  @Override
  public List<Recommendation> recommend(TestCase testCase, int k) {
    float[] scores = scores(testCase.user());
    return testCase.sampled()
        ? Rankings.rankCandidates(testCase.candidateIds(), scores, matrix, testCase.user(), k, items)
        : Rankings.topK(scores, matrix, testCase.user(), k, items);
  }
}
