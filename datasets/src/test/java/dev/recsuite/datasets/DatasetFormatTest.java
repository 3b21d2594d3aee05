package dev.recsuite.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetFormatTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({
    "movielens-100k, MOVIELENS_100K",
    "movielens-dat-1m, MOVIELENS_DAT",
    "movielens-dat-10m, MOVIELENS_DAT",
    "movielens-csv, MOVIELENS_CSV",
    "generic-csv, GENERIC_CSV",
    "generic-csv-minimal, GENERIC_CSV"
  })
  void detect_fixture_picksLayoutByFiles(String fixture, DatasetFormat expected) throws Exception {
    assertThat(DatasetFormat.detect(Fixtures.dir(fixture))).isEqualTo(expected);
  }

  @Test
  void detect_unknownDirectory_failsNamingDirectoryAndExpectedFiles() {
    Fixtures.write(tmp, "notes.txt", "nothing here");

    assertThatThrownBy(() -> DatasetFormat.detect(tmp))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(tmp.toString())
        .hasMessageContaining("notes.txt")
        .hasMessageContaining("movielens-100k (u.data, u.item, u.genre; optional u.user)")
        .hasMessageContaining(
            "movielens-dat (ratings.dat, movies.dat; optional users.dat, tags.dat)")
        .hasMessageContaining("movielens-csv (ratings.csv, movies.csv; optional tags.csv)")
        .hasMessageContaining("generic-csv (interactions.csv; optional items.csv, users.csv)");
  }

  @Test
  void detect_emptyDirectory_saysNoFilesPresent() {
    assertThatThrownBy(() -> DatasetFormat.detect(tmp))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("files present: none");
  }

  @Test
  void detect_missingDirectory_failsNamingIt() {
    Path missing = tmp.resolve("absent");

    assertThatThrownBy(() -> DatasetFormat.detect(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void detect_regularFile_failsAsNotDirectory() {
    Path file = Fixtures.write(tmp, "u.data", "1\t1\t1\t1\n");

    assertThatThrownBy(() -> DatasetFormat.detect(file)).isInstanceOf(NotDirectoryException.class);
  }

  @Test
  void detect_severalLayouts_failsListingThem() {
    Fixtures.write(tmp, "u.data", "");
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id\n");

    assertThatThrownBy(() -> DatasetFormat.detect(tmp))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("movielens-100k, generic-csv")
        .hasMessageContaining("name the format explicitly");
  }

  @Test
  void fromId_roundTripsEveryFormat() {
    for (DatasetFormat format : DatasetFormat.values()) {
      assertThat(DatasetFormat.fromId(format.id())).isEqualTo(format);
    }
  }

  @Test
  void fromId_unknown_failsListingIds() {
    assertThatThrownBy(() -> DatasetFormat.fromId("ml-100k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "format: 'ml-100k' (expected one of: movielens-100k, movielens-dat, movielens-csv,"
                + " generic-csv)");
  }
}
