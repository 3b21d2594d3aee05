package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * MovieLens CSV releases (ml-latest, ml-latest-small, ml-20m, ml-25m): {@code movies.csv}
 * (movieId,title,genres), optional {@code tags.csv} (userId,movieId,tag,timestamp) and {@code
 * ratings.csv} (userId,movieId,rating,timestamp), UTF-8 with header rows and RFC 4180 quoting.
 */
public final class MovieLensCsvLoader implements DatasetLoader {

  @Override
  public Dataset load(Path dir) throws IOException {
    MovieCatalogue catalogue = new MovieCatalogue();
    readMovies(dir.resolve("movies.csv"), catalogue);
    Path tags = dir.resolve("tags.csv");
    if (Files.isRegularFile(tags)) {
      readTags(tags, catalogue);
    }
    DatasetBuilder builder = new DatasetBuilder();
    catalogue.addTo(builder);
    readRatings(dir.resolve("ratings.csv"), builder);
    return builder.build(
        new DataSourceInfo("movielens-csv", dir.toString(), "MovieLens CSV ratings"));
  }

  private static void readMovies(Path file, MovieCatalogue catalogue) throws IOException {
    ReadProgress progress = new ReadProgress(file);
    try (CsvTable table = CsvTable.open(file)) {
      int id = table.requireColumn("movieId");
      int title = table.requireColumn("title");
      int genres = table.requireColumn("genres");
      table.warnAboutUnknownColumns(Set.of("movieid", "title", "genres"));
      String[] row;
      while ((row = table.nextRecord()) != null) {
        long line = table.line();
        catalogue.addMovie(
            file, line, Fields.integerId(file, line, "movieId", row[id]), row[title], row[genres]);
        progress.row();
      }
    }
    progress.done();
  }

  private static void readTags(Path file, MovieCatalogue catalogue) throws IOException {
    ReadProgress progress = new ReadProgress(file);
    try (CsvTable table = CsvTable.open(file)) {
      int user = table.requireColumn("userId");
      int movie = table.requireColumn("movieId");
      int tag = table.requireColumn("tag");
      int timestamp = table.requireColumn("timestamp");
      table.warnAboutUnknownColumns(Set.of("userid", "movieid", "tag", "timestamp"));
      String[] row;
      while ((row = table.nextRecord()) != null) {
        long line = table.line();
        Fields.integerId(file, line, "userId", row[user]);
        Fields.epochSeconds(file, line, row[timestamp]);
        catalogue.addTag(Fields.integerId(file, line, "movieId", row[movie]), row[tag]);
        progress.row();
      }
    }
    progress.done();
    catalogue.logTagSummary(file);
  }

  private static void readRatings(Path file, DatasetBuilder builder) throws IOException {
    ReadProgress progress = new ReadProgress(file);
    try (CsvTable table = CsvTable.open(file)) {
      int user = table.requireColumn("userId");
      int movie = table.requireColumn("movieId");
      int rating = table.requireColumn("rating");
      int timestamp = table.requireColumn("timestamp");
      table.warnAboutUnknownColumns(Set.of("userid", "movieid", "rating", "timestamp"));
      String[] row;
      while ((row = table.nextRecord()) != null) {
        long line = table.line();
        builder.addInteraction(
            Fields.integerId(file, line, "userId", row[user]),
            Fields.integerId(file, line, "movieId", row[movie]),
            Fields.movieLensRating(file, line, row[rating]),
            Fields.epochSeconds(file, line, row[timestamp]));
        progress.row();
      }
    }
    progress.done();
  }
}
