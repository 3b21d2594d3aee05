package dev.recsuite.recall.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * COLLABORATIVE: the items whose vectors have the largest inner product with the user's vector,
 * found with Lucene's HNSW search. Seen and excluded items cannot be expressed cheaply as a KNN
 * filter, so the search over-fetches by their number (bounded) and drops them afterwards; genre
 * filters go into the KNN filter query so the graph search honours them. Scores are the exact
 * inner products recomputed from the factors.
 */
public final class CollaborativeSource {

  private final ItemIndex index;
  private final Factors factors;
  private final int maxOverfetch;

  /**
   * @param maxOverfetch the most extra neighbours fetched to make up for rejected items
   */
  public CollaborativeSource(ItemIndex index, Factors factors, int maxOverfetch) {
    this.index = index;
    this.factors = factors;
    this.maxOverfetch = maxOverfetch;
  }

  /** Whether the source can propose anything: the bundle has item vectors. */
  public boolean isOn() {
    return factors.hasItemVectors();
  }

  /**
   * The top {@code quota} accepted items for {@code userVector}.
   *
   * @throws UncheckedIOException if the index cannot be read
   */
  public SourceList collect(float[] userVector, int quota, CandidateFilter filter) {
    if (quota == 0 || userVector == null || !factors.hasItemVectors()) {
      return SourceList.empty();
    }
    int k = quota + Math.min(filter.blockedCount(), maxOverfetch);
    TopDocs top;
    try {
      top =
          index
              .searcher()
              .search(
                  new KnnFloatVectorQuery(ItemIndexSchema.VECTOR, userVector, k, filter.genreQuery()),
                  k);
    } catch (IOException e) {
      throw new UncheckedIOException("collaborative search failed", e);
    }
    int[] items = new int[top.scoreDocs.length];
    float[] scores = new float[top.scoreDocs.length];
    int size = 0;
    for (ScoreDoc hit : top.scoreDocs) {
      int item = index.item(hit.doc);
      if (filter.accepts(item)) {
        items[size] = item;
        scores[size] = factors.dot(userVector, item);
        size++;
      }
    }
    sortByScore(items, scores, size);
    return SourceList.of(items, scores, Math.min(size, quota));
  }

  /**
   * Orders the first {@code size} entries by score (descending), ties by item id. Lucene ranks by
   * a scaled score that a quantised vector format could make inexact; the exact inner products
   * decide the final order. Insertion sort: the hits arrive nearly sorted.
   */
  static void sortByScore(int[] items, float[] scores, int size) {
    for (int i = 1; i < size; i++) {
      int item = items[i];
      float score = scores[i];
      int j = i - 1;
      while (j >= 0 && (scores[j] < score || (scores[j] == score && items[j] > item))) {
        items[j + 1] = items[j];
        scores[j + 1] = scores[j];
        j--;
      }
      items[j + 1] = item;
      scores[j + 1] = score;
    }
  }
}
