package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;

/** Reads one directory layout. Implementations are stateless and may be reused. */
public interface DatasetLoader {

  /**
   * Loads the data set in {@code dir}; the caller has checked that the required files exist.
   *
   * @throws dev.recsuite.datasets.InvalidDataException if a line is malformed
   * @throws IOException if reading fails
   */
  Dataset load(Path dir) throws IOException;
}
