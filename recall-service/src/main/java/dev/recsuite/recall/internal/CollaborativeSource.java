package dev.recsuite.recall.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.LongHeap;
import org.apache.lucene.util.NumericUtils;
import org.apache.lucene.util.VectorUtil;

/**
 * COLLABORATIVE: the items whose vectors have the largest inner product with the user's vector:
 * searched in the Lucene item index's vector graph, or scanned exactly over the item factors.
 *
 * <p>A catalogue of more than {@value #EXACT_SCAN_ITEMS_PER_RESULT} items per result wanted is
 * searched with Lucene's HNSW graph. Seen and excluded items cannot be expressed cheaply as a KNN
 * filter, so that search over-fetches by their number (bounded) and drops them afterwards; genre
 * filters go into the KNN filter query so the graph search honours them.
 *
 * <p>A smaller catalogue (MovieLens 100K's 1,682 items for a few hundred results) is scanned
 * exactly instead, with Lucene's vectorised inner product over a heap copy of the item factors: a
 * graph search for k results visits on the order of k × its 16 links per node vectors and pays a
 * heap operation for each, so below that many items a scan is both cheaper (measured: 25 % of
 * recall's CPU under load with the graph) and exact; the filter is then applied to every item, so
 * nothing is over-fetched.
 *
 * <p>Either way, scores are the exact inner products recomputed from the factors and decide the
 * order (ties: lower dense id).
 */
public final class CollaborativeSource {

  /** Default catalogue items per wanted result at and below which the catalogue is scanned exactly. */
  public static final int EXACT_SCAN_ITEMS_PER_RESULT = 16;

  private final ItemIndex index;
  private final Factors factors;
  private final int maxOverfetch;
  private final int exactScanItemsPerResult;

  /**
   * @param maxOverfetch the most extra neighbours fetched to make up for rejected items
   * @param exactScanItemsPerResult catalogue items per wanted result at and below which the
   *     catalogue is scanned exactly ({@link #EXACT_SCAN_ITEMS_PER_RESULT}; 0: always the graph)
   */
  public CollaborativeSource(ItemIndex index, Factors factors, int maxOverfetch, int exactScanItemsPerResult) {
    this.index = index;
    this.factors = factors;
    this.maxOverfetch = maxOverfetch;
    this.exactScanItemsPerResult = exactScanItemsPerResult;
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
    if (index.size() <= (long) exactScanItemsPerResult * k) {
      return scan(userVector, quota, filter);
    }
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
   * The exact top {@code quota} accepted items, every item vector scored once (from the heap copy
   * of the factors, {@link Factors#itemVectors()}: no read of the index's memory-mapped vectors).
   */
  private SourceList scan(float[] userVector, int quota, CandidateFilter filter) {
    float[][] vectors = factors.itemVectors();
    // The vectorised float inner product selects; the low bits break ties towards the lower dense
    // id, as the exact order does.
    LongHeap best = new LongHeap(quota);
    for (int item = 0; item < vectors.length; item++) {
      if (filter.accepts(item)) {
        float score = VectorUtil.dotProduct(userVector, vectors[item]);
        best.insertWithOverflow((long) NumericUtils.floatToSortableInt(score) << 32 | (Integer.MAX_VALUE - item));
      }
    }
    int size = best.size();
    int[] items = new int[size];
    float[] scores = new float[size];
    for (int i = size - 1; i >= 0; i--) {
      items[i] = Integer.MAX_VALUE - (int) best.pop();
      scores[i] = factors.dot(userVector, items[i]);
    }
    sortByScore(items, scores, size);
    return SourceList.of(items, scores, size);
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
