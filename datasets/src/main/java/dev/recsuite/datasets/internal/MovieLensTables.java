package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.User;
import dev.recsuite.datasets.InvalidDataException;
import dev.recsuite.datasets.internal.LineReader.Decoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ratings and users tables that the MovieLens layouts share, whatever their separator: ratings
 * are user, movie, rating (0.5–5) and epoch seconds; users are id, age, gender, occupation and zip
 * in a layout-specific order.
 */
final class MovieLensTables {

  /**
   * Positions of the user fields in one layout.
   *
   * @param layout the layout as users would write it, for messages
   */
  record UserColumns(String layout, int age, int gender, int occupation, int zip) {}

  private MovieLensTables() {}

  /** Reads ratings ({@code user, movie, rating, epoch seconds}) into {@code builder}. */
  static void readRatings(
      Path file, Decoding decoding, DelimitedRows.Splitter splitter, String layout, DatasetBuilder builder)
      throws IOException {
    DelimitedRows.forEach(
        file,
        decoding,
        splitter,
        (line, fields) -> {
          Fields.requireCount(file, line, fields, 4, layout);
          builder.addInteraction(
              Fields.integerId(file, line, "user id", fields[0]),
              Fields.integerId(file, line, "movie id", fields[1]),
              Fields.movieLensRating(file, line, fields[2]),
              Fields.epochSeconds(file, line, fields[3]));
        });
  }

  /** Reads users (id first, the rest as {@code columns} says) into {@code builder}. */
  static void readUsers(
      Path file,
      Decoding decoding,
      DelimitedRows.Splitter splitter,
      UserColumns columns,
      DatasetBuilder builder)
      throws IOException {
    Set<String> seen = new HashSet<>();
    DelimitedRows.forEach(
        file,
        decoding,
        splitter,
        (line, fields) -> {
          Fields.requireCount(file, line, fields, 5, columns.layout());
          String id = Fields.integerId(file, line, "user id", fields[0]);
          if (!seen.add(id)) {
            throw new InvalidDataException(file, line, "user id '%s' appears twice".formatted(id));
          }
          int age = Fields.integer(file, line, "age", fields[columns.age()]);
          builder.addUser(
              new User(
                  id,
                  Map.of(
                      "age", Integer.toString(age),
                      "gender", fields[columns.gender()].strip(),
                      "occupation", fields[columns.occupation()].strip(),
                      "zip", fields[columns.zip()].strip())));
        });
  }
}
