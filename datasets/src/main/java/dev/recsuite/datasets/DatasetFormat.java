package dev.recsuite.datasets;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The on-disk layouts {@link Datasets} can read. Each layout is a directory of files with fixed
 * names; see the module README for the exact columns.
 */
public enum DatasetFormat {

  /** MovieLens 100K: {@code u.data}, {@code u.item}, {@code u.genre}, optional {@code u.user}. */
  MOVIELENS_100K(
      "movielens-100k",
      "MovieLens 100K",
      List.of("u.data", "u.item", "u.genre"),
      List.of("u.user")),

  /**
   * MovieLens 1M and 10M: {@code ::}-separated {@code ratings.dat} and {@code movies.dat}, optional
   * {@code users.dat} (1M) and {@code tags.dat} (10M).
   */
  MOVIELENS_DAT(
      "movielens-dat",
      "MovieLens 1M/10M",
      List.of("ratings.dat", "movies.dat"),
      List.of("users.dat", "tags.dat")),

  /**
   * MovieLens ml-latest, ml-latest-small, ml-20m, ml-25m: {@code ratings.csv}, {@code movies.csv},
   * optional {@code tags.csv}, with header rows.
   */
  MOVIELENS_CSV(
      "movielens-csv", "MovieLens CSV", List.of("ratings.csv", "movies.csv"), List.of("tags.csv")),

  /**
   * This project's own CSV layout: {@code interactions.csv}, optional {@code items.csv} and {@code
   * users.csv}, with header rows naming the columns.
   */
  GENERIC_CSV(
      "generic-csv", "generic CSV", List.of("interactions.csv"), List.of("items.csv", "users.csv"));

  private final String id;
  private final String displayName;
  private final List<String> requiredFiles;
  private final List<String> optionalFiles;

  DatasetFormat(
      String id, String displayName, List<String> requiredFiles, List<String> optionalFiles) {
    this.id = id;
    this.displayName = displayName;
    this.requiredFiles = requiredFiles;
    this.optionalFiles = optionalFiles;
  }

  /** The layout's name as used on command lines and in {@code DataSourceInfo.format}. */
  public String id() {
    return id;
  }

  /** A human-readable name such as {@code MovieLens 100K}. */
  public String displayName() {
    return displayName;
  }

  /** Files that must exist; the first one identifies the layout in {@link #detect(Path)}. */
  public List<String> requiredFiles() {
    return requiredFiles;
  }

  /** Files that are read when present. */
  public List<String> optionalFiles() {
    return optionalFiles;
  }

  /**
   * The format whose {@link #id()} is {@code id}.
   *
   * @throws IllegalArgumentException if no format has that id; the message lists the valid ids
   */
  public static DatasetFormat fromId(String id) {
    for (DatasetFormat format : values()) {
      if (format.id.equals(id)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "format: '%s' (expected one of: %s)"
            .formatted(
                id,
                Arrays.stream(values()).map(DatasetFormat::id).collect(Collectors.joining(", "))));
  }

  /**
   * Picks the layout of {@code dir} by the files it contains: {@code u.data} means MovieLens 100K,
   * {@code ratings.dat} MovieLens .dat, {@code ratings.csv} MovieLens CSV and {@code
   * interactions.csv} the generic CSV layout. Other files the layout needs are checked when
   * loading.
   *
   * @throws NoSuchFileException if {@code dir} does not exist, or it holds none of those files; the
   *     message names the directory, the files present and the files each layout expects
   * @throws NotDirectoryException if {@code dir} is a regular file
   * @throws FileSystemException if the directory matches several layouts
   * @throws IOException if the directory cannot be listed
   */
  public static DatasetFormat detect(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "data set directory does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir.toString());
    }
    List<DatasetFormat> matches = new ArrayList<>();
    for (DatasetFormat format : values()) {
      if (Files.isRegularFile(dir.resolve(format.requiredFiles.getFirst()))) {
        matches.add(format);
      }
    }
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    if (matches.isEmpty()) {
      throw new NoSuchFileException(
          dir.toString(),
          null,
          "no known data set layout (files present: %s); expected one of: %s"
              .formatted(listFiles(dir), expectations()));
    }
    throw new FileSystemException(
        dir.toString(),
        null,
        "matches several data set layouts (%s); name the format explicitly"
            .formatted(matches.stream().map(DatasetFormat::id).collect(Collectors.joining(", "))));
  }

  private static String listFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names =
          files.map(path -> path.getFileName().toString()).sorted().limit(21).toList();
      if (names.isEmpty()) {
        return "none";
      }
      return names.size() > 20
          ? String.join(", ", names.subList(0, 20)) + ", ..."
          : String.join(", ", names);
    }
  }

  private static String expectations() {
    return Arrays.stream(values())
        .map(
            format ->
                format.id
                    + " ("
                    + String.join(", ", format.requiredFiles)
                    + (format.optionalFiles.isEmpty()
                        ? ""
                        : "; optional " + String.join(", ", format.optionalFiles))
                    + ")")
        .collect(Collectors.joining("; "));
  }
}
