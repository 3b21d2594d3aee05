package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingFeaturesTest {

  private static final UserFeatures USER =
      UserFeatures.newBuilder()
          .setUserId("u1")
          .setKnown(true)
          .setInteractionCount(19)
          .setMeanRating(3.5f)
          .putGenreAffinity("Drama", 0.5f)
          .putGenreAffinity("Comedy", 0.25f)
          .putGenreAffinity("Action", 0.125f)
          .setMeanItemYear(1990f)
          .build();

  private static final ItemFeatures ITEM =
      ItemFeatures.newBuilder()
          .setItemId("i1")
          .setKnown(true)
          .setPopularity(0.75f)
          .setShrunkRating(4.0f)
          .setInteractionCount(99)
          .addGenres("Drama")
          .addGenres("Comedy")
          .addGenres("Horror")
          .setYear(1995)
          .build();

  private static final List<SourceScore> SOURCES =
      List.of(
          source(RecallSource.RECALL_SOURCE_COLLABORATIVE, 0.8f, 0),
          source(RecallSource.RECALL_SOURCE_POPULAR, 120f, 3),
          // a duplicate (ignored: the first entry wins) and an unspecified source (ignored)
          source(RecallSource.RECALL_SOURCE_COLLABORATIVE, 0.1f, 9),
          source(RecallSource.RECALL_SOURCE_UNSPECIFIED, 5f, 0));

  @Test
  void names_areDistinctAndOnePerFeature() {
    List<String> names = RankingFeatures.names();

    assertThat(names).hasSize(RankingFeatures.SIZE).doesNotHaveDuplicates();
    assertThat(new HashSet<>(names))
        .contains(
            "item.popularity",
            "user.known",
            "cross.genre_affinity_sum",
            "source.co_occurrence.reciprocal_rank",
            "source.count");
    assertThat(names.getFirst()).isEqualTo("item.popularity");
    assertThat(names.getLast()).isEqualTo("source.count");
  }

  @Test
  void extract_handMadeCase_givesExactValues() {
    float[] out = new float[RankingFeatures.SIZE];

    RankingFeatures.extract(USER, ITEM, SOURCES, out);

    Map<String, Float> expected = new LinkedHashMap<>();
    expected.put("item.popularity", 0.75f);
    expected.put("item.shrunk_rating", 4.0f);
    expected.put("item.log1p_interactions", (float) Math.log(100));
    expected.put("item.known", 1f);
    expected.put("user.log1p_interactions", (float) Math.log(20));
    expected.put("user.mean_rating", 3.5f);
    expected.put("user.known", 1f);
    expected.put("cross.genre_affinity_sum", 0.75f);
    expected.put("cross.genre_affinity_max", 0.5f);
    expected.put("cross.year_distance", 0.5f);
    expected.put("cross.rating_gap", 0.5f);
    expected.put("source.collaborative.present", 1f);
    expected.put("source.collaborative.score", 0.8f);
    expected.put("source.collaborative.reciprocal_rank", 1f);
    expected.put("source.content.present", 0f);
    expected.put("source.content.score", 0f);
    expected.put("source.content.reciprocal_rank", 0f);
    expected.put("source.query.present", 0f);
    expected.put("source.query.score", 0f);
    expected.put("source.query.reciprocal_rank", 0f);
    expected.put("source.popular.present", 1f);
    expected.put("source.popular.score", 120f);
    expected.put("source.popular.reciprocal_rank", 0.25f);
    expected.put("source.co_occurrence.present", 0f);
    expected.put("source.co_occurrence.score", 0f);
    expected.put("source.co_occurrence.reciprocal_rank", 0f);
    expected.put("source.count", 2f);
    assertThat(expected.keySet()).containsExactlyElementsOf(RankingFeatures.names());
    assertThat(byName(out)).containsExactlyEntriesOf(expected);
  }

  @Test
  void extract_unknownUserAndItem_givesZerosAndLowersTheFlags() {
    // The feature service's defaults for unknown ids carry means; the flags must carry the signal.
    UserFeatures user = USER.toBuilder().setKnown(false).build();
    ItemFeatures item = ITEM.toBuilder().setKnown(false).build();
    float[] out = new float[RankingFeatures.SIZE];

    RankingFeatures.extract(user, item, List.of(), out);

    assertThat(out).containsOnly(0f);
  }

  @Test
  void extract_unknownUserOnly_keepsItemFeaturesAndZeroesUserAndCrossFeatures() {
    UserFeatures user = USER.toBuilder().setKnown(false).build();
    float[] out = new float[RankingFeatures.SIZE];

    RankingFeatures.extract(user, ITEM, List.of(), out);

    Map<String, Float> values = byName(out);
    assertThat(values).containsEntry("item.popularity", 0.75f).containsEntry("item.known", 1f);
    assertThat(values)
        .containsEntry("user.mean_rating", 0f)
        .containsEntry("user.known", 0f)
        .containsEntry("cross.genre_affinity_sum", 0f)
        .containsEntry("cross.rating_gap", 0f);
  }

  @Test
  void extract_unknownYears_giveZeroYearDistance() {
    float[] out = new float[RankingFeatures.SIZE];

    RankingFeatures.extract(USER, ITEM.toBuilder().setYear(0).build(), List.of(), out);
    float itemYearUnknown = byName(out).get("cross.year_distance");
    RankingFeatures.extract(USER.toBuilder().setMeanItemYear(0).build(), ITEM, List.of(), out);
    float userYearUnknown = byName(out).get("cross.year_distance");

    assertThat(itemYearUnknown).isZero();
    assertThat(userYearUnknown).isZero();
  }

  @Test
  void extract_itemWithoutGenres_givesZeroAffinities() {
    float[] out = new float[RankingFeatures.SIZE];

    RankingFeatures.extract(USER, ITEM.toBuilder().clearGenres().build(), List.of(), out);

    assertThat(byName(out))
        .containsEntry("cross.genre_affinity_sum", 0f)
        .containsEntry("cross.genre_affinity_max", 0f);
  }

  @Test
  void extract_nonFiniteAndNegativeInputs_countAsZero() {
    UserFeatures user =
        USER.toBuilder()
            .setMeanRating(Float.NEGATIVE_INFINITY)
            .setInteractionCount(-3)
            .putGenreAffinity("Drama", Float.NaN)
            .setMeanItemYear(Float.NaN)
            .build();
    ItemFeatures item =
        ITEM.toBuilder()
            .setPopularity(Float.NaN)
            .setShrunkRating(Float.POSITIVE_INFINITY)
            .setInteractionCount(-7)
            .build();
    List<SourceScore> sources =
        List.of(
            source(RecallSource.RECALL_SOURCE_CONTENT, Float.NaN, -5),
            source(RecallSource.RECALL_SOURCE_QUERY, Float.NEGATIVE_INFINITY, Integer.MIN_VALUE));
    float[] out = new float[RankingFeatures.SIZE];

    RankingFeatures.extract(user, item, sources, out);

    Map<String, Float> values = byName(out);
    assertThat(nonFinite(out)).isEmpty();
    assertThat(values)
        .containsEntry("item.popularity", 0f)
        .containsEntry("item.shrunk_rating", 0f)
        .containsEntry("item.log1p_interactions", 0f)
        .containsEntry("user.mean_rating", 0f)
        .containsEntry("user.log1p_interactions", 0f)
        .containsEntry("cross.genre_affinity_sum", 0.25f) // Drama's NaN counts 0, Comedy 0.25
        .containsEntry("cross.year_distance", 0f)
        .containsEntry("cross.rating_gap", 0f)
        .containsEntry("source.content.present", 1f)
        .containsEntry("source.content.score", 0f)
        .containsEntry("source.content.reciprocal_rank", 1f)
        .containsEntry("source.query.score", 0f)
        .containsEntry("source.query.reciprocal_rank", 1f)
        .containsEntry("source.count", 2f);
  }

  @Test
  void extract_sumsThatOverflowAFloat_areClampedNotInfinite() {
    UserFeatures user =
        USER.toBuilder()
            .putGenreAffinity("Drama", Float.MAX_VALUE)
            .putGenreAffinity("Comedy", Float.MAX_VALUE)
            .setMeanRating(-Float.MAX_VALUE)
            .build();
    ItemFeatures item = ITEM.toBuilder().setShrunkRating(Float.MAX_VALUE).build();
    float[] out = new float[RankingFeatures.SIZE];

    RankingFeatures.extract(user, item, List.of(), out);

    assertThat(byName(out))
        .containsEntry("cross.genre_affinity_sum", Float.MAX_VALUE)
        .containsEntry("cross.rating_gap", Float.MAX_VALUE);
  }

  @Test
  void extract_randomHostileInputs_neverGiveANonFiniteFeatureOrScore() {
    Random random = new Random(20261130L);
    float[] hostile = {
      Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
      -Float.MAX_VALUE, Float.MIN_VALUE, 0f, -1f, 1e30f
    };
    LinearRanker ranker = LinearRanker.fromModel(bigModel(random));
    float[] out = new float[RankingFeatures.SIZE];

    for (int round = 0; round < 2_000; round++) {
      UserFeatures user =
          UserFeatures.newBuilder()
              .setKnown(random.nextBoolean())
              .setInteractionCount(random.nextInt())
              .setMeanRating(pick(random, hostile))
              .putGenreAffinity("a", pick(random, hostile))
              .putGenreAffinity("b", pick(random, hostile))
              .setMeanItemYear(pick(random, hostile))
              .build();
      ItemFeatures item =
          ItemFeatures.newBuilder()
              .setKnown(random.nextBoolean())
              .setPopularity(pick(random, hostile))
              .setShrunkRating(pick(random, hostile))
              .setInteractionCount(random.nextInt())
              .addGenres("a")
              .addGenres("b")
              .setYear(random.nextInt())
              .build();
      List<SourceScore> sources =
          List.of(
              source(RecallSource.forNumber(1 + random.nextInt(5)), pick(random, hostile), random.nextInt()),
              SourceScore.newBuilder().setSourceValue(random.nextInt(100)).setScore(pick(random, hostile)).build());

      RankingFeatures.extract(user, item, sources, out);
      float score = ranker.score(out);

      assertThat(nonFinite(out)).as("round %d", round).isEmpty();
      assertThat(Float.isFinite(score)).as("score %s in round %d", score, round).isTrue();
    }
  }

  @Test
  void extract_atOffset_writesOnlyItsSlice() {
    float[] out = new float[2 * RankingFeatures.SIZE + 1];
    Arrays.fill(out, -7f);

    RankingFeatures.extract(USER, ITEM, SOURCES, out, RankingFeatures.SIZE);

    float[] alone = new float[RankingFeatures.SIZE];
    RankingFeatures.extract(USER, ITEM, SOURCES, alone);
    assertThat(Arrays.copyOfRange(out, 0, RankingFeatures.SIZE)).containsOnly(-7f);
    assertThat(Arrays.copyOfRange(out, RankingFeatures.SIZE, 2 * RankingFeatures.SIZE)).containsExactly(alone);
    assertThat(out[2 * RankingFeatures.SIZE]).isEqualTo(-7f);
  }

  @Test
  void extract_outTooShort_failsNamingTheLength() {
    float[] out = new float[RankingFeatures.SIZE + 3];

    assertThatThrownBy(() -> RankingFeatures.extract(USER, ITEM, SOURCES, out, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "offset: 4 into out of length %d (expected: room for %d features)"
                .formatted(RankingFeatures.SIZE + 3, RankingFeatures.SIZE));
  }

  static SourceScore source(RecallSource source, float score, int rank) {
    return SourceScore.newBuilder().setSource(source).setScore(score).setRank(rank).build();
  }

  private static Map<String, Float> byName(float[] values) {
    Map<String, Float> map = new LinkedHashMap<>();
    for (int j = 0; j < RankingFeatures.SIZE; j++) {
      map.put(RankingFeatures.names().get(j), values[j]);
    }
    return map;
  }

  /** Names of the features whose value is NaN or infinite. */
  private static List<String> nonFinite(float[] values) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < values.length; j++) {
      if (!Float.isFinite(values[j])) {
        names.add(RankingFeatures.names().get(j) + "=" + values[j]);
      }
    }
    return names;
  }

  private static float pick(Random random, float[] values) {
    return values[random.nextInt(values.length)];
  }

  /** A valid model with extreme parameters: huge weights, tiny scales. */
  private static RankerModel bigModel(Random random) {
    RankerModel.Builder model =
        RankerModel.newBuilder()
            .setKind(LinearRanker.KIND)
            .addAllFeatureNames(RankingFeatures.names())
            .setBias(Float.MAX_VALUE);
    for (int j = 0; j < RankingFeatures.SIZE; j++) {
      model.addWeights(random.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE);
      model.addFeatureMeans(random.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE);
      model.addFeatureScales(Float.MIN_VALUE);
    }
    return model.build();
  }
}
