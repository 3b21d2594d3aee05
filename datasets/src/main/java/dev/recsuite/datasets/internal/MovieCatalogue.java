package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Item;
import dev.recsuite.datasets.InvalidDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The movies of a MovieLens .dat or CSV data set, collected before they become {@link Item}s
 * because user tags arrive from a second file.
 */
final class MovieCatalogue {

  private static final Logger log = LoggerFactory.getLogger(MovieCatalogue.class);
  private static final String NO_GENRES = "(no genres listed)";

  private final Map<String, Movie> movies = new LinkedHashMap<>();
  private long tagsOfUnknownMovies;
  private long blankTags;

  private static final class Movie {
    final String title;
    final List<String> genres;
    final Set<String> tags = new LinkedHashSet<>();

    Movie(String title, List<String> genres) {
      this.title = title;
      this.genres = genres;
    }
  }

  /**
   * Adds a movie; {@code genres} is the {@code |}-separated cell, where {@code (no genres listed)}
   * means none.
   *
   * @throws InvalidDataException if the id was seen before
   */
  void addMovie(Path file, long line, String id, String title, String genres)
      throws InvalidDataException {
    List<String> genreList = new ArrayList<>();
    for (String genre : Fields.multiValued(genres)) {
      if (!genre.equals(NO_GENRES)) {
        genreList.add(genre);
      }
    }
    if (movies.putIfAbsent(id, new Movie(title.strip(), List.copyOf(genreList))) != null) {
      throw new InvalidDataException(file, line, "movie id '%s' appears twice".formatted(id));
    }
  }

  /**
   * Attaches a user tag to a movie, trimmed and lower-cased; repeats are dropped. Tags of movies
   * the catalogue lacks, and blank tags, are counted and reported by {@link #logTagSummary}.
   */
  void addTag(String movieId, String tag) {
    String normalized = tag.strip().toLowerCase(Locale.ROOT);
    if (normalized.isEmpty()) {
      blankTags++;
      return;
    }
    Movie movie = movies.get(movieId);
    if (movie == null) {
      tagsOfUnknownMovies++;
      return;
    }
    movie.tags.add(normalized);
  }

  void logTagSummary(Path file) {
    if (tagsOfUnknownMovies > 0) {
      log.warn(
          "{}: ignored {} tags of movies that are not in the movie file",
          file,
          tagsOfUnknownMovies);
    }
    if (blankTags > 0) {
      log.warn("{}: ignored {} blank tags", file, blankTags);
    }
  }

  int size() {
    return movies.size();
  }

  /** Adds every movie to {@code builder}, in file order. */
  void addTo(DatasetBuilder builder) {
    for (Map.Entry<String, Movie> entry : movies.entrySet()) {
      Movie movie = entry.getValue();
      builder.addItem(
          new Item(
              entry.getKey(),
              movie.title,
              movie.genres,
              Titles.yearOf(movie.title),
              List.copyOf(movie.tags)));
    }
  }
}
