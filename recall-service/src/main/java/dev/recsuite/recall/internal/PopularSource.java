package dev.recsuite.recall.internal;

/**
 * POPULAR: the most interacted-with items of the training data, in the order computed at load,
 * skipping rejected items. Score: the training interaction count.
 */
public final class PopularSource {

  private final Popularity popularity;

  /** A source over the precomputed {@code popularity} order. */
  public PopularSource(Popularity popularity) {
    this.popularity = popularity;
  }

  /** The first {@code quota} accepted items of the popularity order. */
  public SourceList collect(int quota, CandidateFilter filter) {
    if (quota == 0) {
      return SourceList.empty();
    }
    int capacity = Math.min(quota, popularity.rankedSize());
    int[] items = new int[capacity];
    float[] scores = new float[capacity];
    int size = 0;
    for (int rank = 0; rank < popularity.rankedSize() && size < capacity; rank++) {
      int item = popularity.itemAt(rank);
      if (filter.accepts(item)) {
        items[size] = item;
        scores[size] = popularity.count(item);
        size++;
      }
    }
    return SourceList.of(items, scores, size);
  }
}
