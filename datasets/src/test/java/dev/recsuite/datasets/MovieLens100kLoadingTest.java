package dev.recsuite.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLens100kLoadingTest {

  @TempDir Path tmp;

  @Test
  void load_fixture_readsCatalogueUsersAndRatings() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));

    assertThat(dataset.source().format()).isEqualTo("movielens-100k");
    assertThat(dataset.source().location()).isEqualTo(Fixtures.dir("movielens-100k").toString());
    assertThat(dataset.itemIds().ids()).containsExactly("1", "2", "3", "4", "5", "6");
    assertThat(dataset.userIds().ids()).containsExactly("1", "2", "3", "4");
    assertThat(dataset.interactions().size()).isEqualTo(7);
  }

  @Test
  void load_fixture_takesGenresFromFlagsInUGenreOrder() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));

    assertThat(item(dataset, "1").genres()).containsExactly("Comedy", "Drama");
    assertThat(item(dataset, "2").genres()).containsExactly("Action", "Sci-Fi");
  }

  @Test
  void load_unknownGenreFlag_meansNoGenre() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));

    assertThat(item(dataset, "4").genres()).isEmpty();
    assertThat(item(dataset, "4").year()).isZero();
  }

  @Test
  void load_yearFromTitleElseReleaseDate_titleKeptAsInFile() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));

    assertThat(item(dataset, "1").title()).isEqualTo("Harbor Lights (1991)");
    assertThat(item(dataset, "1").year()).isEqualTo(1991);
    assertThat(item(dataset, "3").title()).isEqualTo("Cellar Door");
    assertThat(item(dataset, "3").year()).isEqualTo(1987);
  }

  @Test
  void load_latin1Title_isDecoded() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));

    assertThat(item(dataset, "5").title()).isEqualTo("Caf\u00e9 Noir (1962)");
  }

  @Test
  void load_users_haveAgeGenderOccupationZip() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));

    assertThat(dataset.users().get(dataset.userIds().indexOf("2")).attributes())
        .isEqualTo(Map.of("age", "41", "gender", "M", "occupation", "librarian", "zip", "60601"));
  }

  @Test
  void load_idsOutsideCatalogue_becomeBareEntries() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));

    assertThat(item(dataset, "6")).isEqualTo(Item.bare("6"));
    assertThat(dataset.users().get(dataset.userIds().indexOf("4")).attributes()).isEmpty();
  }

  @Test
  void load_duplicateRows_areKeptAsRepeatedInteractions() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));
    Interactions interactions = dataset.interactions();
    int user = dataset.userIds().indexOf("1");
    int item = dataset.itemIds().indexOf("1");

    long repeats =
        IntStream.range(interactions.start(user), interactions.end(user))
            .filter(i -> interactions.item(i) == item)
            .count();

    assertThat(repeats).isEqualTo(2);
  }

  @Test
  void load_ratingsAndTimes_areParsed() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-100k"));
    Interactions interactions = dataset.interactions();
    int user = dataset.userIds().indexOf("3");

    assertThat(interactions.countOf(user)).isEqualTo(1);
    int i = interactions.start(user);
    assertThat(dataset.itemIds().id(interactions.item(i))).isEqualTo("5");
    assertThat(interactions.rating(i)).isEqualTo(5f);
    assertThat(interactions.timestamp(i)).isEqualTo(900_000_500L);
  }

  @Test
  void load_withoutUUser_hasBareUsers() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Files.delete(tmp.resolve("u.user"));

    Dataset dataset = Datasets.load(tmp);

    assertThat(dataset.users()).allSatisfy(user -> assertThat(user.attributes()).isEmpty());
    assertThat(dataset.users()).hasSize(4);
  }

  @Test
  void load_badRating_failsNamingFileLineAndValue() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.data", "1\t1\t4\t900000100\n1\t2\tx\t900000200\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessage(tmp.resolve("u.data") + ":2: rating 'x' is not a number")
        .satisfies(
            e -> {
              InvalidDataException invalid = (InvalidDataException) e;
              assertThat(invalid.file()).isEqualTo(tmp.resolve("u.data"));
              assertThat(invalid.line()).isEqualTo(2);
              assertThat(invalid.problem()).isEqualTo("rating 'x' is not a number");
            });
  }

  @Test
  void load_ratingOutOfRange_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.data", "1\t1\t7\t900000100\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("u.data:1: rating '7' out of range (expected: 0.5 to 5)");
  }

  @Test
  void load_nanRating_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.data", "1\t1\tNaN\t900000100\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("u.data:1: rating 'NaN' is not a number");
  }

  @Test
  void load_missingField_failsWithExpectedLayout() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.data", "1\t1\t4\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith(
            "u.data:1: 3 fields (expected: 4, user TAB item TAB rating TAB epoch seconds)");
  }

  @Test
  void load_badTimestamp_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.data", "1\t1\t4\t9.5e8\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("u.data:1: timestamp '9.5e8' is not an integer (epoch seconds)");
  }

  @Test
  void load_badGenreFlag_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.item", "1|A (1990)|01-Jan-1990|||0|0|2|0|0|0\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("u.item:1: flag of genre 'Comedy' is '2' (expected: 0 or 1)");
  }

  @Test
  void load_itemWithWrongGenreCount_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.item", "1|A (1990)|01-Jan-1990|||0|0|1|0|0\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageContaining("u.item:1: 10 fields (expected: 11,");
  }

  @Test
  void load_badReleaseDate_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.item", "1|Untitled|1990-01-01|||0|0|1|0|0|0\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("u.item:1: release date '1990-01-01' is not like 01-Jan-1995");
  }

  @Test
  void load_genreIndexGap_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.genre", "unknown|0\nAction|2\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageContaining("u.genre:2: no genre has index 1");
  }

  @Test
  void load_nonNumericUserId_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.user", "1|29|F|engineer|02139\nbob|41|M|librarian|60601\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("u.user:2: user id 'bob' is not a non-negative integer");
  }

  @Test
  void load_duplicateMovie_fails() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Fixtures.write(tmp, "u.item", "1|A (1990)||||0|0|1|0|0|0\n1|B (1991)||||0|0|1|0|0|0\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("u.item:2: movie id '1' appears twice");
  }

  @Test
  void load_missingRequiredFile_failsWithNoSuchFile() throws Exception {
    Fixtures.copy("movielens-100k", tmp);
    Files.delete(tmp.resolve("u.genre"));

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(tmp.resolve("u.genre").toString())
        .hasMessageContaining("required by the movielens-100k layout");
  }

  @Test
  void load_explicitFormatOnOtherLayout_failsNamingMissingFile() {
    assertThatThrownBy(
            () -> Datasets.load(Fixtures.dir("generic-csv"), DatasetFormat.MOVIELENS_100K))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("u.data");
  }

  private static Item item(Dataset dataset, String id) {
    return dataset.items().get(dataset.itemIds().indexOf(id));
  }
}
