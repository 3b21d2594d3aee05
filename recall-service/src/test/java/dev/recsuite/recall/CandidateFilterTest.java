package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.recall.internal.CandidateFilter;
import dev.recsuite.recall.internal.CatalogView;
import dev.recsuite.recall.internal.ItemIndexSchema;
import dev.recsuite.recall.internal.UserHistory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.Test;

/** {@link CandidateFilter} against a brute-force reference, on seeded random requests. */
class CandidateFilterTest {

  @Test
  void accepts_randomRequests_matchesTheBruteForceDefinition() {
    Fixture fixture = Fixture.create(17);
    try (Analyzer analyzer = ItemIndexSchema.newAnalyzer()) {
      CatalogView catalog = CatalogView.of(fixture.train.items(), fixture.train.itemIds(), analyzer);
      UserHistory history = UserHistory.of(fixture.train.interactions());
      Random random = new Random(4242);
      int rejectedSomewhere = 0;
      for (int round = 0; round < 200; round++) {
        int user = random.nextInt(Fixture.USERS + 1) - 1; // -1: no history
        int[] blocked = new int[random.nextInt(6)];
        for (int i = 0; i < blocked.length; i++) {
          blocked[i] = random.nextInt(Fixture.ITEMS);
        }
        List<String> include = randomGenres(random);
        List<String> exclude = randomGenres(random);

        CandidateFilter filter = CandidateFilter.of(catalog, history, user, blocked, include, exclude);

        Set<Integer> blockedSet = new HashSet<>();
        for (int item : blocked) {
          blockedSet.add(item);
        }
        for (int item = 0; item < Fixture.ITEMS; item++) {
          boolean expected =
              !blockedSet.contains(item)
                  && !(user >= 0 && seen(fixture, user, item))
                  && (include.isEmpty() || genres(fixture, item).stream().anyMatch(include::contains))
                  && genres(fixture, item).stream().noneMatch(exclude::contains);
          assertThat(filter.accepts(item)).as("round %d, user %d, item %d", round, user, item).isEqualTo(expected);
          if (!expected) {
            rejectedSomewhere++;
          }
        }
      }
      assertThat(rejectedSomewhere).as("the requests reject items at all").isPositive();
    }
  }

  private static List<String> randomGenres(Random random) {
    List<String> genres = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      genres.add(Fixture.GENRES[random.nextInt(Fixture.GENRES.length)]);
    }
    return genres;
  }

  private static List<String> genres(Fixture fixture, int item) {
    return fixture.train.items().get(item).genres();
  }

  private static boolean seen(Fixture fixture, int user, int item) {
    var interactions = fixture.train.interactions();
    for (int i = interactions.start(user); i < interactions.end(user); i++) {
      if (interactions.item(i) == item) {
        return true;
      }
    }
    return false;
  }
}
