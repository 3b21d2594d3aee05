package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.common.v1.RecallSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateTableTest {

  private static final RecallCandidate FIRST =
      new RecallCandidate(
          7,
          "m7",
          0.5,
          List.of(
              new SourceHit(RecallSource.RECALL_SOURCE_COLLABORATIVE, 2.5f, 0),
              new SourceHit(RecallSource.RECALL_SOURCE_CO_OCCURRENCE, 0.25f, 3)));
  private static final RecallCandidate SECOND = new RecallCandidate(2, "m2", 0, List.of());

  @Test
  void copyOf_readsBackTheSameCandidatesAndTheirHitsAsArrays() {
    CandidateTable table = CandidateTable.copyOf(List.of(FIRST, SECOND));

    assertThat(table).containsExactly(FIRST, SECOND);
    assertThat(table.item(0)).isEqualTo(7);
    assertThat(table.itemId(1)).isEqualTo("m2");
    assertThat(table.rank(0, 0)).isZero();
    assertThat(table.score(0, 0)).isEqualTo(2.5f);
    assertThat(CandidateTable.source(4)).isEqualTo(RecallSource.RECALL_SOURCE_CO_OCCURRENCE);
    assertThat(table.rank(0, 4)).isEqualTo(3);
    assertThat(table.rank(0, 1)).as("CONTENT did not propose it").isEqualTo(-1);
    assertThat(table.rank(1, 0)).isEqualTo(-1);
  }

  @Test
  void copyOf_aSourceListedTwice_failsNamingTheCandidate() {
    RecallCandidate twice =
        new RecallCandidate(
            1,
            "m1",
            0,
            List.of(
                new SourceHit(RecallSource.RECALL_SOURCE_POPULAR, 1f, 0),
                new SourceHit(RecallSource.RECALL_SOURCE_POPULAR, 2f, 1)));

    assertThatThrownBy(() -> CandidateTable.copyOf(List.of(twice)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("candidate m1: source RECALL_SOURCE_POPULAR");
  }

  @Test
  void recallResult_keepsATableAsItIs() {
    CandidateTable table = CandidateTable.copyOf(List.of(FIRST));

    RecallResult result = new RecallResult(table, true, java.util.Map.of(), "v1");

    assertThat(result.table()).isSameAs(table);
    assertThat(new RecallResult(List.of(FIRST), true, java.util.Map.of(), "v1").candidates()).containsExactly(FIRST);
  }
}
