package dev.recsuite.recall;

import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_POPULAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.ItemNeighbours;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disliked items: never returned, and their close co-occurrence neighbours pushed down in the
 * merge. The candidates come from POPULAR alone (a user unknown to the fixture, no recent items),
 * so the merge order before the push-down is the popular order.
 */
class RecallEngineDislikeTest {

  @TempDir Path dir;

  private final Fixture fixture = Fixture.create(7);
  private final List<RecallEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(RecallEngine::close);
  }

  @Test
  void recall_dislikedItem_isNeverReturnedAndItsCloseNeighboursArePushedDown() throws IOException {
    List<String> popular = ids(engine(ItemNeighbours.getDefaultInstance(), popularOnly()).recall(query()));
    // The most popular item is disliked; its neighbours: #1 at 0.9, #2 at 0.5 (both above the
    // default threshold 0.3), #3 at 0.2 (below).
    String disliked = popular.get(0);
    ItemNeighbours table =
        table(Map.of(index(disliked), new int[] {index(popular.get(1)), index(popular.get(2)), index(popular.get(3))}),
            Map.of(index(disliked), new float[] {0.9f, 0.5f, 0.2f}));
    RecallEngine engine = engine(table, popularOnly());

    RecallResult result = engine.recall(query().withDislikedItemIds(List.of(disliked, "not-in-catalogue")));

    List<String> ids = ids(result);
    assertThat(ids).doesNotContain(disliked).hasSize(popular.size() - 1);
    // Without the push-down, #1 and #2 would lead: popular rank 0 and 1 once the disliked item is gone.
    // With a quarter of 1/61 and 1/62 they fall behind every item at rank < 4 × 61 − 61 = 183
    // (all of the fixture's 40): they end last, in their own order; #3 is untouched and leads.
    assertThat(ids.getFirst()).isEqualTo(popular.get(3));
    assertThat(ids.subList(ids.size() - 2, ids.size())).containsExactly(popular.get(1), popular.get(2));
    for (RecallCandidate candidate : result.candidates()) {
      int rank = candidate.sources().getFirst().rank();
      double factor = Set.of(popular.get(1), popular.get(2)).contains(candidate.itemId()) ? 0.25 : 1.0;
      assertThat(candidate.fusedScore()).as(candidate.itemId()).isCloseTo(factor / (60 + rank + 1), within(1e-12));
      assertThat(candidate.sources()).extracting(SourceHit::source).containsExactly(RECALL_SOURCE_POPULAR);
    }
  }

  @Test
  void recall_dislikePenaltyOne_onlyExcludesTheDislikedItem() throws IOException {
    List<String> popular = ids(engine(ItemNeighbours.getDefaultInstance(), popularOnly()).recall(query()));
    String disliked = popular.get(0);
    ItemNeighbours table =
        table(Map.of(index(disliked), new int[] {index(popular.get(1))}), Map.of(index(disliked), new float[] {0.9f}));
    RecallEngine engine = engine(table, popularOnly().withDislikePushDown(0.3, 1.0));

    List<String> ids = ids(engine.recall(query().withDislikedItemIds(List.of(disliked))));

    assertThat(ids).containsExactlyElementsOf(popular.subList(1, popular.size()));
  }

  @Test
  void recall_manyDislikesAndNeighbours_matchesABruteForceMerge() throws IOException {
    Random random = new Random(11);
    Map<Integer, int[]> rows = new HashMap<>();
    Map<Integer, float[]> scores = new HashMap<>();
    for (int item = 0; item < Fixture.ITEMS; item++) {
      int self = item;
      int[] row = random.ints(0, Fixture.ITEMS).filter(i -> i != self).distinct().limit(6).toArray();
      float[] sims = new float[row.length];
      for (int r = 0; r < row.length; r++) {
        sims[r] = 0.6f - 0.1f * r;
      }
      rows.put(item, row);
      scores.put(item, sims);
    }
    RecallSettings settings = popularOnly().withDislikePushDown(0.35, 0.5);
    List<String> popular = ids(engine(ItemNeighbours.getDefaultInstance(), popularOnly()).recall(query()));
    RecallEngine engine = engine(table(rows, scores), settings);
    List<String> disliked = List.of(popular.get(2), popular.get(7), popular.get(19));

    RecallResult result = engine.recall(query().withDislikedItemIds(disliked));

    // Brute force: popular order without the disliked items; an item within a similarity of 0.35
    // of any disliked one (rows hold 0.6, 0.5, 0.4, 0.3...: the first three) weighs half.
    List<String> remaining = popular.stream().filter(id -> !disliked.contains(id)).toList();
    Set<String> demoted = new HashSet<>();
    for (String id : disliked) {
      int[] row = rows.get(index(id));
      for (int r = 0; r < Math.min(3, row.length); r++) {
        demoted.add("m" + row[r]);
      }
    }
    List<String> expected = new ArrayList<>(remaining);
    expected.sort(
        Comparator.comparingDouble(
                (String id) -> -(demoted.contains(id) ? 0.5 : 1.0) / (61 + remaining.indexOf(id)))
            .thenComparingInt(remaining::indexOf));
    assertThat(ids(result)).containsExactlyElementsOf(expected);
  }

  private RecallEngine engine(ItemNeighbours neighbours, RecallSettings settings) throws IOException {
    Path index = fixture.writeIndex(dir.resolve("index-" + engines.size()));
    RecallEngine engine = RecallEngine.create(fixture.train, fixture.factors, neighbours, index, "test-1", settings);
    engines.add(engine);
    return engine;
  }

  private static RecallSettings popularOnly() {
    return RecallSettings.defaults().withQuotas(0, 0, 0, 40, 0);
  }

  private static RecallQuery query() {
    return RecallQuery.forUser("newcomer", 100);
  }

  private static int index(String itemId) {
    return Integer.parseInt(itemId.substring(1));
  }

  private static List<String> ids(RecallResult result) {
    return result.candidates().stream().map(RecallCandidate::itemId).toList();
  }

  private static ItemNeighbours table(Map<Integer, int[]> neighbours, Map<Integer, float[]> scores) {
    ItemNeighbours.Builder table = ItemNeighbours.newBuilder().setSimilarity("cosine").setMaxNeighbours(10).addOffsets(0);
    int size = 0;
    for (int item = 0; item < Fixture.ITEMS; item++) {
      int[] row = neighbours.getOrDefault(item, new int[0]);
      for (int r = 0; r < row.length; r++) {
        table.addNeighbours(row[r]).addScores(scores.get(item)[r]);
      }
      size += row.length;
      table.addOffsets(size);
    }
    return table.build();
  }
}
