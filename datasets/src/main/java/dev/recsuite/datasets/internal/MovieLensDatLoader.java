package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.User;
import dev.recsuite.datasets.InvalidDataException;
import dev.recsuite.datasets.internal.LineReader.Decoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MovieLens 1M and 10M, fields separated by {@code ::}: {@code movies.dat}
 * (id::title::Genre1|Genre2), optional {@code tags.dat} (user::movie::tag::epoch seconds, 10M),
 * optional {@code users.dat} (id::gender::age::occupation::zip, 1M) and {@code ratings.dat}
 * (user::movie::rating::epoch seconds). Lines are UTF-8, or ISO-8859-1 where they are not valid
 * UTF-8 (ML-1M is Latin-1). Titles and tags are free text and may themselves contain {@code ::}, so
 * they are taken as everything between the fixed fields.
 */
public final class MovieLensDatLoader implements DatasetLoader {

  private static final Logger log = LoggerFactory.getLogger(MovieLensDatLoader.class);
  private static final String SEPARATOR = "::";

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
      readUsers(users, builder);
    }
    readRatings(dir.resolve("ratings.dat"), builder);
    return builder.build(
        new DataSourceInfo("movielens-dat", dir.toString(), "MovieLens 1M/10M ratings"));
  }

  private static void readMovies(Path file, MovieCatalogue catalogue) throws IOException {
    ReadProgress progress = new ReadProgress(file);
    try (LineReader reader = LineReader.open(file, Decoding.UTF_8_OR_LATIN_1)) {
      String line;
      while ((line = reader.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        long number = reader.lineNumber();
        String[] fields = Fields.split(line, SEPARATOR);
        requireAtLeast(file, number, fields, 3, "id::title::genres");
        catalogue.addMovie(
            file,
            number,
            Fields.integerId(file, number, "movie id", fields[0]),
            Fields.join(fields, 1, fields.length - 1, SEPARATOR),
            fields[fields.length - 1]);
        progress.row();
      }
      reportLatin1(reader);
    }
    progress.done();
  }

  private static void readTags(Path file, MovieCatalogue catalogue) throws IOException {
    ReadProgress progress = new ReadProgress(file);
    try (LineReader reader = LineReader.open(file, Decoding.UTF_8_OR_LATIN_1)) {
      String line;
      while ((line = reader.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        long number = reader.lineNumber();
        String[] fields = Fields.split(line, SEPARATOR);
        requireAtLeast(file, number, fields, 4, "user::movie::tag::timestamp");
        Fields.integerId(file, number, "user id", fields[0]);
        String movie = Fields.integerId(file, number, "movie id", fields[1]);
        Fields.epochSeconds(file, number, fields[fields.length - 1]);
        catalogue.addTag(movie, Fields.join(fields, 2, fields.length - 1, SEPARATOR));
        progress.row();
      }
      reportLatin1(reader);
    }
    progress.done();
    catalogue.logTagSummary(file);
  }

  private static void readUsers(Path file, DatasetBuilder builder) throws IOException {
    Set<String> seen = new HashSet<>();
    ReadProgress progress = new ReadProgress(file);
    try (LineReader reader = LineReader.open(file, Decoding.UTF_8_OR_LATIN_1)) {
      String line;
      while ((line = reader.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        long number = reader.lineNumber();
        String[] fields = Fields.split(line, SEPARATOR);
        Fields.requireCount(file, number, fields, 5, "id::gender::age::occupation::zip");
        String id = Fields.integerId(file, number, "user id", fields[0]);
        if (!seen.add(id)) {
          throw new InvalidDataException(file, number, "user id '%s' appears twice".formatted(id));
        }
        int age = Fields.integer(file, number, "age", fields[2]);
        builder.addUser(
            new User(
                id,
                Map.of(
                    "gender", fields[1].strip(),
                    "age", Integer.toString(age),
                    "occupation", fields[3].strip(),
                    "zip", fields[4].strip())));
        progress.row();
      }
    }
    progress.done();
  }

  private static void readRatings(Path file, DatasetBuilder builder) throws IOException {
    ReadProgress progress = new ReadProgress(file);
    try (LineReader reader = LineReader.open(file, Decoding.UTF_8_OR_LATIN_1)) {
      String line;
      while ((line = reader.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        long number = reader.lineNumber();
        String[] fields = Fields.split(line, SEPARATOR);
        Fields.requireCount(file, number, fields, 4, "user::movie::rating::timestamp");
        builder.addInteraction(
            Fields.integerId(file, number, "user id", fields[0]),
            Fields.integerId(file, number, "movie id", fields[1]),
            Fields.movieLensRating(file, number, fields[2]),
            Fields.epochSeconds(file, number, fields[3]));
        progress.row();
      }
    }
    progress.done();
  }

  private static void requireAtLeast(
      Path file, long line, String[] fields, int minimum, String layout)
      throws InvalidDataException {
    if (fields.length < minimum) {
      throw new InvalidDataException(
          file, line, "%d fields (expected: %d, %s)".formatted(fields.length, minimum, layout));
    }
  }

  private static void reportLatin1(LineReader reader) {
    if (reader.latin1Lines() > 0) {
      log.info(
          "{}: {} lines are not valid UTF-8 and were read as ISO-8859-1 (first: line {})",
          reader.file(),
          reader.latin1Lines(),
          reader.firstLatin1Line());
    }
  }
}
