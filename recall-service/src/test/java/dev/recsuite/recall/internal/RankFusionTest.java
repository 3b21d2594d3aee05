package dev.recsuite.recall.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankFusionTest {

  private static SourceList list(int... items) {
    float[] scores = new float[items.length];
    for (int i = 0; i < items.length; i++) {
      scores[i] = items.length - i;
    }
    return SourceList.of(items.clone(), scores, items.length);
  }

  private static List<Integer> items(RankFusion.Merged merged) {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < merged.size(); i++) {
      items.add(merged.item(i));
    }
    return items;
  }

  @Test
  void merge_itemInTwoSources_outranksTopItemsOfSingleSources() {
    SourceList first = list(10, 20, 30);
    SourceList second = list(40, 30, 50);

    RankFusion.Merged merged = RankFusion.merge(new SourceList[] {first, second}, 60, 10);

    // 30: 1/63 + 1/62; 10 and 40: 1/61 (tie: best rank 0 both, lower id first); 20: 1/62; 50: 1/63.
    assertThat(items(merged)).containsExactly(30, 10, 40, 20, 50);
    assertThat(merged.fusedScore(0)).isCloseTo(1.0 / 63 + 1.0 / 62, within(1e-15));
    assertThat(merged.rankIn(0, 0)).isEqualTo(2);
    assertThat(merged.rankIn(1, 0)).isEqualTo(1);
    assertThat(merged.rankIn(1, 1)).isEqualTo(-1);
    assertThat(merged.rankIn(0, 1)).isZero();
  }

  @Test
  void merge_limit_keepsTheBestPrefix() {
    RankFusion.Merged merged =
        RankFusion.merge(new SourceList[] {list(1, 2, 3, 4), list(4, 3), SourceList.empty()}, 60, 2);

    assertThat(items(merged)).containsExactly(4, 3);
    assertThat(merged.rankIn(2, 0)).isEqualTo(-1);
  }

  @Test
  void merge_manyItems_keepsEveryDistinctItemOnce() {
    int[] a = new int[500];
    int[] b = new int[500];
    for (int i = 0; i < 500; i++) {
      a[i] = i * 3;
      b[i] = i * 5;
    }

    RankFusion.Merged merged = RankFusion.merge(new SourceList[] {list(a), list(b)}, 60, 10_000);

    // Multiples of 15 below 1500 are in both lists: 100 of them.
    assertThat(merged.size()).isEqualTo(900);
    assertThat(items(merged)).doesNotHaveDuplicates();
    assertThat(merged.item(0)).isZero();
    for (int position = 0; position < merged.size(); position++) {
      int item = merged.item(position);
      double expected =
          (item % 3 == 0 && item / 3 < 500 ? 1.0 / (61 + item / 3) : 0)
              + (item % 5 == 0 && item / 5 < 500 ? 1.0 / (61 + item / 5) : 0);
      assertThat(merged.fusedScore(position)).isCloseTo(expected, within(1e-15));
      if (position > 0) {
        assertThat(merged.fusedScore(position)).isLessThanOrEqualTo(merged.fusedScore(position - 1));
      }
    }
  }

  @Test
  void merge_noSources_isEmpty() {
    assertThat(RankFusion.merge(new SourceList[] {SourceList.empty()}, 60, 5).size()).isZero();
  }
}
