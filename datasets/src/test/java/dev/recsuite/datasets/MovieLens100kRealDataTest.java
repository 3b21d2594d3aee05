package dev.recsuite.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loads the real MovieLens 100K (read from the shared data directory, never copied). Without the
 * data each test is reported as skipped with the reason, or fails when {@code CI=true}.
 */
class MovieLens100kRealDataTest {

  // Loaded once for the class; the lookup runs before each test so that a missing directory
  // skips every test visibly instead of silently skipping the class.
  private static Dataset dataset;

  @BeforeEach
  void load() throws Exception {
    Path dir = MovieLensTestData.ml100kDir();
    if (dataset == null) {
      dataset = Datasets.load(dir);
    }
  }

  @Test
  void load_hasPublishedCounts() {
    assertThat(dataset.source().format()).isEqualTo("movielens-100k");
    assertThat(dataset.users()).hasSize(943);
    assertThat(dataset.items()).hasSize(1682);
    assertThat(dataset.interactions().size()).isEqualTo(100_000);
  }

  @Test
  void load_itemOne_isToyStory() {
    Item toyStory = dataset.items().get(dataset.itemIds().indexOf("1"));

    assertThat(toyStory.title()).isEqualTo("Toy Story (1995)");
    assertThat(toyStory.year()).isEqualTo(1995);
    assertThat(toyStory.genres()).containsExactly("Animation", "Children's", "Comedy");
    assertThat(dataset.itemIds().indexOf("1")).isZero();
  }

  @Test
  void load_userOne_hasAttributes() {
    assertThat(dataset.users().get(dataset.userIds().indexOf("1")).attributes())
        .isEqualTo(Map.of("age", "24", "gender", "M", "occupation", "technician", "zip", "85711"));
  }

  @Test
  void load_ratingHistogram_matchesTheFile() {
    Interactions interactions = dataset.interactions();
    int[] histogram = new int[6];
    for (int i = 0; i < interactions.size(); i++) {
      histogram[(int) interactions.rating(i)]++;
    }

    assertThat(histogram).containsExactly(0, 6110, 11370, 27145, 34174, 21201);
  }

  @Test
  void load_unknownItem_hasNoGenresAndNoYear() {
    Item unknown = dataset.items().get(dataset.itemIds().indexOf("267"));

    assertThat(unknown.title()).isEqualTo("unknown");
    assertThat(unknown.genres()).isEmpty();
    assertThat(unknown.year()).isZero();
  }

  @Test
  void load_everyUserHasAtLeastTwentyRatings() {
    Interactions interactions = dataset.interactions();
    List<Integer> counts =
        IntStream.range(0, dataset.users().size()).map(interactions::countOf).boxed().toList();

    assertThat(counts).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(20));
  }
}
