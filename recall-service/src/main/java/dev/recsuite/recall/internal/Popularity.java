package dev.recsuite.recall.internal;

import dev.recsuite.core.data.Interactions;
import java.util.stream.IntStream;

/** Training interaction counts per item and the items ordered by them, computed once. */
public final class Popularity {

  private final int[] counts;
  private final int[] order;

  private Popularity(int[] counts, int[] order) {
    this.counts = counts;
    this.order = order;
  }

  /**
   * Counts the interactions of every item; the order holds the items with at least one, most
   * interactions first, ties by dense id.
   */
  public static Popularity of(Interactions interactions, int itemCount) {
    int[] counts = new int[itemCount];
    for (int i = 0; i < interactions.size(); i++) {
      counts[interactions.item(i)]++;
    }
    int[] order =
        IntStream.range(0, itemCount)
            .filter(item -> counts[item] > 0)
            .boxed()
            .sorted((a, b) -> counts[a] != counts[b] ? Integer.compare(counts[b], counts[a]) : Integer.compare(a, b))
            .mapToInt(Integer::intValue)
            .toArray();
    return new Popularity(counts, order);
  }

  /** Training interactions of {@code item}. */
  public int count(int item) {
    return counts[item];
  }

  /** Number of items in {@link #itemAt(int)} order. */
  public int rankedSize() {
    return order.length;
  }

  /** The item at position {@code rank} of the popularity order. */
  public int itemAt(int rank) {
    return order[rank];
  }
}
