package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.recall.internal.CandidateFilter;
import dev.recsuite.recall.internal.CatalogView;
import dev.recsuite.recall.internal.CollaborativeSource;
import dev.recsuite.recall.internal.Factors;
import dev.recsuite.recall.internal.ItemIndex;
import dev.recsuite.recall.internal.ItemIndexSchema;
import dev.recsuite.recall.internal.SourceList;
import dev.recsuite.recall.internal.UserHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The COLLABORATIVE source's two searches, the exact scan (small catalogues) and the HNSW graph
 * (large ones): both return the accepted items by exact inner product, best first.
 */
class CollaborativeSourceTest {

  @TempDir Path dir;

  private final Fixture fixture = Fixture.create(11);
  private ItemIndex index;
  private CatalogView catalog;
  private Factors factors;
  private UserHistory history;

  @BeforeEach
  void open() throws IOException {
    catalog = CatalogView.of(fixture.train.items(), fixture.train.itemIds(), ItemIndexSchema.newAnalyzer());
    index = ItemIndex.open(fixture.writeIndex(dir.resolve("index")), catalog, Fixture.DIMENSION);
    factors = Factors.of(fixture.factors, Fixture.ITEMS, Fixture.USERS);
    history = UserHistory.of(fixture.train.interactions());
  }

  @AfterEach
  void close() throws IOException {
    index.close();
  }

  private CollaborativeSource scanning() {
    // 40 items, at most 16 per result: a scan for every quota used here.
    return new CollaborativeSource(index, factors, 1000, CollaborativeSource.EXACT_SCAN_ITEMS_PER_RESULT);
  }

  private CollaborativeSource graph() {
    return new CollaborativeSource(index, factors, 1000, 0);
  }

  /** Brute force over the catalogue: accepted items by inner product, ties by lower id. */
  private List<Integer> nearest(float[] vector, CandidateFilter filter, int quota) {
    return IntStream.range(0, Fixture.ITEMS)
        .filter(filter::accepts)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer item) -> -factors.dot(vector, item)).thenComparingInt(item -> item))
        .limit(quota)
        .toList();
  }

  private static List<Integer> items(SourceList list) {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      items.add(list.item(i));
    }
    return items;
  }

  @Test
  void scanAndGraph_returnTheAcceptedItemsByExactInnerProduct_withSeenRecentAndGenreFilters() {
    Random random = new Random(5);
    for (int user = 0; user < Fixture.USERS; user++) {
      float[] vector = new float[Fixture.DIMENSION];
      for (int f = 0; f < vector.length; f++) {
        vector[f] = (float) random.nextGaussian();
      }
      CandidateFilter filter =
          CandidateFilter.of(catalog, history, user, new int[] {user, user + 1}, List.of(), List.of(Fixture.GENRES[user % 10]));

      List<Integer> expected = nearest(vector, filter, 8);

      assertThat(items(scanning().collect(vector, 8, filter))).as("scan, user %d", user).isEqualTo(expected);
      assertThat(items(graph().collect(vector, 8, filter))).as("graph, user %d", user).isEqualTo(expected);
    }
  }

  @Test
  void scan_scoresAreTheExactInnerProducts_andTheQuotaIsFilledDespiteBlockedItems() {
    float[] vector = factors.itemVector(3);
    int[] blocked = IntStream.range(0, 20).toArray();
    CandidateFilter filter = CandidateFilter.of(catalog, history, -1, blocked, List.of(), List.of());

    SourceList list = scanning().collect(vector, 15, filter);

    assertThat(list.size()).isEqualTo(15);
    for (int i = 0; i < list.size(); i++) {
      assertThat(list.item(i)).isGreaterThanOrEqualTo(20);
      assertThat(list.score(i)).isEqualTo(factors.dot(vector, list.item(i)));
    }
    assertThat(items(list)).isEqualTo(nearest(vector, filter, 15));
  }

  @Test
  void scan_filterRejectingEverything_returnsNothing() {
    CandidateFilter filter = CandidateFilter.of(catalog, history, -1, new int[0], List.of("no such genre"), List.of());

    assertThat(scanning().collect(factors.itemVector(0), 10, filter).size()).isZero();
  }
}
