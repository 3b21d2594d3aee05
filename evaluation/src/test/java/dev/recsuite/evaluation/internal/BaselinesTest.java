package dev.recsuite.evaluation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.data.IdIndex;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.evaluation.Recommendation;
import dev.recsuite.evaluation.TestCase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The baselines on a 4-user, 5-item matrix whose scores are computed by hand. */
class BaselinesTest {

  // u0: {0, 1}   u1: {0, 1, 2}   u2: {1, 2, 3}   u3: {0, 0(repeat), 4}
  private static final Interactions TRAIN =
      Interactions.of(
          4,
          new int[] {0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3},
          new int[] {0, 1, 0, 1, 2, 1, 2, 3, 0, 0, 4},
          new float[11],
          new long[] {1, 2, 1, 2, 3, 1, 2, 3, 1, 2, 3});
  private static final UserItemMatrix MATRIX = UserItemMatrix.of(TRAIN, 5);
  private static final IdIndex ITEMS = IdIndex.of(List.of("a", "b", "c", "d", "e"));

  @Test
  void matrix_countsRepeatedInteractionsOnce() {
    assertThat(MATRIX.itemCountOf(3)).isEqualTo(2);
    assertThat(MATRIX.userCountOf(0)).isEqualTo(3); // u0, u1, u3
    assertThat(MATRIX.userCountOf(1)).isEqualTo(3); // u0, u1, u2
    assertThat(MATRIX.userCountOf(4)).isEqualTo(1);
    assertThat(MATRIX.seen(3, 0)).isTrue();
    assertThat(MATRIX.seen(3, 1)).isFalse();
    assertThat(MATRIX.activeUsers()).isEqualTo(4);
  }

  @Test
  void mostPopular_ranksByUsersThenId_excludingSeen() {
    MostPopular popular = new MostPopular(MATRIX, ITEMS);

    // Users per item: a 3, b 3, c 2, d 1, e 1. u0 saw a and b.
    List<Recommendation> top = popular.recommend(full(0), 3);

    assertThat(ids(top)).containsExactly("c", "d", "e");
    assertThat(ids(popular.recommend(full(2), 5))).containsExactly("a", "e");
  }

  @Test
  void itemKnn_cosineOnTheBinaryMatrix_matchesHandComputedSimilarities() {
    ItemKnn knn = new ItemKnn(MATRIX, ITEMS, 0);

    // a: {u0,u1,u3}, b: {u0,u1,u2}, c: {u1,u2}, d: {u2}, e: {u3}
    assertThat(knn.similarity(0, 1)).isCloseTo((float) (2 / Math.sqrt(9)), within(1e-6f));
    assertThat(knn.similarity(0, 2)).isCloseTo((float) (1 / Math.sqrt(6)), within(1e-6f));
    assertThat(knn.similarity(1, 2)).isCloseTo((float) (2 / Math.sqrt(6)), within(1e-6f));
    assertThat(knn.similarity(2, 3)).isCloseTo((float) (1 / Math.sqrt(2)), within(1e-6f));
    assertThat(knn.similarity(0, 4)).isCloseTo((float) (1 / Math.sqrt(3)), within(1e-6f));
    assertThat(knn.similarity(3, 4)).isZero();
    assertThat(knn.similarity(1, 0)).isEqualTo(knn.similarity(0, 1));
  }

  @Test
  void itemKnn_scoresSumSimilaritiesOverTheHistory() {
    ItemKnn knn = new ItemKnn(MATRIX, ITEMS, 0);

    // u0 = {a, b}: c = 1/√6 + 2/√6 = 1.2247, d = 0 + 1/√3 = 0.5774, e = 1/√3 + 0 = 0.5774.
    float[] scores = knn.scores(0);
    assertThat(scores[2]).isCloseTo((float) (3 / Math.sqrt(6)), within(1e-6f));
    assertThat(scores[3]).isCloseTo((float) (1 / Math.sqrt(3)), within(1e-6f));
    assertThat(scores[4]).isCloseTo((float) (1 / Math.sqrt(3)), within(1e-6f));
    // Ties (d, e) by dense id; seen items never listed.
    assertThat(ids(knn.recommend(full(0), 5))).containsExactly("c", "d", "e");
  }

  @Test
  void itemKnn_keptNeighbours_limitsEachRow() {
    ItemKnn knn = new ItemKnn(MATRIX, ITEMS, 1);

    // b's neighbours: a 2/3, c 2/√6 = 0.816 → only c is kept.
    assertThat(knn.similarity(1, 2)).isGreaterThan(0);
    assertThat(knn.similarity(1, 0)).isZero();
  }

  @Test
  void cfOnly_ranksByTheInnerProductOfTheFactors() {
    // 2 factors; user 0 = (1, 0): scores are the items' first factor.
    FactorModel model =
        FactorModel.newBuilder()
            .setFactors(2)
            .addAllItemFactors(List.of(0.9f, 0f, 0.8f, 0f, 0.1f, 5f, 0.5f, 0f, 0.7f, 0f))
            .addAllUserFactors(List.of(1f, 0f, 0f, 1f, 1f, 1f, 0f, 0f))
            .build();
    CfOnly cf = new CfOnly(MATRIX, ITEMS, model);

    assertThat(ids(cf.recommend(full(0), 3))).containsExactly("e", "d", "c");
    assertThat(cf.recommend(full(0), 3).getFirst().score()).isCloseTo(0.7f, within(1e-6f));
    // user 1 = (0, 1): c scores 5; u1 saw a, b, c.
    assertThat(ids(cf.recommend(full(1), 1))).containsExactly("d");
  }

  @Test
  void sampled_ranksOnlyTheCandidates_tiesInCandidateOrder_dropsSeenAndUnknown() {
    MostPopular popular = new MostPopular(MATRIX, ITEMS);
    TestCase sampled = new TestCase(0, "u0", "e", List.of("e", "a", "zz", "d", "c", "e"));

    // u0 saw a; unknown zz dropped; e and d tie at 1 user (candidate order: e first), c has 2.
    assertThat(ids(popular.recommend(sampled, 10))).containsExactly("c", "e", "d");
  }

  @Test
  void topK_keepsTheBestInOrder_withTiesByLowerId() {
    float[] scores = {0.5f, 0.9f, 0.5f, Float.NaN, 0.7f};
    UserItemMatrix nobody = UserItemMatrix.of(Interactions.of(1, new int[0], new int[0], new float[0], new long[0]), 5);

    assertThat(ids(Rankings.topK(scores, nobody, 0, 3, ITEMS))).containsExactly("b", "e", "a");
    assertThat(ids(Rankings.topK(scores, nobody, 0, 10, ITEMS))).containsExactly("b", "e", "a", "c");
  }

  private static TestCase full(int user) {
    return new TestCase(user, "u" + user, "x", List.of());
  }

  private static List<String> ids(List<Recommendation> list) {
    return list.stream().map(Recommendation::itemId).toList();
  }
}
