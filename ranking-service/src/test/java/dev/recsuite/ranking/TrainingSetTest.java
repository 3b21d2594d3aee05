package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

  @Test
  void add_manyExamples_keepsEveryValueLabelAndWeight() {
    TrainingSet set = new TrainingSet(List.of("a", "b"));

    for (int i = 0; i < 5_000; i++) {
      set.add(new float[] {i, -i}, i % 3 == 0, 1 + i % 4);
    }

    assertThat(set.size()).isEqualTo(5_000);
    assertThat(set.positives()).isEqualTo(1_667);
    assertThat(set.feature(4_321, 0)).isEqualTo(4_321f);
    assertThat(set.feature(4_321, 1)).isEqualTo(-4_321f);
    assertThat(set.positive(4_320)).isTrue();
    assertThat(set.positive(4_321)).isFalse();
    assertThat(set.weight(4_321)).isEqualTo(2f);
    float[] row = new float[2];
    set.copyFeatures(17, row);
    assertThat(row).containsExactly(17f, -17f);
  }

  @Test
  void add_copiesTheVector() {
    TrainingSet set = new TrainingSet(List.of("a"));
    float[] x = {1f};

    set.add(x, true);
    x[0] = 2f;

    assertThat(set.feature(0, 0)).isEqualTo(1f);
  }

  @Test
  void add_wrongLength_failsNamingTheLength() {
    TrainingSet set = TrainingSet.forRankingFeatures();

    assertThatThrownBy(() -> set.add(new float[3], true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x: length 3 (expected: %d features)".formatted(RankingFeatures.SIZE));
  }

  @Test
  void add_nonFiniteFeature_failsNamingTheFeature() {
    TrainingSet set = new TrainingSet(List.of("a", "b"));

    assertThatThrownBy(() -> set.add(new float[] {0f, Float.NaN}, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x[1] (b): NaN (expected: finite)");
    assertThat(set.size()).isZero();
  }

  @Test
  void add_nonPositiveWeight_failsNamingTheWeight() {
    TrainingSet set = new TrainingSet(List.of("a"));

    assertThatThrownBy(() -> set.add(new float[] {0f}, true, 0f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: 0.0 (expected: finite and > 0)");
  }

  @Test
  void add_withGroup_keepsTheGroupAndOtherAddsHaveNone() {
    TrainingSet set = new TrainingSet(List.of("a"));

    set.add(new float[] {1f}, true, 1f, 7);
    set.add(new float[] {2f}, false);
    set.add(new float[] {3f}, false, 2f);
    set.add(new float[] {4f}, false, 1f, 7);

    assertThat(set.group(0)).isEqualTo(7);
    assertThat(set.group(1)).isEqualTo(TrainingSet.NO_GROUP);
    assertThat(set.group(2)).isEqualTo(TrainingSet.NO_GROUP);
    assertThat(set.group(3)).isEqualTo(7);
    assertThat(set.weight(2)).isEqualTo(2f);
  }

  @Test
  void add_manyGroupedExamples_keepsEveryGroupAcrossGrowth() {
    TrainingSet set = new TrainingSet(List.of("a"));

    for (int i = 0; i < 3_000; i++) {
      set.add(new float[] {i}, i % 10 == 0, 1f, i / 10);
    }

    assertThat(set.group(2_999)).isEqualTo(299);
    assertThat(set.group(1_024)).isEqualTo(102);
  }

  @Test
  void add_negativeGroup_failsNamingTheGroup() {
    TrainingSet set = new TrainingSet(List.of("a"));

    assertThatThrownBy(() -> set.add(new float[] {0f}, true, 1f, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group: -1 (expected: >= 0)");
    assertThat(set.size()).isZero();
  }

  @Test
  void constructor_duplicateNames_failsNamingTheName() {
    assertThatThrownBy(() -> new TrainingSet(List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("featureNames: 'a' twice (expected: distinct names)");
  }

  @Test
  void feature_rowOutOfRange_fails() {
    TrainingSet set = new TrainingSet(List.of("a"));
    set.add(new float[] {1f}, false);

    assertThatThrownBy(() -> set.feature(1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
