package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.datasets.InvalidDataException;
import dev.recsuite.datasets.internal.LineReader.Decoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MovieLens 1M and 10M, fields separated by {@code ::}: {@code movies.dat}
 * (id::title::Genre1|Genre2), optional {@code tags.dat} (user::movie::tag::epoch seconds, 10M),
 * optional {@code users.dat} (id::gender::age::occupation::zip, 1M) and {@code ratings.dat}
 * (user::movie::rating::epoch seconds). Lines are UTF-8, or ISO-8859-1 where they are not valid
 * UTF-8 (ML-1M is Latin-1). Titles and tags are free text and may themselves contain {@code ::}, so
 * they are taken as everything between the fixed fields.
 */
public final class MovieLensDatLoader implements DatasetLoader {

  private static final String SEPARATOR = "::";
  private static final MovieLensTables.UserColumns USER_COLUMNS =
      new MovieLensTables.UserColumns("id::gender::age::occupation::zip", 2, 1, 3, 4);

  @Override
  public Dataset load(Path dir) throws IOException {
    MovieCatalogue catalogue = new MovieCatalogue();
    readMovies(dir.resolve("movies.dat"), catalogue);
    Path tags = dir.resolve("tags.dat");
    if (Files.isRegularFile(tags)) {
      readTags(tags, catalogue);
    }
    DatasetBuilder builder = new DatasetBuilder();
    catalogue.addTo(builder);
    Path users = dir.resolve("users.dat");
    if (Files.isRegularFile(users)) {
      MovieLensTables.readUsers(
          users, Decoding.UTF_8_OR_LATIN_1, line -> Fields.split(line, SEPARATOR), USER_COLUMNS, builder);
    }
    MovieLensTables.readRatings(
        dir.resolve("ratings.dat"),
        Decoding.UTF_8_OR_LATIN_1,
        line -> Fields.split(line, SEPARATOR),
        "user::movie::rating::timestamp",
        builder);
    return builder.build(
        new DataSourceInfo("movielens-dat", dir.toString(), "MovieLens 1M/10M ratings"));
  }

  private static void readMovies(Path file, MovieCatalogue catalogue) throws IOException {
    DelimitedRows.forEach(
        file,
        Decoding.UTF_8_OR_LATIN_1,
        line -> Fields.split(line, SEPARATOR),
        (number, fields) -> {
          requireAtLeast(file, number, fields, 3, "id::title::genres");
          catalogue.addMovie(
              file,
              number,
              Fields.integerId(file, number, "movie id", fields[0]),
              Fields.join(fields, 1, fields.length - 1, SEPARATOR),
              fields[fields.length - 1]);
        });
  }

  private static void readTags(Path file, MovieCatalogue catalogue) throws IOException {
    DelimitedRows.forEach(
        file,
        Decoding.UTF_8_OR_LATIN_1,
        line -> Fields.split(line, SEPARATOR),
        (number, fields) -> {
          requireAtLeast(file, number, fields, 4, "user::movie::tag::timestamp");
          Fields.integerId(file, number, "user id", fields[0]);
          String movie = Fields.integerId(file, number, "movie id", fields[1]);
          Fields.epochSeconds(file, number, fields[fields.length - 1]);
          catalogue.addTag(movie, Fields.join(fields, 2, fields.length - 1, SEPARATOR));
        });
    catalogue.logTagSummary(file);
  }

  private static void requireAtLeast(
      Path file, long line, String[] fields, int minimum, String layout)
      throws InvalidDataException {
    if (fields.length < minimum) {
      throw new InvalidDataException(
          file, line, "%d fields (expected: %d, %s)".formatted(fields.length, minimum, layout));
    }
  }
}
