package dev.recsuite.datasets;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.datasets.internal.DatasetLoader;
import dev.recsuite.datasets.internal.GenericCsvLoader;
import dev.recsuite.datasets.internal.MovieLens100kLoader;
import dev.recsuite.datasets.internal.MovieLensCsvLoader;
import dev.recsuite.datasets.internal.MovieLensDatLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads data sets from directories in one of the {@link DatasetFormat} layouts.
 *
 * <pre>{@code
 * Dataset movies = Datasets.load(Path.of("data/ml-100k"));
 * Dataset mine = Datasets.load(Path.of("export"), DatasetFormat.GENERIC_CSV);
 * }</pre>
 *
 * <p>Items get dense ids in catalogue order, then in order of first appearance in the interactions
 * for items the catalogue lacks; users likewise. Loading is single-threaded and logs each file read
 * at INFO.
 */
public final class Datasets {

  private static final Logger log = LoggerFactory.getLogger(Datasets.class);

  private Datasets() {}

  /**
   * Loads {@code dir} in the layout {@link DatasetFormat#detect(Path)} picks.
   *
   * @throws NoSuchFileException if {@code dir} or a file its layout requires is missing, or the
   *     layout cannot be recognised
   * @throws InvalidDataException if a line cannot be read; the message names file and line
   * @throws IOException if the layout is ambiguous or reading fails
   */
  public static Dataset load(Path dir) throws IOException {
    return load(dir, DatasetFormat.detect(dir));
  }

  /**
   * Loads {@code dir} in the given layout.
   *
   * @throws NoSuchFileException if {@code dir} or a file the layout requires is missing
   * @throws NotDirectoryException if {@code dir} is not a directory
   * @throws InvalidDataException if a line cannot be read; the message names file and line
   * @throws IOException if reading fails
   */
  public static Dataset load(Path dir, DatasetFormat format) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(format, "format");
    if (!Files.exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "data set directory does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir.toString());
    }
    for (String name : format.requiredFiles()) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(
            file.toString(), null, "required by the " + format.id() + " layout");
      }
    }
    DatasetLoader loader =
        switch (format) {
          case MOVIELENS_100K -> new MovieLens100kLoader();
          case MOVIELENS_DAT -> new MovieLensDatLoader();
          case MOVIELENS_CSV -> new MovieLensCsvLoader();
          case GENERIC_CSV -> new GenericCsvLoader();
        };
    log.info("Loading {} data set from {}", format.displayName(), dir);
    long start = System.nanoTime();
    Dataset dataset = loader.load(dir);
    log.info(
        "Loaded {}: {} users, {} items, {} interactions in {} ms",
        dir,
        dataset.users().size(),
        dataset.items().size(),
        dataset.interactions().size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return dataset;
  }
}
