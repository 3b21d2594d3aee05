package dev.recsuite.recall.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.ItemNeighbours;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CoOccurrenceSourceTest {

  /** Three items: 0 → [1, 2], 1 → [0], 2 → []. */
  private static ItemNeighbours.Builder valid() {
    return ItemNeighbours.newBuilder()
        .addAllOffsets(List.of(0, 2, 3, 3))
        .addAllNeighbours(List.of(1, 2, 0))
        .addAllScores(List.of(0.5f, 0.25f, 0.5f));
  }

  @Test
  void of_validTable_isOnWithItsSize() {
    CoOccurrenceSource source = CoOccurrenceSource.of(valid().setSimilarity("cosine").build(), 3);

    assertThat(source.isOn()).isTrue();
    assertThat(source.size()).isEqualTo(3);
    assertThat(source.similarity()).isEqualTo("cosine");
  }

  @Test
  void of_emptyMessage_isOff() {
    CoOccurrenceSource source = CoOccurrenceSource.of(ItemNeighbours.getDefaultInstance(), 3);

    assertThat(source.isOn()).isFalse();
    assertThat(source).isSameAs(CoOccurrenceSource.off());
  }

  static Stream<Arguments> invalidTables() {
    return Stream.of(
        Arguments.of(
            ItemNeighbours.newBuilder()
                .addAllOffsets(List.of(0, 2, 3))
                .addAllNeighbours(List.of(1, 2, 0))
                .addAllScores(List.of(0.5f, 0.25f, 0.5f)),
            "cooccurrence offsets: 3 values (expected: 4, the items + 1)"),
        Arguments.of(
            valid().setOffsets(0, 1),
            "cooccurrence offsets[0]: 1 (expected: 0)"),
        Arguments.of(
            valid().setOffsets(2, 1),
            "cooccurrence offsets[2]: 1 (expected: 2 to 3)"),
        Arguments.of(
            valid().setOffsets(1, 1).setOffsets(2, 2).setOffsets(3, 2),
            "cooccurrence offsets[3]: 2 (expected: 3, the number of neighbours)"),
        Arguments.of(
            valid().addScores(1f),
            "cooccurrence scores: 4 values (expected: 3, one per neighbour)"),
        Arguments.of(
            valid().setNeighbours(1, 3),
            "cooccurrence row 0: neighbour 3 (expected: another item in [0, 3))"),
        Arguments.of(
            valid().setNeighbours(2, 1),
            "cooccurrence row 1: neighbour 1 (expected: another item in [0, 3))"),
        Arguments.of(
            valid().setScores(0, Float.NaN),
            "cooccurrence row 0: score NaN (expected: finite)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidTables")
  void of_inconsistentTable_failsNamingTheBadValue(ItemNeighbours.Builder table, String message) {
    assertThatThrownBy(() -> CoOccurrenceSource.of(table.build(), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
