package dev.recsuite.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Item;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensCsvLoadingTest {

  @TempDir Path tmp;

  @Test
  void load_fixture_readsMoviesTagsRatings() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-csv"));

    assertThat(dataset.source().format()).isEqualTo("movielens-csv");
    assertThat(dataset.itemIds().ids()).containsExactly("1", "2", "3", "4", "5");
    assertThat(dataset.userIds().ids()).containsExactly("1", "2");
    assertThat(dataset.interactions().size()).isEqualTo(4);
  }

  @Test
  void load_quotedTitles_keepCommasAndQuotes() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-csv"));

    assertThat(item(dataset, "1").title()).isEqualTo("Garden, Interrupted (2004)");
    assertThat(item(dataset, "1").year()).isEqualTo(2004);
    assertThat(item(dataset, "2").title()).isEqualTo("The \"Quiet\" Ones (2011)");
    assertThat(item(dataset, "2").genres()).containsExactly("Horror", "Thriller");
  }

  @Test
  void load_noGenresListed_meansNoGenres() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-csv"));

    assertThat(item(dataset, "3").genres()).isEmpty();
    assertThat(item(dataset, "3").year()).isZero();
  }

  @Test
  void load_seriesYearRange_takesFirstYear() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-csv"));

    assertThat(item(dataset, "4").year()).isEqualTo(2004);
  }

  @Test
  void load_tags_lowerCasedDeduplicated() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-csv"));

    assertThat(item(dataset, "2").tags()).containsExactly("creepy, slow");
    assertThat(item(dataset, "1").tags()).containsExactly("gardening");
  }

  @Test
  void load_movieOnlyInRatings_becomesBareItem() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-csv"));

    assertThat(item(dataset, "5")).isEqualTo(Item.bare("5"));
  }

  @Test
  void load_ratingWithWrongFieldCount_failsNamingLine() throws Exception {
    Fixtures.copy("movielens-csv", tmp);
    Fixtures.write(
        tmp, "ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,1400000000\n1,2,3.5\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessage(tmp.resolve("ratings.csv") + ":3: 3 fields (expected: 4, as in the header)");
  }

  @Test
  void load_missingColumn_failsNamingColumnAndHeader() throws Exception {
    Fixtures.copy("movielens-csv", tmp);
    Fixtures.write(tmp, "movies.csv", "movieId,name,genres\n1,A,Drama\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith(
            "movies.csv:1: header has no column 'title' (columns: movieId, name, genres)");
  }

  @Test
  void load_multiLineQuotedTitle_reportsLaterErrorsOnTheirPhysicalLine() throws Exception {
    Fixtures.copy("movielens-csv", tmp);
    Fixtures.write(
        tmp, "movies.csv", "movieId,title,genres\n1,\"Two\nLines (2000)\",Drama\nx,Bad,Drama\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("movies.csv:4: movieId 'x' is not a non-negative integer");
  }

  private static Item item(Dataset dataset, String id) {
    return dataset.items().get(dataset.itemIds().indexOf(id));
  }
}
