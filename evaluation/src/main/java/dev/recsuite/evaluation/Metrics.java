package dev.recsuite.evaluation;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The metric definitions of the harness, for one held-out (relevant) item per user. A user's
 * <em>rank</em> is the 1-based position of the held-out item in the list a method returned, or
 * {@code 0} when the item is not in the list (beyond its cut, or never proposed).
 *
 * <ul>
 *   <li>{@code HR@K} (hit rate): 1 when {@code 1 <= rank <= K}, else 0;
 *   <li>{@code NDCG@K}: {@code 1 / log2(rank + 1)} when {@code 1 <= rank <= K}, else 0. With one
 *       relevant item the ideal DCG is 1, so this is the normalised value;
 *   <li>{@code MRR}: {@code 1 / rank}, 0 when the item is not in the list. In the full-ranking
 *       protocol the lists stop at 20 items, so it is MRR@20 (an item at rank 21 or later counts 0);
 *       in the sampled protocol every candidate is ranked and it is the exact reciprocal rank;
 *   <li>{@code Recall@N} of the recall stage: 1 when the held-out item is among the first {@code N}
 *       candidates ({@code 0 <= position < N}, 0-based), else 0;
 * </ul>
 *
 * and over all users, each averaged per user (users weigh equally):
 *
 * <ul>
 *   <li>catalogue coverage: distinct items in all top-10 lists / catalogue size;
 *   <li>novelty: the mean over every item of every top-10 list of {@code -log2(share)}, where
 *       {@code share} is the share of training users who interacted with the item; an item no
 *       training user touched counts as touched by one (so its novelty is finite, the highest).
 * </ul>
 *
 * Stateless; every method is a pure function.
 */
public final class Metrics {

  private Metrics() {}

  /**
   * HR@K of one user.
   *
   * @param rank 1-based rank of the held-out item, 0 when absent
   * @throws IllegalArgumentException if {@code rank < 0} or {@code k < 1}
   */
  public static double hitRate(int rank, int k) {
    check(rank, k);
    return rank >= 1 && rank <= k ? 1 : 0;
  }

  /**
   * NDCG@K of one user with one relevant item: {@code 1 / log2(rank + 1)} within the cut.
   *
   * @param rank 1-based rank of the held-out item, 0 when absent
   * @throws IllegalArgumentException if {@code rank < 0} or {@code k < 1}
   */
  public static double ndcg(int rank, int k) {
    check(rank, k);
    return rank >= 1 && rank <= k ? 1 / log2(rank + 1) : 0;
  }

  /**
   * Reciprocal rank of one user: {@code 1 / rank}, 0 when the item is not in the list.
   *
   * @param rank 1-based rank of the held-out item, 0 when absent
   * @throws IllegalArgumentException if {@code rank < 0}
   */
  public static double reciprocalRank(int rank) {
    if (rank < 0) {
      throw new IllegalArgumentException("rank: " + rank + " (expected: >= 0, 0 for absent)");
    }
    return rank == 0 ? 0 : 1.0 / rank;
  }

  /**
   * Recall@N of the recall stage for one user.
   *
   * @param position 0-based position of the held-out item among the candidates, -1 when absent
   * @throws IllegalArgumentException if {@code position < -1} or {@code n < 1}
   */
  public static double recallAt(int position, int n) {
    if (position < -1) {
      throw new IllegalArgumentException("position: " + position + " (expected: >= -1, -1 for absent)");
    }
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
    return position >= 0 && position < n ? 1 : 0;
  }

  /**
   * The 1-based rank of {@code item} in {@code list}, 0 when absent.
   *
   * @throws NullPointerException if an argument is null
   */
  public static int rankOf(String item, List<String> list) {
    int index = list.indexOf(item);
    return index + 1;
  }

  /**
   * Catalogue coverage: distinct items over all {@code lists}, each cut to its first {@code k}
   * items, divided by {@code catalogueSize}.
   *
   * @throws IllegalArgumentException if {@code catalogueSize < 1} or {@code k < 1}
   */
  public static double coverage(Collection<? extends List<String>> lists, int k, int catalogueSize) {
    if (catalogueSize < 1) {
      throw new IllegalArgumentException("catalogueSize: " + catalogueSize + " (expected: >= 1)");
    }
    if (k < 1) {
      throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
    }
    Set<String> distinct = new HashSet<>();
    for (List<String> list : lists) {
      distinct.addAll(list.subList(0, Math.min(k, list.size())));
    }
    return distinct.size() / (double) catalogueSize;
  }

  /**
   * Novelty of one item: {@code -log2(max(users, 1) / trainingUsers)}.
   *
   * @param users training users who interacted with the item
   * @param trainingUsers all training users
   * @throws IllegalArgumentException if {@code users < 0}, {@code trainingUsers < 1} or {@code
   *     users > trainingUsers}
   */
  public static double novelty(int users, int trainingUsers) {
    if (trainingUsers < 1) {
      throw new IllegalArgumentException("trainingUsers: " + trainingUsers + " (expected: >= 1)");
    }
    if (users < 0 || users > trainingUsers) {
      throw new IllegalArgumentException(
          "users: %d (expected: 0 to trainingUsers, %d)".formatted(users, trainingUsers));
    }
    return -log2(Math.max(users, 1) / (double) trainingUsers);
  }

  /** The arithmetic mean; 0 for no values. */
  public static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }

  /**
   * The standard error of the mean, {@code s / sqrt(n)} with the sample standard deviation {@code
   * s} (divisor {@code n - 1}); 0 for fewer than two values.
   */
  public static double standardError(double[] values) {
    int n = values.length;
    if (n < 2) {
      return 0;
    }
    double mean = mean(values);
    double squares = 0;
    for (double value : values) {
      squares += (value - mean) * (value - mean);
    }
    return Math.sqrt(squares / (n - 1) / n);
  }

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static void check(int rank, int k) {
    if (rank < 0) {
      throw new IllegalArgumentException("rank: " + rank + " (expected: >= 0, 0 for absent)");
    }
    if (k < 1) {
      throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
    }
  }
}
