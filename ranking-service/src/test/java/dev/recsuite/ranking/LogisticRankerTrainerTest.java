package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.RankerModel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRankerTrainerTest {

  private static final long SEED = 20261130L;
  private static final int POPULARITY = RankingFeatures.names().indexOf("item.popularity");
  private static final int USER_MEAN = RankingFeatures.names().indexOf("user.mean_rating");
  private static final int CF_SCORE = RankingFeatures.names().indexOf("source.collaborative.score");
  private static final int ITEM_KNOWN = RankingFeatures.names().indexOf("item.known");

  private final LogisticRankerTrainer trainer =
      new LogisticRankerTrainer(LogisticRankerTrainer.Parameters.defaults());

  @Test
  void fit_plantedLinearRule_learnsItsSignsAndRanksHeldOutExamplesWell() {
    Random random = new Random(SEED);
    TrainingSet train = planted(random, 20_000);
    TrainingSet test = planted(random, 4_000);

    LogisticRankerTrainer.Result result = trainer.fit(train);

    float[] weights = weights(result.model());
    assertThat(weights[POPULARITY]).isPositive();
    assertThat(weights[USER_MEAN]).isNegative();
    assertThat(weights[CF_SCORE]).isPositive();
    float smallestPlanted =
        Math.min(Math.abs(weights[POPULARITY]), Math.min(Math.abs(weights[USER_MEAN]), weights[CF_SCORE]));
    for (int j = 0; j < weights.length; j++) {
      if (j != POPULARITY && j != USER_MEAN && j != CF_SCORE) {
        assertThat(Math.abs(weights[j]))
            .as("weight of unrelated feature %s", RankingFeatures.names().get(j))
            .isLessThan(smallestPlanted / 10);
      }
    }
    assertThat(auc(LinearRanker.fromModel(result.model()), test)).isGreaterThan(0.9);
  }

  @Test
  void fit_plantedLinearRule_lossFallsEveryIterationAndConverges() {
    TrainingSet train = planted(new Random(SEED), 20_000);

    LogisticRankerTrainer.Result result = trainer.fit(train);

    List<Double> losses = result.losses();
    assertThat(result.converged()).isTrue();
    assertThat(result.iterations()).isBetween(2, LogisticRankerTrainer.Parameters.DEFAULT_MAX_ITERATIONS);
    assertThat(losses).hasSize(result.iterations() + 1);
    for (int i = 1; i < losses.size(); i++) {
      assertThat(losses.get(i)).as("loss after iteration %d", i).isLessThan(losses.get(i - 1));
    }
    // From the base rate's entropy (about ln 2) to well below it.
    assertThat(losses.getFirst()).isGreaterThan(0.6);
    assertThat(losses.getLast()).isLessThan(0.4);
  }

  @Test
  void fit_maxIterationsReached_reportsNotConverged() {
    TrainingSet train = planted(new Random(SEED), 5_000);
    LogisticRankerTrainer oneStep =
        new LogisticRankerTrainer(LogisticRankerTrainer.Parameters.defaults().withMaxIterations(1));

    LogisticRankerTrainer.Result result = oneStep.fit(train);

    assertThat(result.converged()).isFalse();
    assertThat(result.iterations()).isEqualTo(1);
    assertThat(result.losses()).hasSize(2);
  }

  @Test
  void fit_sameExamplesTwice_givesTheSameModelBitForBit() {
    TrainingSet train = planted(new Random(SEED), 5_000);

    RankerModel first = trainer.train(train);
    RankerModel second = trainer.train(train);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void fit_storesStandardisationAndKeepsConstantFeaturesAtScaleOneAndWeightZero() {
    TrainingSet train = planted(new Random(SEED), 20_000);

    RankerModel model = trainer.train(train);

    assertThat(model.getKind()).isEqualTo(LinearRanker.KIND);
    assertThat(model.getFeatureNamesList()).isEqualTo(RankingFeatures.names());
    // planted() draws feature j from N(j, 0.5 + 0.1 j), except item.known which is always 1.
    assertThat(model.getFeatureMeans(CF_SCORE)).isCloseTo(CF_SCORE, within(0.05f));
    assertThat(model.getFeatureScales(CF_SCORE)).isCloseTo(0.5f + 0.1f * CF_SCORE, within(0.05f));
    assertThat(model.getFeatureMeans(ITEM_KNOWN)).isEqualTo(1f);
    assertThat(model.getFeatureScales(ITEM_KNOWN)).isEqualTo(1f);
    assertThat(model.getWeights(ITEM_KNOWN)).isZero();
  }

  @Test
  void fit_weightTwo_matchesTheExampleAddedTwice() {
    Random random = new Random(SEED);
    TrainingSet base = planted(random, 2_000);
    TrainingSet weighted = TrainingSet.forRankingFeatures();
    TrainingSet duplicated = TrainingSet.forRankingFeatures();
    float[] x = new float[RankingFeatures.SIZE];
    for (int i = 0; i < base.size(); i++) {
      base.copyFeatures(i, x);
      boolean heavy = i % 3 == 0;
      weighted.add(x, base.positive(i), heavy ? 2f : 1f);
      duplicated.add(x, base.positive(i));
      if (heavy) {
        duplicated.add(x, base.positive(i));
      }
    }

    float[] fromWeights = weights(trainer.train(weighted));
    float[] fromDuplicates = weights(trainer.train(duplicated));

    for (int j = 0; j < fromWeights.length; j++) {
      assertThat(fromWeights[j]).as("weight %d", j).isCloseTo(fromDuplicates[j], within(1e-4f));
    }
  }

  @Test
  void fit_onlyPositiveExamples_failsNamingTheCounts() {
    TrainingSet train = TrainingSet.forRankingFeatures();
    train.add(new float[RankingFeatures.SIZE], true);
    train.add(new float[RankingFeatures.SIZE], true);

    assertThatThrownBy(() -> trainer.fit(train))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("examples: 2 positive and 0 negative (expected: at least one of each)");
  }

  @Test
  void parameters_outOfRange_failNamingTheValue() {
    assertThatThrownBy(() -> new LogisticRankerTrainer.Parameters(0, 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("l2: 0.0 (expected: finite and > 0)");
    assertThatThrownBy(() -> LogisticRankerTrainer.Parameters.defaults().withMaxIterations(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxIterations: 0 (expected: > 0)");
    assertThatThrownBy(() -> new LogisticRankerTrainer.Parameters(1e-3, 10, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tolerance: NaN (expected: finite and >= 0)");
  }

  /**
   * Examples whose feature j is drawn from N(j, 0.5 + 0.1 j) (item.known is constant 1), labelled
   * positive with probability sigmoid(3 z_pop − 2.5 z_mean + 2 z_cf − 0.5), z the standardised
   * value: a planted rule with logistic noise.
   */
  static TrainingSet planted(Random random, int n) {
    TrainingSet set = TrainingSet.forRankingFeatures();
    float[] x = new float[RankingFeatures.SIZE];
    double[] z = new double[RankingFeatures.SIZE];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < x.length; j++) {
        z[j] = random.nextGaussian();
        x[j] = (float) (j + (0.5 + 0.1 * j) * z[j]);
      }
      x[ITEM_KNOWN] = 1f;
      double margin = 3 * z[POPULARITY] - 2.5 * z[USER_MEAN] + 2 * z[CF_SCORE] - 0.5;
      boolean positive = random.nextDouble() < 1 / (1 + Math.exp(-margin));
      set.add(x, positive);
    }
    return set;
  }

  /** Area under the ROC curve by brute force over all pairs (ties count one half). */
  static double auc(LinearRanker ranker, TrainingSet examples) {
    float[] x = new float[examples.featureCount()];
    float[] scores = new float[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      examples.copyFeatures(i, x);
      scores[i] = ranker.score(x);
    }
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!examples.positive(i)) {
        continue;
      }
      for (int k = 0; k < scores.length; k++) {
        if (examples.positive(k)) {
          continue;
        }
        pairs++;
        wins += scores[i] > scores[k] ? 1 : scores[i] == scores[k] ? 0.5 : 0;
      }
    }
    return wins / pairs;
  }

  private static float[] weights(RankerModel model) {
    float[] weights = new float[model.getWeightsCount()];
    for (int j = 0; j < weights.length; j++) {
      weights[j] = model.getWeights(j);
    }
    return weights;
  }
}
