package dev.recsuite.evaluation.internal;

import dev.recsuite.core.data.IdIndex;
import dev.recsuite.evaluation.Recommendation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The two ways a baseline turns item scores into a list, shared so that all break ties alike. */
final class Rankings {

  private Rankings() {}

  /**
   * Full ranking: the {@code k} best-scored items the user has not seen, by descending score, ties
   * by ascending dense id. NaN scores never make the list.
   */
  static List<Recommendation> topK(float[] scores, UserItemMatrix seen, int user, int k, IdIndex items) {
    int[] best = new int[k];
    float[] bestScores = new float[k];
    int size = 0;
    for (int item = 0; item < scores.length; item++) {
      float score = scores[item];
      if (Float.isNaN(score) || (size == k && score <= bestScores[k - 1]) || seen.seen(user, item)) {
        continue;
      }
      // Insert after every item with a score >= this one: ties keep the lower id (seen first).
      int at = size == k ? k - 1 : size;
      while (at > 0 && bestScores[at - 1] < score) {
        at--;
      }
      int moved = Math.min(size, k - 1) - at;
      System.arraycopy(best, at, best, at + 1, moved);
      System.arraycopy(bestScores, at, bestScores, at + 1, moved);
      best[at] = item;
      bestScores[at] = score;
      size = Math.min(size + 1, k);
    }
    List<Recommendation> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(new Recommendation(items.id(best[i]), bestScores[i]));
    }
    return list;
  }

  /**
   * Sampled protocol: the candidates the catalogue knows and the user has not seen (each once), by
   * descending score, ties in candidate order (which the test set shuffled), cut to {@code k}.
   */
  static List<Recommendation> rankCandidates(
      List<String> candidateIds, float[] scores, UserItemMatrix seen, int user, int k, IdIndex items) {
    int[] candidates = knownUnseen(candidateIds, seen, user, items);
    Integer[] order = new Integer[candidates.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Stable sort: equal scores stay in candidate order.
    Arrays.sort(order, (a, b) -> Float.compare(scores[candidates[b]], scores[candidates[a]]));
    List<Recommendation> list = new ArrayList<>(Math.min(k, order.length));
    for (int i = 0; i < order.length && list.size() < k; i++) {
      int item = candidates[order[i]];
      list.add(new Recommendation(items.id(item), scores[item]));
    }
    return list;
  }

  /** Dense ids of the known, unseen candidates, each once, in candidate order. */
  static int[] knownUnseen(List<String> candidateIds, UserItemMatrix seen, int user, IdIndex items) {
    int[] dense = new int[candidateIds.size()];
    int size = 0;
    Set<Integer> distinct = new HashSet<>();
    for (String id : candidateIds) {
      int item = items.indexOf(id);
      if (item >= 0 && !seen.seen(user, item) && distinct.add(item)) {
        dense[size++] = item;
      }
    }
    return Arrays.copyOf(dense, size);
  }
}
