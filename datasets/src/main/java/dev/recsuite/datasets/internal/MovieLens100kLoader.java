package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Item;
import dev.recsuite.datasets.InvalidDataException;
import dev.recsuite.datasets.internal.LineReader.Decoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MovieLens 100K: {@code u.genre} (name|index), {@code u.item} (id|title|release date|video release
 * date|IMDb URL|one 0/1 flag per genre, in {@code u.genre} order), optional {@code u.user}
 * (id|age|gender|occupation|zip) and {@code u.data} (user TAB item TAB rating TAB epoch seconds).
 * The catalogue files are ISO-8859-1. The genre named {@code unknown} is not a genre: its flag
 * means the movie has none.
 */
public final class MovieLens100kLoader implements DatasetLoader {

  private static final String UNKNOWN_GENRE = "unknown";
  private static final MovieLensTables.UserColumns USER_COLUMNS =
      new MovieLensTables.UserColumns("id|age|gender|occupation|zip", 1, 2, 3, 4);
  private static final Pattern RELEASE_DATE = Pattern.compile("\\d{1,2}-[A-Za-z]{3}-(\\d{4})");

  @Override
  public Dataset load(Path dir) throws IOException {
    DatasetBuilder builder = new DatasetBuilder();
    List<String> genres = readGenres(dir.resolve("u.genre"));
    readItems(dir.resolve("u.item"), genres, builder);
    Path users = dir.resolve("u.user");
    if (Files.isRegularFile(users)) {
      MovieLensTables.readUsers(
          users, Decoding.LATIN_1, line -> Fields.split(line, '|'), USER_COLUMNS, builder);
    }
    MovieLensTables.readRatings(
        dir.resolve("u.data"),
        Decoding.LATIN_1,
        line -> Fields.split(line, '\t'),
        "user TAB item TAB rating TAB epoch seconds",
        builder);
    return builder.build(
        new DataSourceInfo("movielens-100k", dir.toString(), "MovieLens 100K ratings"));
  }

  private static List<String> readGenres(Path file) throws IOException {
    List<String> byIndex = new ArrayList<>();
    long lastLine =
        DelimitedRows.forEach(
            file,
            Decoding.LATIN_1,
            line -> Fields.split(line, '|'),
            (line, fields) -> {
              Fields.requireCount(file, line, fields, 2, "name|index");
              String name = fields[0].strip();
              if (name.isEmpty()) {
                throw new InvalidDataException(file, line, "genre name is blank");
              }
              int index = Fields.integer(file, line, "genre index", fields[1]);
              if (index < 0 || index > 1000) {
                throw new InvalidDataException(
                    file, line, "genre index %d out of range (expected: 0 to 1000)".formatted(index));
              }
              while (byIndex.size() <= index) {
                byIndex.add(null);
              }
              if (byIndex.get(index) != null) {
                throw new InvalidDataException(file, line, "genre index %d appears twice".formatted(index));
              }
              byIndex.set(index, name);
            });
    for (int i = 0; i < byIndex.size(); i++) {
      if (byIndex.get(i) == null) {
        throw new InvalidDataException(
            file,
            lastLine,
            "no genre has index %d (expected: indexes 0 to %d without gaps)".formatted(i, byIndex.size() - 1));
      }
    }
    if (byIndex.isEmpty()) {
      throw new InvalidDataException(file, 1, "file lists no genres");
    }
    return List.copyOf(byIndex);
  }

  private static void readItems(Path file, List<String> genres, DatasetBuilder builder)
      throws IOException {
    int expectedFields = 5 + genres.size();
    String layout =
        "id|title|release date|video release date|IMDb URL|%d genre flags".formatted(genres.size());
    Set<String> seen = new HashSet<>();
    DelimitedRows.forEach(
        file,
        Decoding.LATIN_1,
        line -> Fields.split(line, '|'),
        (number, fields) -> {
          Fields.requireCount(file, number, fields, expectedFields, layout);
          String id = Fields.integerId(file, number, "movie id", fields[0]);
          if (!seen.add(id)) {
            throw new InvalidDataException(file, number, "movie id '%s' appears twice".formatted(id));
          }
          String title = fields[1].strip();
          List<String> itemGenres = new ArrayList<>();
          for (int g = 0; g < genres.size(); g++) {
            String flag = fields[5 + g].strip();
            if (flag.equals("1")) {
              if (!genres.get(g).equals(UNKNOWN_GENRE)) {
                itemGenres.add(genres.get(g));
              }
            } else if (!flag.equals("0")) {
              throw new InvalidDataException(
                  file,
                  number,
                  "flag of genre '%s' is '%s' (expected: 0 or 1)".formatted(genres.get(g), flag));
            }
          }
          int year = Titles.yearOf(title);
          int releaseYear = releaseYear(file, number, fields[2]);
          builder.addItem(new Item(id, title, itemGenres, year != 0 ? year : releaseYear, List.of()));
        });
  }

  private static int releaseYear(Path file, long line, String raw) throws InvalidDataException {
    String date = raw.strip();
    if (date.isEmpty()) {
      return 0;
    }
    Matcher matcher = RELEASE_DATE.matcher(date);
    if (!matcher.matches()) {
      throw new InvalidDataException(
          file, line, "release date '%s' is not like 01-Jan-1995".formatted(raw));
    }
    return Integer.parseInt(matcher.group(1));
  }
}
