package dev.recsuite.recall.internal;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Merges source lists by reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): an item's
 * fused score is {@code Σ 1 / (k + rank + 1)} over the sources that proposed it, where {@code rank}
 * is its 0-based position in that source (so a source's first item adds {@code 1 / (k + 1)}, as
 * with the paper's 1-based ranks). Ties go to the item with the better best rank, then the lower
 * dense id, so the order is deterministic. Source scores are not compared across sources: they
 * live on different scales. Demoted items (near-duplicates of what the user disliked) have their
 * fused score multiplied by a penalty before the order is made.
 */
public final class RankFusion {

  private RankFusion() {}

  /** The merged order; {@link #rankIn(int, int)} says where each candidate stood per source. */
  public static final class Merged {
    private final int[] items;
    private final double[] fused;
    private final int[][] ranks;

    Merged(int[] items, double[] fused, int[][] ranks) {
      this.items = items;
      this.fused = fused;
      this.ranks = ranks;
    }

    /** Number of merged candidates. */
    public int size() {
      return items.length;
    }

    /** The dense item id at {@code position}. */
    public int item(int position) {
      return items[position];
    }

    /** The fused score of the candidate at {@code position}. */
    public double fusedScore(int position) {
      return fused[position];
    }

    /** The 0-based rank of the candidate at {@code position} in source {@code source}, or -1. */
    public int rankIn(int source, int position) {
      return ranks[source][position];
    }
  }

  /**
   * Fuses {@code sources} (each with distinct items) and keeps the best {@code limit}.
   *
   * @param k the RRF constant, {@code > 0}
   */
  public static Merged merge(SourceList[] sources, int k, int limit) {
    return merge(sources, k, limit, item -> false, 1.0);
  }

  /**
   * Fuses {@code sources} (each with distinct items), multiplies the fused score of every item
   * {@code demoted} accepts by {@code penalty}, and keeps the best {@code limit}.
   *
   * @param k the RRF constant, {@code > 0}
   * @param penalty the factor of a demoted item's fused score, in [0, 1]
   */
  public static Merged merge(SourceList[] sources, int k, int limit, IntPredicate demoted, double penalty) {
    int total = 0;
    for (SourceList source : sources) {
      total += source.size();
    }
    IntSlots slots = new IntSlots(total);
    double[] slotFused = new double[total];
    int[] slotBestRank = new int[total];
    Arrays.fill(slotBestRank, Integer.MAX_VALUE);
    int[][] slotRanks = new int[sources.length][total];
    for (int[] ranks : slotRanks) {
      Arrays.fill(ranks, -1);
    }
    for (int s = 0; s < sources.length; s++) {
      SourceList source = sources[s];
      for (int rank = 0; rank < source.size(); rank++) {
        int slot = slots.slot(source.item(rank));
        slotFused[slot] += 1.0 / (k + rank + 1);
        slotRanks[s][slot] = rank;
        slotBestRank[slot] = Math.min(slotBestRank[slot], rank);
      }
    }
    int used = slots.size();
    if (penalty != 1.0) {
      for (int slot = 0; slot < used; slot++) {
        if (demoted.test(slots.key(slot))) {
          slotFused[slot] *= penalty;
        }
      }
    }
    int[] order =
        IndexOrder.top(
            used,
            limit,
            (a, b) -> {
              int byFused = Double.compare(slotFused[b], slotFused[a]);
              if (byFused != 0) {
                return byFused;
              }
              int byRank = Integer.compare(slotBestRank[a], slotBestRank[b]);
              return byRank != 0 ? byRank : Integer.compare(slots.key(a), slots.key(b));
            });
    int kept = order.length;
    int[] items = new int[kept];
    double[] fused = new double[kept];
    int[][] ranks = new int[sources.length][kept];
    for (int position = 0; position < kept; position++) {
      int slot = order[position];
      items[position] = slots.key(slot);
      fused[position] = slotFused[slot];
      for (int s = 0; s < sources.length; s++) {
        ranks[s][position] = slotRanks[s][slot];
      }
    }
    return new Merged(items, fused, ranks);
  }
}
