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
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearRankerTest {

  private static final int POPULARITY = RankingFeatures.names().indexOf("item.popularity");
  private static final int ITEM_KNOWN = RankingFeatures.names().indexOf("item.known");
  private static final int CF_RANK = RankingFeatures.names().indexOf("source.collaborative.reciprocal_rank");

  /** Weight 2 on popularity (mean 0.5, scale 0.25), −1 on item.known (mean 1), bias −1. */
  static RankerModel handModel() {
    RankerModel.Builder model =
        RankerModel.newBuilder()
            .setKind(LinearRanker.KIND)
            .addAllFeatureNames(RankingFeatures.names())
            .setBias(-1f);
    for (int j = 0; j < RankingFeatures.SIZE; j++) {
      model.addWeights(j == POPULARITY ? 2f : j == ITEM_KNOWN ? -1f : j == CF_RANK ? 0.5f : 0f);
      model.addFeatureMeans(j == POPULARITY ? 0.5f : j == ITEM_KNOWN ? 1f : 0f);
      model.addFeatureScales(j == POPULARITY ? 0.25f : 1f);
    }
    return model.build();
  }

  @Test
  void score_vector_isBiasPlusWeightedStandardisedFeatures() {
    LinearRanker ranker = LinearRanker.fromModel(handModel());
    float[] x = new float[RankingFeatures.SIZE];
    x[POPULARITY] = 0.75f;
    x[ITEM_KNOWN] = 0f;
    x[CF_RANK] = 0.5f;

    float score = ranker.score(x);

    // −1 + 2 · (0.75 − 0.5) / 0.25 − 1 · (0 − 1) / 1 + 0.5 · 0.5 = 2.25
    assertThat(score).isEqualTo(2.25f);
  }

  @Test
  void score_vectorWithNaN_countsItAsZero() {
    LinearRanker ranker = LinearRanker.fromModel(handModel());
    float[] x = new float[RankingFeatures.SIZE];
    x[ITEM_KNOWN] = 1f;
    x[POPULARITY] = Float.NaN;

    float score = ranker.score(x);

    assertThat(score).isEqualTo(-1f + 2f * (0f - 0.5f) / 0.25f);
  }

  @Test
  void score_candidates_matchesFeatureExtractionPerCandidate() {
    LinearRanker ranker = LinearRanker.fromModel(handModel());
    UserFeatures user = UserFeatures.newBuilder().setKnown(true).setMeanRating(3f).build();
    List<RankCandidate> candidates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      candidates.add(
          RankCandidate.newBuilder()
              .setItemId("i" + i)
              .setFeatures(ItemFeatures.newBuilder().setKnown(i % 2 == 0).setPopularity(0.2f * i))
              .addSources(source(RecallSource.RECALL_SOURCE_COLLABORATIVE, 1f, i))
              .build());
    }

    float[] scores = ranker.score(user, candidates);

    float[] x = new float[RankingFeatures.SIZE];
    assertThat(scores).hasSize(5);
    for (int i = 0; i < 5; i++) {
      RankingFeatures.extract(user, candidates.get(i).getFeatures(), candidates.get(i).getSourcesList(), x);
      assertThat(scores[i]).as("candidate %d", i).isEqualTo(ranker.score(x));
    }
    // candidate 2: known, popularity 0.4, rank 2 → −1 + 2·(−0.1)/0.25 + 0 + 0.5/3
    assertThat(scores[2]).isCloseTo(-1f - 0.8f + 0.5f / 3, within(1e-6f));
  }

  @Test
  void fromModel_mismatchedFeatureName_failsNamingTheFirstMismatch() {
    RankerModel model = handModel().toBuilder().setFeatureNames(5, "user.mean").setFeatureNames(9, "x").build();

    assertThatThrownBy(() -> LinearRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("feature_names[5]: 'user.mean' (expected: 'user.mean_rating';");
  }

  @Test
  void fromModel_missingFeatureName_failsNamingTheMissingOne() {
    List<String> names = RankingFeatures.names().subList(0, RankingFeatures.SIZE - 1);
    RankerModel model = handModel().toBuilder().clearFeatureNames().addAllFeatureNames(names).build();

    assertThatThrownBy(() -> LinearRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "feature_names: %d names, missing 'source.count' at [%d] (expected: %d names)"
                .formatted(RankingFeatures.SIZE - 1, RankingFeatures.SIZE - 1, RankingFeatures.SIZE));
  }

  @Test
  void fromModel_extraFeatureName_failsNamingIt() {
    RankerModel model = handModel().toBuilder().addFeatureNames("user.age").build();

    assertThatThrownBy(() -> LinearRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected 'user.age' at [%d]".formatted(RankingFeatures.SIZE));
  }

  @Test
  void fromModel_wrongNumberOfWeights_failsNamingTheField() {
    RankerModel model = handModel().toBuilder().addWeights(1f).build();

    assertThatThrownBy(() -> LinearRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "weights: %d values (expected: %d, one per feature)"
                .formatted(RankingFeatures.SIZE + 1, RankingFeatures.SIZE));
  }

  @Test
  void fromModel_zeroScale_failsNamingTheFeature() {
    RankerModel model = handModel().toBuilder().setFeatureScales(POPULARITY, 0f).build();

    assertThatThrownBy(() -> LinearRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("feature_scales[0] (item.popularity): 0.0 (expected: finite and > 0)");
  }

  @Test
  void fromModel_nonFiniteWeight_failsNamingTheFeature() {
    RankerModel model = handModel().toBuilder().setWeights(ITEM_KNOWN, Float.NaN).build();

    assertThatThrownBy(() -> LinearRanker.fromModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights[3] (item.known): NaN (expected: finite)");
  }

  @Test
  void fromModel_otherKind_failsNamingTheKind() {
    RankerModel fm = handModel().toBuilder().setKind("fm").build();
    RankerModel unknown = handModel().toBuilder().setKind("linear").build();

    assertThatThrownBy(() -> LinearRanker.fromModel(fm))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: 'fm' (expected: 'logistic')");
    assertThatThrownBy(() -> Ranker.fromModel(unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: 'linear' (expected: 'logistic' or 'fm')");
  }

  @Test
  void rankerFromModel_logisticKind_givesALinearRanker() {
    Ranker ranker = Ranker.fromModel(handModel());

    assertThat(ranker).isInstanceOf(LinearRanker.class);
    assertThat(((LinearRanker) ranker).model()).isEqualTo(handModel());
  }
}
