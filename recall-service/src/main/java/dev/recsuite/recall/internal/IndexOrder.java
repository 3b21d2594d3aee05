package dev.recsuite.recall.internal;

import java.util.Arrays;
import java.util.function.IntBinaryOperator;
import org.apache.lucene.util.IntroSelector;
import org.apache.lucene.util.IntroSorter;

/**
 * Orders the positions {@code 0..size-1} of parallel arrays by a comparator of positions, with
 * Lucene's introselect and introsort over a plain {@code int[]}: sorting boxed {@code Integer}
 * positions cost a tenth of recall's CPU under load. Neither is stable, so the comparator must be a
 * total order (every caller breaks ties by item id); the result is then the same as that of a full
 * stable sort.
 */
final class IndexOrder {

  private IndexOrder() {}

  /**
   * The positions of the first {@code min(limit, size)} of {@code 0..size-1} in the order of
   * {@code compare}. Only those are sorted: the rest are first partitioned away (selection), which
   * saves most of the sort when {@code limit} is well below {@code size}.
   */
  static int[] top(int size, int limit, IntBinaryOperator compare) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    int kept = Math.max(0, Math.min(limit, size));
    if (kept < size && kept > 0) {
      new IntroSelector() {
        private int pivot;

        @Override
        protected void setPivot(int i) {
          pivot = order[i];
        }

        @Override
        protected int comparePivot(int j) {
          return compare.applyAsInt(pivot, order[j]);
        }

        @Override
        protected int compare(int i, int j) {
          return compare.applyAsInt(order[i], order[j]);
        }

        @Override
        protected void swap(int i, int j) {
          swapPositions(order, i, j);
        }
      }.select(0, size, kept);
    }
    new IntroSorter() {
      private int pivot;

      @Override
      protected void setPivot(int i) {
        pivot = order[i];
      }

      @Override
      protected int comparePivot(int j) {
        return compare.applyAsInt(pivot, order[j]);
      }

      @Override
      protected int compare(int i, int j) {
        return compare.applyAsInt(order[i], order[j]);
      }

      @Override
      protected void swap(int i, int j) {
        swapPositions(order, i, j);
      }
    }.sort(0, kept);
    return kept == size ? order : Arrays.copyOf(order, kept);
  }

  private static void swapPositions(int[] order, int i, int j) {
    int t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
