package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.bundle.v1.CatalogItem;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.ItemFeatureRow;
import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-request feature path ({@link RequestFeatures}: the user resolved once, bundle items
 * prepared at load) against the one definition, {@link RankingFeatures#extract(UserFeatures,
 * ItemFeatures, List, float[])} on the item's message: equal bit for bit, hostile values included.
 */
class RequestFeaturesTest {

  private static final long SEED = 20261130L;
  private static final String[] GENRES = {"Action", "Comedy", "Drama", "Film-Noir", "Horror", "Sci-Fi", "War"};
  private static final float[] HOSTILE = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
    Float.MIN_VALUE, 0f, -0f, -1f, 1e30f
  };

  @Test
  void extract_randomUsersAndBundleItems_equalsExtractionFromTheItemMessageBitForBit() {
    Random random = new Random(SEED);
    float[] expected = new float[RankingFeatures.SIZE];
    float[] actual = new float[RankingFeatures.SIZE];
    for (int round = 0; round < 50; round++) {
      StaticItemFeatures items = randomItems(random, 40);
      for (int u = 0; u < 20; u++) {
        UserFeatures user = randomUser(random);
        List<RankCandidate> candidates = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
          candidates.add(randomCandidate(random));
        }
        RequestFeatures request = new RequestFeatures(user, candidates, items);
        for (int c = 0; c < candidates.size(); c++) {
          RankCandidate candidate = candidates.get(c);

          request.extract(c, actual);

          RankingFeatures.extract(user, items.item(candidate.getItemId()), candidate.getSourcesList(), expected);
          assertThat(bits(actual))
              .as("round %d, user %s, candidate %s", round, user, candidate)
              .containsExactly(bits(expected));
        }
      }
    }
  }

  @Test
  void extract_candidateCarryingFeatures_usesThemNotTheBundles() {
    Random random = new Random(SEED);
    StaticItemFeatures items = randomItems(random, 10);
    UserFeatures user = randomUser(random).toBuilder().setKnown(true).build();
    ItemFeatures carried =
        ItemFeatures.newBuilder().setKnown(true).setPopularity(0.5f).addGenres("Drama").addGenres("Unlisted").setYear(1970).build();
    RankCandidate candidate =
        RankCandidate.newBuilder()
            .setItemId("item-3")
            .setFeatures(carried)
            .addSources(RankingFeaturesTest.source(RecallSource.RECALL_SOURCE_QUERY, 2f, 4))
            .build();
    float[] actual = new float[RankingFeatures.SIZE];
    float[] expected = new float[RankingFeatures.SIZE];

    new RequestFeatures(user, List.of(candidate), items).extract(0, actual);

    RankingFeatures.extract(user, carried, candidate.getSourcesList(), expected);
    assertThat(bits(actual)).containsExactly(bits(expected));
  }

  @Test
  void extract_emptyTable_scoresEveryItemAsUnknown() {
    UserFeatures user =
        UserFeatures.newBuilder().setKnown(true).setInteractionCount(12).setMeanRating(3f).putGenreAffinity("Drama", 1f).build();
    RankCandidate candidate = RankCandidate.newBuilder().setItemId("m1").build();
    float[] actual = new float[RankingFeatures.SIZE];
    float[] expected = new float[RankingFeatures.SIZE];

    new RequestFeatures(user, List.of(candidate), StaticItemFeatures.empty()).extract(0, actual);

    RankingFeatures.extract(user, ItemFeatures.newBuilder().setKnown(false).build(), List.of(), expected);
    assertThat(bits(actual)).containsExactly(bits(expected));
    assertThat(actual[RankingFeatures.names().indexOf("item.known")]).isZero();
    assertThat(actual[RankingFeatures.names().indexOf("user.known")]).isEqualTo(1f);
  }

  @Test
  void rankers_candidatesWithoutFeatures_scoreAsTheExtractedVectorsBitForBit() {
    Random random = new Random(SEED);
    StaticItemFeatures items = randomItems(random, 40);
    RankerModel fm = FactorizationMachineRankerTest.randomModel(random, 8);
    List<Ranker> rankers =
        List.of(
            FactorizationMachineRanker.fromModel(fm),
            LinearRanker.fromModel(
                fm.toBuilder().setKind(LinearRanker.KIND).clearFmFactors().clearFmVectors().build()));
    UserFeatures user = randomUser(random).toBuilder().setKnown(true).build();
    List<RankCandidate> candidates = new ArrayList<>();
    for (int c = 0; c < 200; c++) {
      candidates.add(randomCandidate(random));
    }
    float[] x = new float[RankingFeatures.SIZE];

    for (Ranker ranker : rankers) {
      float[] scores = ranker.score(user, candidates, items);

      for (int c = 0; c < candidates.size(); c++) {
        RankCandidate candidate = candidates.get(c);
        RankingFeatures.extract(user, items.item(candidate.getItemId()), candidate.getSourcesList(), x);
        float expected =
            ranker instanceof FactorizationMachineRanker f ? f.score(x) : ((LinearRanker) ranker).score(x);
        assertThat(Float.floatToRawIntBits(scores[c])).as("%s, candidate %d", ranker, c).isEqualTo(Float.floatToRawIntBits(expected));
      }
    }
  }

  /**
   * Items {@code item-0 ..}: random genres (some repeated, some items without), years including 0
   * and negative ones, and feature rows with hostile numbers and negative counts.
   */
  static StaticItemFeatures randomItems(Random random, int count) {
    ItemCatalog.Builder catalog = ItemCatalog.newBuilder();
    FeatureTables.Builder tables = FeatureTables.newBuilder().setGlobalMeanRating(3.5f);
    for (int i = 0; i < count; i++) {
      CatalogItem.Builder item = CatalogItem.newBuilder().setId("item-" + i).setTitle("t" + i);
      for (int g = 0, n = random.nextInt(4); g < n; g++) {
        item.addGenres(GENRES[random.nextInt(GENRES.length)]);
      }
      item.setYear(random.nextInt(5) == 0 ? random.nextInt(3) - 1 : 1920 + random.nextInt(100));
      catalog.addItems(item);
      tables.addItems(
          ItemFeatureRow.newBuilder()
              .setInteractionCount(random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(600))
              .setPopularity(number(random))
              .setMeanRating(number(random))
              .setShrunkRating(number(random)));
    }
    return StaticItemFeatures.of(catalog.build(), tables.build());
  }

  /** Known or not; affinities for some catalogue genres and one the catalogue lacks. */
  static UserFeatures randomUser(Random random) {
    UserFeatures.Builder user =
        UserFeatures.newBuilder()
            .setUserId("u")
            .setKnown(random.nextInt(5) != 0)
            .setInteractionCount(random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(300))
            .setMeanRating(number(random))
            .setMeanItemYear(random.nextInt(4) == 0 ? number(random) : 1900 + 100 * random.nextFloat());
    for (String genre : GENRES) {
      if (random.nextBoolean()) {
        user.putGenreAffinity(genre, number(random));
      }
    }
    if (random.nextBoolean()) {
      user.putGenreAffinity("Unlisted", number(random));
    }
    return user.build();
  }

  /** A bundle item or an unknown one, with 0–3 sources (repeats and unknown numbers included). */
  private static RankCandidate randomCandidate(Random random) {
    RankCandidate.Builder candidate =
        RankCandidate.newBuilder().setItemId(random.nextInt(8) == 0 ? "unknown-" + random.nextInt(5) : "item-" + random.nextInt(40));
    for (int s = 0, n = random.nextInt(4); s < n; s++) {
      candidate.addSources(
          SourceScore.newBuilder()
              .setSourceValue(random.nextInt(10) == 0 ? 40 + random.nextInt(3) : random.nextInt(6))
              .setScore(number(random))
              .setRank(random.nextInt(5) == 0 ? -random.nextInt(3) : random.nextInt(300)));
    }
    return candidate.build();
  }

  /** A hostile value one time in three, else an ordinary one. */
  static float number(Random random) {
    return random.nextInt(3) == 0 ? HOSTILE[random.nextInt(HOSTILE.length)] : (float) (5 * random.nextGaussian());
  }

  static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
