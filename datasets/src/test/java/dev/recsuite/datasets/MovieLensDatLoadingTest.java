package dev.recsuite.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensDatLoadingTest {

  @TempDir Path tmp;

  @Test
  void load_oneMillionLayout_readsMoviesUsersRatings() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-dat-1m"));

    assertThat(dataset.source().format()).isEqualTo("movielens-dat");
    assertThat(dataset.itemIds().ids()).containsExactly("1", "2", "3");
    assertThat(dataset.userIds().ids()).containsExactly("1", "2");
    assertThat(dataset.interactions().size()).isEqualTo(4);
    assertThat(item(dataset, "2"))
        .isEqualTo(
            new Item("2", "Rocket Garden (2003)", List.of("Action", "Sci-Fi"), 2003, List.of()));
  }

  @Test
  void load_latin1Movies_fallBackFromUtf8() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-dat-1m"));

    assertThat(item(dataset, "3").title()).isEqualTo("Caf\u00e9 Noir (1962)");
    assertThat(item(dataset, "3").year()).isEqualTo(1962);
  }

  @Test
  void load_utf8Movies_areDecodedAsUtf8() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-dat-10m"));

    assertThat(item(dataset, "10").title()).isEqualTo("Jardin d'\u00c9t\u00e9 (2001)");
  }

  @Test
  void load_mixedEncodings_decodeEachLineOnItsOwn() throws Exception {
    Fixtures.copy("movielens-dat-1m", tmp);
    byte[] utf8 = "1::\u00c9t\u00e9 (1991)::Drama\n".getBytes(StandardCharsets.UTF_8);
    byte[] latin1 =
        "2::\u00c9t\u00e9 (1992)::Drama\n3::Plain (1993)::Drama\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] both = new byte[utf8.length + latin1.length];
    System.arraycopy(utf8, 0, both, 0, utf8.length);
    System.arraycopy(latin1, 0, both, utf8.length, latin1.length);
    Files.write(tmp.resolve("movies.dat"), both);

    Dataset dataset = Datasets.load(tmp);

    assertThat(item(dataset, "1").title()).isEqualTo("\u00c9t\u00e9 (1991)");
    assertThat(item(dataset, "2").title()).isEqualTo("\u00c9t\u00e9 (1992)");
  }

  @Test
  void load_users_haveGenderAgeOccupationCodeZip() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-dat-1m"));

    assertThat(dataset.users().get(dataset.userIds().indexOf("1")).attributes())
        .isEqualTo(Map.of("gender", "F", "age", "25", "occupation", "7", "zip", "02139"));
  }

  @Test
  void load_tenMillionLayout_halfStarRatingsAndNoGenres() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-dat-10m"));
    Interactions interactions = dataset.interactions();
    int user = dataset.userIds().indexOf("6");

    assertThat(interactions.rating(interactions.start(user))).isEqualTo(0.5f);
    assertThat(item(dataset, "20").genres()).isEmpty();
    assertThat(item(dataset, "10").genres()).containsExactly("Comedy", "Romance");
  }

  @Test
  void load_tags_areLowerCasedAndDeduplicatedPerMovie() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("movielens-dat-10m"));

    assertThat(item(dataset, "10").tags()).containsExactly("whimsical", "paris");
    assertThat(item(dataset, "20").tags()).containsExactly("slow");
  }

  @Test
  void load_tagOfUnknownMovie_isIgnoredWithWarning() throws Exception {
    Dataset dataset;
    try (LogCapture logs = new LogCapture()) {
      dataset = Datasets.load(Fixtures.dir("movielens-dat-10m"));

      assertThat(logs.messages(Level.WARN))
          .anySatisfy(
              message -> assertThat(message).contains("ignored 1 tags of movies that are not in"));
    }
    assertThat(dataset.itemIds().find("99")).isEmpty();
  }

  @Test
  void load_titleWithSeparator_keepsEverythingBetweenIdAndGenres() throws Exception {
    Fixtures.copy("movielens-dat-1m", tmp);
    Fixtures.write(tmp, "movies.dat", "1::Odd::Title (1999)::Drama\n");

    Dataset dataset = Datasets.load(tmp);

    assertThat(item(dataset, "1").title()).isEqualTo("Odd::Title (1999)");
  }

  @Test
  void load_shortRatingLine_failsNamingFileAndLine() throws Exception {
    Fixtures.copy("movielens-dat-1m", tmp);
    Fixtures.write(tmp, "ratings.dat", "1::1::5::978300760\n\n1::2::4\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessage(
            tmp.resolve("ratings.dat")
                + ":3: 3 fields (expected: 4, user::movie::rating::timestamp)");
  }

  @Test
  void load_badMovieIdInRatings_fails() throws Exception {
    Fixtures.copy("movielens-dat-1m", tmp);
    Fixtures.write(tmp, "ratings.dat", "1::m1::5::978300760\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("ratings.dat:1: movie id 'm1' is not a non-negative integer");
  }

  @Test
  void load_duplicateUser_fails() throws Exception {
    Fixtures.copy("movielens-dat-1m", tmp);
    Fixtures.write(tmp, "users.dat", "1::F::25::7::02139\n1::M::35::12::60601\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("users.dat:2: user id '1' appears twice");
  }

  private static Item item(Dataset dataset, String id) {
    return dataset.items().get(dataset.itemIds().indexOf(id));
  }
}
