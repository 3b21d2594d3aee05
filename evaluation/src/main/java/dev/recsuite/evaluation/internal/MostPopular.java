package dev.recsuite.evaluation.internal;

import dev.recsuite.core.data.IdIndex;
import dev.recsuite.evaluation.Recommendation;
import dev.recsuite.evaluation.Recommender;
import dev.recsuite.evaluation.TestCase;
import java.util.List;

/**
 * Most-popular baseline: an item's score is the number of distinct training users who interacted
 * with it, the same for every user; seen items excluded, ties by dense id (full ranking) or
 * candidate order (sampled).
 */
public final class MostPopular implements Recommender {

  private final UserItemMatrix matrix;
  private final IdIndex items;
  private final float[] scores;

  public MostPopular(UserItemMatrix matrix, IdIndex items) {
    this.matrix = matrix;
    this.items = items;
    this.scores = new float[matrix.itemCount()];
    for (int item = 0; item < scores.length; item++) {
      scores[item] = matrix.userCountOf(item);
    }
  }

  @Override
  public String name() {
    return "most-popular";
  }

  @Override
  public String description() {
    return "training users per item, the same list for everyone";
  }

  @Override
  public List<Recommendation> recommend(TestCase testCase, int k) {
    return testCase.sampled()
        ? Rankings.rankCandidates(testCase.candidateIds(), scores, matrix, testCase.user(), k, items)
        : Rankings.topK(scores, matrix, testCase.user(), k, items);
  }
}
