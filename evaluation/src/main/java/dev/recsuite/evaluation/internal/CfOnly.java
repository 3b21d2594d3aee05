package dev.recsuite.evaluation.internal;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.data.IdIndex;
import dev.recsuite.evaluation.Recommendation;
import dev.recsuite.evaluation.Recommender;
import dev.recsuite.evaluation.TestCase;
import java.util.List;

/**
 * CF-only baseline: the exact inner product of the user's ALS factors with every item's factors
 * (the bundle's {@code cf.pb}), over the whole catalogue, seen items excluded. The recall tier's
 * COLLABORATIVE source searches the same vectors approximately (HNSW); this is the exact order.
 */
public final class CfOnly implements Recommender {

  private final UserItemMatrix matrix;
  private final IdIndex items;
  private final int factors;
  private final float[] itemFactors;
  private final float[] userFactors;

  /**
   * @throws IllegalArgumentException if the factor model does not have one vector per item and user
   */
  public CfOnly(UserItemMatrix matrix, IdIndex items, FactorModel model) {
    this.matrix = matrix;
    this.items = items;
    this.factors = model.getFactors();
    if (factors < 1
        || model.getItemFactorsCount() != (long) factors * matrix.itemCount()
        || model.getUserFactorsCount() != (long) factors * matrix.userCount()) {
      throw new IllegalArgumentException(
          "cf.pb: %d factors, %d item values, %d user values (expected: factors >= 1, %d items and %d users)"
              .formatted(factors, model.getItemFactorsCount(), model.getUserFactorsCount(),
                  matrix.itemCount(), matrix.userCount()));
    }
    this.itemFactors = toArray(model.getItemFactorsList());
    this.userFactors = toArray(model.getUserFactorsList());
  }

  private static float[] toArray(List<Float> values) {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  @Override
  public String name() {
    return "cf-only";
  }

  @Override
  public String description() {
    return "ALS user factors · item factors (exact, whole catalogue)";
  }

  /** The inner products of {@code user}'s vector with every item's, in double precision. */
  public float[] scores(int user) {
    float[] scores = new float[matrix.itemCount()];
    int u = user * factors;
    for (int item = 0; item < scores.length; item++) {
      int v = item * factors;
      double dot = 0;
      for (int f = 0; f < factors; f++) {
        dot += (double) userFactors[u + f] * itemFactors[v + f];
      }
      scores[item] = (float) dot;
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
