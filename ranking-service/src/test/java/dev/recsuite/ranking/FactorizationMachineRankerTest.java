package dev.recsuite.ranking;

import static dev.recsuite.ranking.RankingFeaturesTest.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FactorizationMachineRankerTest {

  private static final long SEED = 20261130L;
  private static final int POPULARITY = RankingFeatures.names().indexOf("item.popularity");
  private static final int USER_KNOWN = RankingFeatures.names().indexOf("user.known");

  /**
   * A model with random bias, weights, means, scales and latent vectors of {@code factors}
   * entries: N(0, 1) except the scales (in [0.5, 2)) and the vectors (N(0, 0.5²)).
   */
  static RankerModel randomModel(Random random, int factors) {
    RankerModel.Builder model =
        RankerModel.newBuilder()
            .setKind(FactorizationMachineRanker.KIND)
            .addAllFeatureNames(RankingFeatures.names())
            .setBias((float) random.nextGaussian())
            .setFmFactors(factors);
    for (int j = 0; j < RankingFeatures.SIZE; j++) {
      model.addWeights((float) random.nextGaussian());
      model.addFeatureMeans((float) random.nextGaussian());
      model.addFeatureScales((float) (0.5 + 1.5 * random.nextDouble()));
      for (int f = 0; f < factors; f++) {
        model.addFmVectors((float) (0.5 * random.nextGaussian()));
      }
    }
    return model.build();
  }

  /** The definition, term by term: bias + Σ w_i z_i + Σ_{i<j} ⟨v_i, v_j⟩ z_i z_j, in O(n² k). */
  private static double naiveScore(RankerModel model, float[] x) {
    int n = RankingFeatures.SIZE;
    int k = model.getFmFactors();
    double[] z = new double[n];
    double score = model.getBias();
    for (int i = 0; i < n; i++) {
      z[i] = (x[i] - (double) model.getFeatureMeans(i)) / model.getFeatureScales(i);
      score += model.getWeights(i) * z[i];
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dot = 0;
        for (int f = 0; f < k; f++) {
          dot += (double) model.getFmVectors(i * k + f) * model.getFmVectors(j * k + f);
        }
        score += dot * z[i] * z[j];
      }
    }
    return score;
  }

  @Test
  void score_randomModelsAndInputs_equalsTheNaivePairwiseSum() {
    Random random = new Random(SEED);
    float[] x = new float[RankingFeatures.SIZE];
    for (int trial = 0; trial < 200; trial++) {
      RankerModel model = randomModel(random, 1 + random.nextInt(16));
      FactorizationMachineRanker ranker = FactorizationMachineRanker.fromModel(model);
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) (3 * random.nextGaussian());
      }

      float score = ranker.score(x);

      double expected = naiveScore(model, x);
      assertThat((double) score)
          .as("trial %d, %d factors", trial, model.getFmFactors())
          .isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
    }
  }

  /**
   * The identity in its plainest order: each factor's sum over the features in feature order, one
   * factor after the other; {@code FactorizationMachineRanker} interleaves factors but must add in
   * exactly this order.
   */
  private static float oneFactorAtATime(RankerModel model, float[] x) {
    int n = RankingFeatures.SIZE;
    int k = model.getFmFactors();
    double[] z = new double[n];
    double linear = model.getBias();
    double selfInteraction = 0;
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int f = 0; f < k; f++) {
        double v = model.getFmVectors(i * k + f);
        norm += v * v;
      }
      z[i] = ((Float.isFinite(x[i]) ? x[i] : 0.0) - (double) model.getFeatureMeans(i)) / (double) model.getFeatureScales(i);
      linear += (double) model.getWeights(i) * z[i];
      selfInteraction += norm * z[i] * z[i];
    }
    double squares = 0;
    for (int f = 0; f < k; f++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += (double) model.getFmVectors(i * k + f) * z[i];
      }
      squares += sum * sum;
    }
    double score = linear + 0.5 * (squares - selfInteraction);
    return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, score));
  }

  @Test
  void score_anyNumberOfFactors_equalsOneFactorAtATimeBitForBit() {
    Random random = new Random(SEED);
    float[] x = new float[RankingFeatures.SIZE];
    for (int factors = 1; factors <= 17; factors++) {
      for (int trial = 0; trial < 40; trial++) {
        RankerModel model = randomModel(random, factors);
        if (trial % 2 == 0) {
          // Cancellation, so that the order of the additions shows in the float score: no linear
          // part; one huge standardised value, a few small ones, the others exactly 0. The pairwise
          // sum is then the small difference of two sums near 1e16, and a factor's sum adds terms
          // of very different sizes.
          model = model.toBuilder().clearWeights().addAllWeights(Collections.nCopies(RankingFeatures.SIZE, 0f)).build();
          for (int j = 0; j < x.length; j++) {
            x[j] = model.getFeatureMeans(j);
          }
          x[random.nextInt(x.length)] = (float) (1e8 * random.nextGaussian());
          for (int small = 0; small < 3; small++) {
            int j = random.nextInt(x.length);
            x[j] += (float) (1e-3 * random.nextGaussian());
          }
        } else {
          for (int j = 0; j < x.length; j++) {
            x[j] = random.nextInt(4) == 0 ? 0f : (float) (3 * random.nextGaussian());
          }
        }
        FactorizationMachineRanker ranker = FactorizationMachineRanker.fromModel(model);

        float score = ranker.score(x);

        assertThat(Float.floatToRawIntBits(score))
            .as("%d factors, trial %d", factors, trial)
            .isEqualTo(Float.floatToRawIntBits(oneFactorAtATime(model, x)));
      }
    }
  }

  @Test
  void score_zeroVectors_equalsTheLogisticModelWithTheSameWeights() {
    RankerModel linear = LinearRankerTest.handModel();
    RankerModel fm =
        linear.toBuilder()
            .setKind(FactorizationMachineRanker.KIND)
            .setFmFactors(4)
            .addAllFmVectors(Collections.nCopies(4 * RankingFeatures.SIZE, 0f))
            .build();
    float[] x = new float[RankingFeatures.SIZE];
    x[POPULARITY] = 0.75f;

    float score = FactorizationMachineRanker.fromModel(fm).score(x);

    assertThat(score).isEqualTo(LinearRanker.fromModel(linear).score(x));
  }

  @Test
  void score_handModel_addsTheInteractionOfTwoFeatures() {
    // One factor: v = 2 for popularity, 3 for user.known, 0 elsewhere; no linear part.
    RankerModel.Builder model =
        RankerModel.newBuilder()
            .setKind(FactorizationMachineRanker.KIND)
            .addAllFeatureNames(RankingFeatures.names())
            .setBias(0.5f)
            .setFmFactors(1);
    for (int j = 0; j < RankingFeatures.SIZE; j++) {
      model.addWeights(0f).addFeatureMeans(0f).addFeatureScales(j == POPULARITY ? 0.5f : 1f);
      model.addFmVectors(j == POPULARITY ? 2f : j == USER_KNOWN ? 3f : 0f);
    }
    FactorizationMachineRanker ranker = FactorizationMachineRanker.fromModel(model.build());
    float[] x = new float[RankingFeatures.SIZE];
    x[POPULARITY] = 0.25f;

    float unknownUser = ranker.score(x);
    x[USER_KNOWN] = 1f;
    float knownUser = ranker.score(x);

    // z_popularity = 0.5: 0.5 + 2·3 · 0.5 · z_user.known
    assertThat(unknownUser).isEqualTo(0.5f);
    assertThat(knownUser).isEqualTo(3.5f);
  }

  @Test
  void score_candidates_matchesFeatureExtractionPerCandidate() {
    FactorizationMachineRanker ranker = FactorizationMachineRanker.fromModel(randomModel(new Random(SEED), 8));
    UserFeatures user =
        UserFeatures.newBuilder().setKnown(true).setMeanRating(3f).setInteractionCount(40).build();
    List<RankCandidate> candidates = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      candidates.add(
          RankCandidate.newBuilder()
              .setItemId("i" + i)
              .setFeatures(ItemFeatures.newBuilder().setKnown(i % 3 != 0).setPopularity(0.05f * i))
              .addSources(source(RecallSource.RECALL_SOURCE_COLLABORATIVE, 0.1f * i, i))
              .build());
    }

    float[] scores = ranker.score(user, candidates);

    float[] x = new float[RankingFeatures.SIZE];
    assertThat(scores).hasSize(20);
    for (int i = 0; i < 20; i++) {
      RankingFeatures.extract(user, candidates.get(i).getFeatures(), candidates.get(i).getSourcesList(), x);
      assertThat(scores[i]).as("candidate %d", i).isEqualTo(ranker.score(x));
    }
  }

  @Test
  void score_vectorWithNaN_countsItAsZero() {
    FactorizationMachineRanker ranker = FactorizationMachineRanker.fromModel(randomModel(new Random(SEED), 4));
    float[] withNaN = new float[RankingFeatures.SIZE];
    withNaN[POPULARITY] = Float.NaN;

    assertThat(ranker.score(withNaN)).isEqualTo(ranker.score(new float[RankingFeatures.SIZE]));
  }

  @Test
  void score_extremeInputs_staysFinite() {
    FactorizationMachineRanker ranker = FactorizationMachineRanker.fromModel(randomModel(new Random(SEED), 16));
    float[] x = new float[RankingFeatures.SIZE];
    Arrays.fill(x, Float.MAX_VALUE);

    assertThat(ranker.score(x)).isFinite();
  }

  @Test
  void score_vectorOfWrongLength_failsNamingTheLength() {
    FactorizationMachineRanker ranker = FactorizationMachineRanker.fromModel(randomModel(new Random(SEED), 4));

    assertThatThrownBy(() -> ranker.score(new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("features: length 3 (expected: %d)".formatted(RankingFeatures.SIZE));
  }

  @Test
  void fromModel_logisticKind_failsNamingTheKind() {
    assertThatThrownBy(() -> FactorizationMachineRanker.fromModel(LinearRankerTest.handModel()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: 'logistic' (expected: 'fm')");
  }

  @Test
  void fromModel_zeroFactors_failsNamingTheField() {
    RankerModel model = randomModel(new Random(SEED), 4).toBuilder().setFmFactors(0).build();

    assertThatThrownBy(() -> FactorizationMachineRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fm_factors: 0 (expected: 1..256)");
  }

  @Test
  void fromModel_vectorsOfWrongLength_failsNamingTheExpectedCount() {
    RankerModel model = randomModel(new Random(SEED), 4).toBuilder().addFmVectors(1f).build();

    assertThatThrownBy(() -> FactorizationMachineRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fm_vectors: %d values (expected: %d, fm_factors 4 per feature × %d features)"
                .formatted(4 * RankingFeatures.SIZE + 1, 4 * RankingFeatures.SIZE, RankingFeatures.SIZE));
  }

  @Test
  void fromModel_nonFiniteVectorEntry_failsNamingFeatureAndFactor() {
    // Entry 4 · 6 + 2: feature 6 (user.known), factor 2.
    RankerModel model = randomModel(new Random(SEED), 4).toBuilder().setFmVectors(26, Float.POSITIVE_INFINITY).build();

    assertThatThrownBy(() -> FactorizationMachineRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fm_vectors[26] (user.known, factor 2): Infinity (expected: finite)");
  }

  @Test
  void fromModel_commonFieldsAreCheckedLikeTheLogisticModel() {
    RankerModel renamed = randomModel(new Random(SEED), 4).toBuilder().setFeatureNames(5, "user.mean").build();
    RankerModel badScale = randomModel(new Random(SEED), 4).toBuilder().setFeatureScales(0, -1f).build();
    RankerModel badBias = randomModel(new Random(SEED), 4).toBuilder().setBias(Float.NaN).build();

    assertThatThrownBy(() -> FactorizationMachineRanker.fromModel(renamed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("feature_names[5]: 'user.mean' (expected: 'user.mean_rating';");
    assertThatThrownBy(() -> FactorizationMachineRanker.fromModel(badScale))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("feature_scales[0] (item.popularity): -1.0 (expected: finite and > 0)");
    assertThatThrownBy(() -> FactorizationMachineRanker.fromModel(badBias))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bias: NaN (expected: finite)");
  }

  @Test
  void rankerFromModel_fmKind_givesAFactorizationMachineRanker() {
    RankerModel model = randomModel(new Random(SEED), 8);

    Ranker ranker = Ranker.fromModel(model);

    assertThat(ranker).isInstanceOf(FactorizationMachineRanker.class);
    assertThat(((FactorizationMachineRanker) ranker).model()).isEqualTo(model);
    assertThat(((FactorizationMachineRanker) ranker).factors()).isEqualTo(8);
  }

  @Test
  void rankerFromModel_unknownKind_failsListingTheKnownKinds() {
    RankerModel model = randomModel(new Random(SEED), 8).toBuilder().setKind("gbdt").build();

    assertThatThrownBy(() -> Ranker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: 'gbdt' (expected: 'logistic' or 'fm')");
  }
}
