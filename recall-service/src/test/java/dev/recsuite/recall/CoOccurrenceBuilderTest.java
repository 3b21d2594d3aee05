package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.core.data.Interactions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoOccurrenceBuilderTest {

  private static final CoOccurrenceParameters PLAIN_COSINE =
      CoOccurrenceParameters.defaults().withShrinkage(0).withThreads(1);

  /** Interactions from per-user item sequences, in time order. */
  private static Interactions histories(int[]... itemsByUser) {
    List<int[]> rows = new ArrayList<>();
    for (int user = 0; user < itemsByUser.length; user++) {
      for (int t = 0; t < itemsByUser[user].length; t++) {
        rows.add(new int[] {user, itemsByUser[user][t], t});
      }
    }
    int n = rows.size();
    int[] users = new int[n];
    int[] items = new int[n];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      users[i] = rows.get(i)[0];
      items[i] = rows.get(i)[1];
      times[i] = rows.get(i)[2];
    }
    return Interactions.of(itemsByUser.length, users, items, new float[n], times);
  }

  private static List<Integer> row(ItemNeighbours table, int item) {
    List<Integer> row = new ArrayList<>();
    for (int p = table.getOffsets(item); p < table.getOffsets(item + 1); p++) {
      row.add(table.getNeighbours(p));
    }
    return row;
  }

  private static List<Float> scores(ItemNeighbours table, int item) {
    return table.getScoresList().subList(table.getOffsets(item), table.getOffsets(item + 1));
  }

  // u0: 0 1 2 · u1: 0 1 · u2: 1 2 3 · u3: 0 3 0 (the repeat of 0 counts once). Item 4 unused.
  // Users per item: n(0) = 3, n(1) = 3, n(2) = 2, n(3) = 2.
  // Together: (0,1) 2, (0,2) 1, (0,3) 1, (1,2) 2, (1,3) 1, (2,3) 1.
  private static final Interactions HAND_MADE =
      histories(new int[] {0, 1, 2}, new int[] {0, 1}, new int[] {1, 2, 3}, new int[] {0, 3, 0});

  @Test
  void build_handMadeHistories_givesTheExactCosinesMostSimilarFirst() {
    ItemNeighbours table = CoOccurrenceBuilder.build(HAND_MADE, 5, PLAIN_COSINE);

    assertThat(table.getOffsetsList()).containsExactly(0, 3, 6, 9, 12, 12);
    assertThat(table.getSimilarity()).isEqualTo("cosine");
    assertThat(table.getMaxNeighbours()).isEqualTo(50);
    double third = 1 / Math.sqrt(6);
    // Row 0: 1 (2/√9), then 2 and 3 tie at 1/√6: the lower id first.
    assertThat(row(table, 0)).containsExactly(1, 2, 3);
    assertThat(scores(table, 0)).satisfiesExactly(
        s -> assertThat(s).isCloseTo(2 / 3f, within(1e-6f)),
        s -> assertThat((double) s).isCloseTo(third, within(1e-6)),
        s -> assertThat((double) s).isCloseTo(third, within(1e-6)));
    assertThat(row(table, 1)).containsExactly(2, 0, 3);
    assertThat((double) scores(table, 1).getFirst()).isCloseTo(2 / Math.sqrt(6), within(1e-6));
    assertThat(row(table, 2)).containsExactly(1, 3, 0);
    assertThat((double) scores(table, 2).get(1)).isCloseTo(0.5, within(1e-6));
    assertThat(row(table, 3)).containsExactly(2, 0, 1);
    assertThat(row(table, 4)).isEmpty();
  }

  @Test
  void build_shrinkage_multipliesByTogetherOverTogetherPlusLambda() {
    ItemNeighbours table = CoOccurrenceBuilder.build(HAND_MADE, 5, PLAIN_COSINE.withShrinkage(1));

    assertThat(table.getSimilarity()).isEqualTo("cosine shrunk by n/(n+1)");
    assertThat(row(table, 0)).containsExactly(1, 2, 3);
    assertThat((double) scores(table, 0).get(0)).isCloseTo(2 / 3.0 * 2 / 3.0, within(1e-6));
    assertThat((double) scores(table, 0).get(1)).isCloseTo(1 / Math.sqrt(6) / 2, within(1e-6));
  }

  @Test
  void build_shrinkage_ranksAWellSupportedNeighbourAboveARareOne() {
    // Item 1 was used once, with item 0 (cosine 1/√3 ≈ 0.577). Item 2 was used with item 0 by two
    // of its nine users (cosine 2/√27 ≈ 0.385).
    Interactions data =
        histories(
            new int[] {0, 1}, new int[] {0, 2}, new int[] {0, 2}, new int[] {2}, new int[] {2}, new int[] {2},
            new int[] {2}, new int[] {2}, new int[] {2}, new int[] {2});

    ItemNeighbours plain = CoOccurrenceBuilder.build(data, 3, PLAIN_COSINE);
    ItemNeighbours shrunk = CoOccurrenceBuilder.build(data, 3, PLAIN_COSINE.withShrinkage(5));

    assertThat(row(plain, 0)).containsExactly(1, 2);
    // 0.577 · 1/6 = 0.096 < 0.385 · 2/7 = 0.110
    assertThat(row(shrunk, 0)).containsExactly(2, 1);
    assertThat(shrunk.getSimilarity()).isEqualTo("cosine shrunk by n/(n+5)");
  }

  @Test
  void build_maxNeighbours_keepsTheMostSimilar() {
    ItemNeighbours table = CoOccurrenceBuilder.build(HAND_MADE, 5, PLAIN_COSINE.withMaxNeighbours(2));

    assertThat(table.getMaxNeighbours()).isEqualTo(2);
    assertThat(table.getOffsetsList()).containsExactly(0, 2, 4, 6, 8, 8);
    assertThat(row(table, 0)).containsExactly(1, 2);
    assertThat(row(table, 1)).containsExactly(2, 0);
    assertThat(row(table, 3)).containsExactly(2, 0);
  }

  @Test
  void build_userCap_onlyTheMostRecentDistinctItemsFormPairs() {
    // Most recent distinct items of the user: 3, then 2 (the repeat of 3 counts once).
    Interactions data = histories(new int[] {0, 1, 2, 3, 3});

    ItemNeighbours table = CoOccurrenceBuilder.build(data, 4, PLAIN_COSINE.withMaxItemsPerUser(2));

    assertThat(row(table, 0)).isEmpty();
    assertThat(row(table, 1)).isEmpty();
    assertThat(row(table, 2)).containsExactly(3);
    assertThat(row(table, 3)).containsExactly(2);
    assertThat(scores(table, 3)).containsExactly(1f);
  }

  @Test
  void build_randomHistories_matchBruteForceAndDoNotDependOnThreads() {
    Random random = new Random(20261130L);
    int users = 60;
    int items = 30;
    int[][] histories = new int[users][];
    for (int u = 0; u < users; u++) {
      histories[u] = new int[1 + random.nextInt(15)];
      for (int t = 0; t < histories[u].length; t++) {
        double r = random.nextDouble();
        histories[u][t] = (int) (items * r * r);
      }
    }
    Interactions data = histories(histories);
    CoOccurrenceParameters parameters =
        new CoOccurrenceParameters(4, 6, 1.5, 1);

    ItemNeighbours sequential = CoOccurrenceBuilder.build(data, items, parameters);
    ItemNeighbours parallel = CoOccurrenceBuilder.build(data, items, parameters.withThreads(3));

    assertThat(parallel).isEqualTo(sequential);
    List<Set<Integer>> capped = new ArrayList<>();
    for (int[] history : histories) {
      Set<Integer> recent = new LinkedHashSet<>();
      for (int t = history.length - 1; t >= 0 && recent.size() < 6; t--) {
        recent.add(history[t]);
      }
      capped.add(recent);
    }
    int nonEmptyRows = 0;
    for (int i = 0; i < items; i++) {
      record Scored(int item, double score) {}
      List<Scored> expected = new ArrayList<>();
      for (int j = 0; j < items; j++) {
        int together = 0;
        int ni = 0;
        int nj = 0;
        for (Set<Integer> recent : capped) {
          ni += recent.contains(i) ? 1 : 0;
          nj += recent.contains(j) ? 1 : 0;
          together += recent.contains(i) && recent.contains(j) ? 1 : 0;
        }
        if (j != i && together > 0) {
          expected.add(new Scored(j, together / Math.sqrt((double) ni * nj) * together / (together + 1.5)));
        }
      }
      expected.sort(Comparator.comparingDouble((Scored s) -> -s.score()).thenComparingInt(Scored::item));
      List<Scored> top = expected.subList(0, Math.min(4, expected.size()));
      assertThat(row(sequential, i)).as("row %d", i).containsExactlyElementsOf(top.stream().map(Scored::item).toList());
      for (int r = 0; r < top.size(); r++) {
        assertThat((double) scores(sequential, i).get(r)).isCloseTo(top.get(r).score(), within(1e-6));
      }
      nonEmptyRows += top.isEmpty() ? 0 : 1;
    }
    assertThat(nonEmptyRows).isGreaterThan(20);
  }

  @Test
  void build_defaultsWithMaxNeighbours_useTheDocumentedShrinkageAndCap() {
    ItemNeighbours table = CoOccurrenceBuilder.build(HAND_MADE, 5, 2);

    assertThat(table.getMaxNeighbours()).isEqualTo(2);
    assertThat(table.getSimilarity()).isEqualTo("cosine shrunk by n/(n+1)");
    assertThat(CoOccurrenceParameters.defaults())
        .extracting(
            CoOccurrenceParameters::maxNeighbours,
            CoOccurrenceParameters::maxItemsPerUser,
            CoOccurrenceParameters::shrinkage)
        .containsExactly(50, 200, 1.0);
  }

  @Test
  void build_noInteractions_givesEmptyRows() {
    ItemNeighbours table = CoOccurrenceBuilder.build(histories(new int[0], new int[0]), 3, PLAIN_COSINE);

    assertThat(table.getOffsetsList()).containsExactly(0, 0, 0, 0);
    assertThat(table.getNeighboursCount()).isZero();
  }

  @Test
  void build_itemIdOutOfRange_failsNamingIt() {
    assertThatThrownBy(() -> CoOccurrenceBuilder.build(HAND_MADE, 3, PLAIN_COSINE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item id 3")
        .hasMessageContaining("(expected: in [0, 3), the item count)");
    assertThatThrownBy(() -> CoOccurrenceBuilder.build(HAND_MADE, -1, PLAIN_COSINE))
        .hasMessage("itemCount: -1 (expected: >= 0)");
  }

  @Test
  void parameters_outOfRange_failNamingTheValue() {
    CoOccurrenceParameters defaults = CoOccurrenceParameters.defaults();

    assertThatThrownBy(() -> defaults.withMaxNeighbours(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxNeighbours: 0 (expected: 1 to 10000)");
    assertThatThrownBy(() -> defaults.withMaxItemsPerUser(1))
        .hasMessage("maxItemsPerUser: 1 (expected: 2 to 100000)");
    assertThatThrownBy(() -> defaults.withShrinkage(Double.NaN))
        .hasMessage("shrinkage: NaN (expected: finite and >= 0)");
    assertThatThrownBy(() -> defaults.withShrinkage(-1))
        .hasMessage("shrinkage: -1.0 (expected: finite and >= 0)");
    assertThatThrownBy(() -> defaults.withThreads(0)).hasMessage("threads: 0 (expected: > 0)");
  }

  @Test
  void build_repeatedEventsOfAUser_countOnce() {
    Interactions once = histories(new int[] {0, 1}, new int[] {0, 2});
    Interactions repeated = histories(new int[] {0, 1, 0, 1, 1}, new int[] {2, 0, 2});

    ItemNeighbours a = CoOccurrenceBuilder.build(once, 3, PLAIN_COSINE);
    ItemNeighbours b = CoOccurrenceBuilder.build(repeated, 3, PLAIN_COSINE);

    assertThat(b).isEqualTo(a);
    assertThat(new HashSet<>(row(a, 0))).containsExactlyInAnyOrder(1, 2);
  }
}
