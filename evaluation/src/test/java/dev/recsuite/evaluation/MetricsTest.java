package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private static final double EPS = 1e-12;

  @Test
  void hitRate_countsRanksWithinTheCut() {
    assertThat(Metrics.hitRate(1, 1)).isEqualTo(1);
    assertThat(Metrics.hitRate(2, 1)).isEqualTo(0);
    assertThat(Metrics.hitRate(10, 10)).isEqualTo(1);
    assertThat(Metrics.hitRate(11, 10)).isEqualTo(0);
    assertThat(Metrics.hitRate(0, 20)).isEqualTo(0);
  }

  @Test
  void ndcg_isOneOverLog2OfRankPlusOne() {
    assertThat(Metrics.ndcg(1, 10)).isCloseTo(1.0, within(EPS));
    // log2(3) = 1.5849625007211563
    assertThat(Metrics.ndcg(2, 10)).isCloseTo(1 / 1.5849625007211563, within(EPS));
    assertThat(Metrics.ndcg(3, 10)).isCloseTo(0.5, within(EPS));
    assertThat(Metrics.ndcg(7, 10)).isCloseTo(1 / 3.0, within(EPS));
    assertThat(Metrics.ndcg(15, 20)).isCloseTo(0.25, within(EPS));
    assertThat(Metrics.ndcg(11, 10)).isEqualTo(0);
    assertThat(Metrics.ndcg(0, 10)).isEqualTo(0);
  }

  @Test
  void reciprocalRank_isZeroWhenAbsent() {
    assertThat(Metrics.reciprocalRank(1)).isEqualTo(1);
    assertThat(Metrics.reciprocalRank(4)).isEqualTo(0.25);
    assertThat(Metrics.reciprocalRank(0)).isEqualTo(0);
  }

  @Test
  void recallAt_countsZeroBasedPositionsBelowN() {
    assertThat(Metrics.recallAt(0, 1)).isEqualTo(1);
    assertThat(Metrics.recallAt(499, 500)).isEqualTo(1);
    assertThat(Metrics.recallAt(500, 500)).isEqualTo(0);
    assertThat(Metrics.recallAt(-1, 500)).isEqualTo(0);
  }

  @Test
  void rankOf_isOneBasedAndZeroWhenAbsent() {
    List<String> list = List.of("a", "b", "c");
    assertThat(Metrics.rankOf("a", list)).isEqualTo(1);
    assertThat(Metrics.rankOf("c", list)).isEqualTo(3);
    assertThat(Metrics.rankOf("z", list)).isEqualTo(0);
  }

  @Test
  void averages_overFourUsers_matchHandComputedValues() {
    // Held-out item at rank 1, 3, absent and 11.
    int[] ranks = {1, 3, 0, 11};
    double hr10 = 0;
    double ndcg10 = 0;
    double ndcg20 = 0;
    double mrr = 0;
    for (int rank : ranks) {
      hr10 += Metrics.hitRate(rank, 10) / ranks.length;
      ndcg10 += Metrics.ndcg(rank, 10) / ranks.length;
      ndcg20 += Metrics.ndcg(rank, 20) / ranks.length;
      mrr += Metrics.reciprocalRank(rank) / ranks.length;
    }

    assertThat(hr10).isCloseTo(0.5, within(EPS));
    assertThat(ndcg10).isCloseTo((1 + 0.5) / 4, within(EPS));
    // log2(12) = 3.5849625007211565
    assertThat(ndcg20).isCloseTo((1 + 0.5 + 1 / 3.5849625007211565) / 4, within(EPS));
    assertThat(mrr).isCloseTo((1 + 1 / 3.0 + 1 / 11.0) / 4, within(EPS));
  }

  @Test
  void coverage_withCutTwo_countsFiveOfTen() {
    // Cut at 2: {a, b}, {b, d}, {e, f} → a, b, d, e, f.
    List<List<String>> lists = List.of(List.of("a", "b", "c"), List.of("b", "d"), List.of("e", "f", "g"));

    assertThat(Metrics.coverage(lists, 2, 10)).isCloseTo(0.5, within(EPS));
  }

  @Test
  void novelty_isMinusLog2OfTheUserShare() {
    assertThat(Metrics.novelty(50, 100)).isCloseTo(1, within(EPS));
    assertThat(Metrics.novelty(100, 100)).isCloseTo(0, within(EPS));
    assertThat(Metrics.novelty(1, 1024)).isCloseTo(10, within(EPS));
    // An item nobody touched counts as touched by one.
    assertThat(Metrics.novelty(0, 1024)).isCloseTo(10, within(EPS));
  }

  @Test
  void standardError_isSampleStandardDeviationOverRootN() {
    // Values 0, 0, 1, 1: mean 0.5, sample variance (4 × 0.25) / 3 = 1/3, SE = sqrt(1/3 / 4).
    assertThat(Metrics.standardError(new double[] {0, 0, 1, 1})).isCloseTo(Math.sqrt(1 / 12.0), within(EPS));
    assertThat(Metrics.standardError(new double[] {0.3})).isEqualTo(0);
  }

  @Test
  void invalidArguments_failNamingTheValue() {
    assertThatThrownBy(() -> Metrics.hitRate(-1, 10)).hasMessageContaining("rank: -1");
    assertThatThrownBy(() -> Metrics.ndcg(1, 0)).hasMessageContaining("k: 0");
    assertThatThrownBy(() -> Metrics.recallAt(-2, 10)).hasMessageContaining("position: -2");
    assertThatThrownBy(() -> Metrics.novelty(5, 4)).hasMessageContaining("users: 5");
    assertThatThrownBy(() -> Metrics.coverage(List.of(), 10, 0)).hasMessageContaining("catalogueSize: 0");
  }
}
