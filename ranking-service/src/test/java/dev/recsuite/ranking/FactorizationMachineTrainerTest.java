package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.ranking.FactorizationMachineTrainer.Loss;
import dev.recsuite.ranking.FactorizationMachineTrainer.Parameters;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FactorizationMachineTrainerTest {

  private static final long SEED = 20261130L;
  private static final int AFFINITY = RankingFeatures.names().indexOf("cross.genre_affinity_max");
  private static final int CONTENT = RankingFeatures.names().indexOf("source.content.present");
  private static final int ITEM_KNOWN = RankingFeatures.names().indexOf("item.known");

  /** Feature scorer: LinearRanker::score or FactorizationMachineRanker::score. */
  interface Scorer {
    float score(float[] x);
  }

  /**
   * {@code groups} requests of {@code perGroup} candidates whose features are noise, except a genre
   * affinity {@code a ~ N(0, 1)} (stored as 0.5 + 0.2 a) and a content-recall flag {@code b}: a
   * candidate is positive with probability σ(3 · a · (b ? 1 : −1) − 1). Affinity helps content
   * candidates and hurts the others, with no effect on average: a planted interaction that no
   * linear model can use. {@code item.known} is constant 1.
   */
  static TrainingSet plantedInteraction(Random random, int groups, int perGroup) {
    TrainingSet set = TrainingSet.forRankingFeatures();
    float[] x = new float[RankingFeatures.SIZE];
    for (int g = 0; g < groups; g++) {
      for (int c = 0; c < perGroup; c++) {
        for (int j = 0; j < x.length; j++) {
          x[j] = (float) (j + random.nextGaussian());
        }
        double a = random.nextGaussian();
        boolean b = random.nextBoolean();
        x[AFFINITY] = (float) (0.5 + 0.2 * a);
        x[CONTENT] = b ? 1f : 0f;
        x[ITEM_KNOWN] = 1f;
        double margin = 3 * a * (b ? 1 : -1) - 1;
        set.add(x, random.nextDouble() < 1 / (1 + Math.exp(-margin)), 1f, g);
      }
    }
    return set;
  }

  /** Area under the ROC curve by brute force over all pairs (ties count one half). */
  static double auc(Scorer scorer, TrainingSet examples) {
    float[] x = new float[examples.featureCount()];
    float[] scores = new float[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      examples.copyFeatures(i, x);
      scores[i] = scorer.score(x);
    }
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!examples.positive(i)) {
        continue;
      }
      for (int k = 0; k < scores.length; k++) {
        if (!examples.positive(k)) {
          pairs++;
          wins += scores[i] > scores[k] ? 1 : scores[i] == scores[k] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void fit_plantedInteraction_ranksHeldOutExamplesFarBetterThanTheLogisticModel(Loss loss) {
    Random random = new Random(SEED);
    TrainingSet train = plantedInteraction(random, 1_000, 10);
    TrainingSet test = plantedInteraction(random, 300, 10);

    RankerModel fm = new FactorizationMachineTrainer(Parameters.defaults().withLoss(loss)).train(train);
    RankerModel logistic = new LogisticRankerTrainer(LogisticRankerTrainer.Parameters.defaults()).train(train);

    double fmAuc = auc(FactorizationMachineRanker.fromModel(fm)::score, test);
    double logisticAuc = auc(LinearRanker.fromModel(logistic)::score, test);
    // The Bayes-optimal ranker's AUC on this data is about 0.92; a linear one can only guess.
    assertThat(logisticAuc).isBetween(0.45, 0.55);
    assertThat(fmAuc).isGreaterThan(0.88);
  }

  @Test
  void fit_plantedInteraction_learnsAStrongPairAndLittleElse() {
    TrainingSet train = plantedInteraction(new Random(SEED), 1_000, 10);

    RankerModel model = new FactorizationMachineTrainer(Parameters.defaults()).train(train);

    int k = model.getFmFactors();
    double planted = Math.abs(dot(model, AFFINITY, CONTENT, k));
    for (int i = 0; i < RankingFeatures.SIZE; i++) {
      for (int j = i + 1; j < RankingFeatures.SIZE; j++) {
        if (i != AFFINITY || j != CONTENT) {
          assertThat(Math.abs(dot(model, i, j, k)))
              .as("interaction of %s and %s", RankingFeatures.names().get(i), RankingFeatures.names().get(j))
              .isLessThan(planted / 5);
        }
      }
    }
    // Standardised, the planted margin is 3 · z_a · z_b: the learnt ⟨v_a, v_b⟩ is of that order.
    assertThat(planted).isBetween(1.0, 6.0);
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void fit_lossesFallAcrossEpochsAndTheBestEpochIsReturned(Loss loss) {
    TrainingSet train = plantedInteraction(new Random(SEED), 1_000, 10);

    FactorizationMachineTrainer.Result result =
        new FactorizationMachineTrainer(Parameters.defaults().withLoss(loss)).fit(train);

    List<Double> training = result.trainingLosses();
    List<Double> validation = result.validationLosses();
    assertThat(training).hasSize(result.epochs() + 1);
    assertThat(validation).hasSize(result.epochs() + 1);
    // From chance (ln 2 for pairs; the base rate's entropy for examples) to well below it.
    assertThat(training.getLast()).isLessThan(0.7 * training.getFirst());
    assertThat(training.get(2)).isLessThan(training.get(1));
    double best = Collections.min(validation);
    assertThat(validation.get(result.bestEpoch())).isEqualTo(best);
    assertThat(best).isLessThan(0.7 * validation.getFirst());
    // Early stopping: it stopped `patience` epochs after the best one, or ran out of epochs.
    assertThat(result.epochs())
        .isEqualTo(Math.min(Parameters.DEFAULT_MAX_EPOCHS, result.bestEpoch() + Parameters.DEFAULT_PATIENCE));
  }

  @Test
  void fit_sameExamplesAndSeedTwice_givesTheSameModelBitForBit() {
    TrainingSet train = plantedInteraction(new Random(SEED), 300, 10);
    FactorizationMachineTrainer trainer = new FactorizationMachineTrainer(Parameters.defaults());

    RankerModel first = trainer.train(train);
    RankerModel second = trainer.train(train);
    RankerModel otherSeed =
        new FactorizationMachineTrainer(Parameters.defaults().withSeed(7)).train(train);

    assertThat(second).isEqualTo(first);
    assertThat(otherSeed.getFmVectorsList()).isNotEqualTo(first.getFmVectorsList());
  }

  @Test
  void fit_storesStandardisationAndKeepsConstantFeaturesAtZero() {
    TrainingSet train = plantedInteraction(new Random(SEED), 300, 10);

    RankerModel model = new FactorizationMachineTrainer(Parameters.defaults()).train(train);

    int k = Parameters.DEFAULT_FACTORS;
    assertThat(model.getKind()).isEqualTo(FactorizationMachineRanker.KIND);
    assertThat(model.getFeatureNamesList()).isEqualTo(RankingFeatures.names());
    assertThat(model.getFmFactors()).isEqualTo(k);
    assertThat(model.getFmVectorsCount()).isEqualTo(k * RankingFeatures.SIZE);
    assertThat(model.getFeatureMeans(ITEM_KNOWN)).isEqualTo(1f);
    assertThat(model.getFeatureScales(ITEM_KNOWN)).isEqualTo(1f);
    assertThat(model.getWeights(ITEM_KNOWN)).isZero();
    assertThat(model.getFmVectorsList().subList(ITEM_KNOWN * k, (ITEM_KNOWN + 1) * k)).containsOnly(0f);
    // Logistic loss: the bias is learnt, near the base rate's log-odds rather than 0.
    assertThat(model.getBias()).isNotZero();
  }

  @Test
  void fit_pairwise_leavesTheBiasAtZero() {
    TrainingSet train = plantedInteraction(new Random(SEED), 300, 10);

    RankerModel model =
        new FactorizationMachineTrainer(Parameters.defaults().withLoss(Loss.PAIRWISE)).train(train);

    assertThat(model.getBias()).isZero();
  }

  @Test
  void fit_nothingHeldOut_runsEveryEpochWithoutValidation() {
    TrainingSet train = plantedInteraction(new Random(SEED), 100, 10);
    Parameters parameters = Parameters.defaults().withValidationShare(0).withEpochs(4, 1);

    FactorizationMachineTrainer.Result result = new FactorizationMachineTrainer(parameters).fit(train);

    assertThat(result.epochs()).isEqualTo(4);
    assertThat(result.bestEpoch()).isEqualTo(4);
    assertThat(result.validationLosses()).isEmpty();
    assertThat(result.trainingLosses()).hasSize(5);
  }

  @Test
  void fit_examplesWithoutGroups_trainsTheLogisticLossAndHoldsOutSingleExamples() {
    Random random = new Random(SEED);
    TrainingSet grouped = plantedInteraction(random, 500, 10);
    TrainingSet ungrouped = TrainingSet.forRankingFeatures();
    float[] x = new float[RankingFeatures.SIZE];
    for (int i = 0; i < grouped.size(); i++) {
      grouped.copyFeatures(i, x);
      ungrouped.add(x, grouped.positive(i));
    }

    FactorizationMachineTrainer.Result result =
        new FactorizationMachineTrainer(Parameters.defaults()).fit(ungrouped);

    assertThat(result.validationLosses()).isNotEmpty();
    assertThat(auc(FactorizationMachineRanker.fromModel(result.model())::score, plantedInteraction(random, 100, 10)))
        .isGreaterThan(0.85);
  }

  @Test
  void fit_pairwiseWithoutGroups_failsSayingGroupsAreNeeded() {
    TrainingSet train = TrainingSet.forRankingFeatures();
    train.add(new float[RankingFeatures.SIZE], true);
    train.add(new float[RankingFeatures.SIZE], false);

    assertThatThrownBy(
            () -> new FactorizationMachineTrainer(Parameters.defaults().withLoss(Loss.PAIRWISE)).fit(train))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("examples: no group holds both a positive and a negative example");
  }

  @Test
  void fit_onlyNegativeExamples_failsNamingTheCounts() {
    TrainingSet train = TrainingSet.forRankingFeatures();
    train.add(new float[RankingFeatures.SIZE], false, 1f, 0);

    assertThatThrownBy(() -> new FactorizationMachineTrainer(Parameters.defaults()).fit(train))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("examples: 0 positive and 1 negative (expected: at least one of each)");
  }

  @Test
  void fit_tooFewGroupsToHoldOut_trainsOnEverything() {
    TrainingSet train = TrainingSet.forRankingFeatures();
    float[] x = new float[RankingFeatures.SIZE];
    x[0] = 1f;
    train.add(x, true, 1f, 0);
    x[0] = 0f;
    train.add(x, false, 1f, 0);

    FactorizationMachineTrainer.Result result =
        new FactorizationMachineTrainer(Parameters.defaults().withValidationShare(0.5).withEpochs(3, 1)).fit(train);

    assertThat(result.validationLosses()).isEmpty();
    assertThat(result.epochs()).isEqualTo(3);
    float[] positive = {1f};
    assertThat(FactorizationMachineRanker.fromModel(result.model()).score(pad(positive)))
        .isGreaterThan(FactorizationMachineRanker.fromModel(result.model()).score(pad(new float[] {0f})));
  }

  @Test
  void parameters_defaults_areTheDocumentedValues() {
    Parameters defaults = Parameters.defaults();

    assertThat(defaults)
        .isEqualTo(new Parameters(Loss.LOGISTIC, 8, 0.05, 1e-4, 1e-2, 0.05, 50, 5, 0.1, 42));
  }

  @Test
  void parameters_outOfRange_failNamingTheValue() {
    Parameters defaults = Parameters.defaults();

    assertThatThrownBy(() -> defaults.withFactors(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("factors: 0 (expected: 1..256)");
    assertThatThrownBy(() -> defaults.withLearningRate(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("learningRate: NaN (expected: finite and > 0)");
    assertThatThrownBy(() -> defaults.withL2(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("l2Weights: -1.0 (expected: finite and >= 0)");
    assertThatThrownBy(() -> defaults.withL2(0, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("l2Factors: Infinity (expected: finite and >= 0)");
    assertThatThrownBy(() -> defaults.withInitStddev(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initStddev: 0.0 (expected: finite and > 0)");
    assertThatThrownBy(() -> defaults.withEpochs(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEpochs: 0 (expected: > 0)");
    assertThatThrownBy(() -> defaults.withEpochs(10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("patience: 0 (expected: > 0)");
    assertThatThrownBy(() -> defaults.withValidationShare(0.6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validationShare: 0.6 (expected: in [0, 0.5])");
    assertThatThrownBy(() -> defaults.withLoss(null)).isInstanceOf(NullPointerException.class);
  }

  private static float[] pad(float[] head) {
    float[] x = new float[RankingFeatures.SIZE];
    System.arraycopy(head, 0, x, 0, head.length);
    return x;
  }

  /** ⟨v_i, v_j⟩ of a stored model. */
  private static double dot(RankerModel model, int i, int j, int k) {
    double sum = 0;
    for (int f = 0; f < k; f++) {
      sum += (double) model.getFmVectors(i * k + f) * model.getFmVectors(j * k + f);
    }
    return sum;
  }
}
