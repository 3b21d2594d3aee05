package dev.recsuite.datasets;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.LoggerFactory;

/**
 * Locates the MovieLens 100K files tests read (they may not be copied into the repository): env
 * {@code RECSUITE_ML100K_DIR}, else {@code <recsuite.repo.root>/../shared/data/ml-100k}. Missing
 * data skips the calling test with a message, or fails it when env {@code CI} is {@code true}.
 */
final class MovieLensTestData {

  private MovieLensTestData() {}

  static Path ml100kDir() {
    String fromEnv = System.getenv("RECSUITE_ML100K_DIR");
    String repoRoot = System.getProperty("recsuite.repo.root");
    Path dir;
    if (fromEnv != null && !fromEnv.isBlank()) {
      dir = Path.of(fromEnv);
    } else if (repoRoot != null && !repoRoot.isBlank()) {
      dir = Path.of(repoRoot).resolve("../shared/data/ml-100k").normalize();
    } else {
      dir = null;
    }
    if (dir == null || !Files.isRegularFile(dir.resolve("u.data"))) {
      String message =
          ("MovieLens 100K not found (looked in %s);"
                  + " set RECSUITE_ML100K_DIR to the ml-100k directory")
              .formatted(
                  dir == null ? "nothing: RECSUITE_ML100K_DIR and recsuite.repo.root unset" : dir);
      if ("true".equals(System.getenv("CI"))) {
        fail(message);
      }
      // Surefire shows only a skip count on the console; the log line says why.
      LoggerFactory.getLogger(MovieLensTestData.class).warn("Skipping: {}", message);
      Assumptions.abort(message);
    }
    return dir;
  }
}
