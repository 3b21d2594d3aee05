package dev.recsuite.testing;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Locates the MovieLens 100K data set for tests. The data is never copied into the repository
 * (licence); tests read it where it lies.
 *
 * <pre>{@code
 * @Test
 * void load_ml100k_readsAllRatings() {
 *   Path dir = MovieLensData.ml100k(); // skips this test when the data is absent (locally)
 *   ...
 * }
 * }</pre>
 *
 * <p>Where it looks, first match wins:
 *
 * <ol>
 *   <li>the environment variable {@value #DIR_ENV};
 *   <li>the system property {@value #DIR_PROPERTY} ({@code mvn -Drecsuite.ml100k.dir=...});
 *   <li>{@code <repo root>/../shared/data/ml-100k}, where the repository root is the system
 *       property {@value #REPO_ROOT_PROPERTY} (the parent pom sets it for Surefire) or else the
 *       nearest directory above the working directory that holds {@code mvnw}.
 * </ol>
 *
 * <p>The directory must hold {@code u.data}, {@code u.item} and {@code u.user}. When it does not:
 * if the variable or property named a directory, the test fails (a misconfiguration); else, when
 * the environment variable {@code CI} is {@code true}, the test fails (CI must have the data); else
 * the test is aborted, which JUnit reports as skipped, and the reason is also printed once to
 * stderr so that it shows in the build output.
 */
public final class MovieLensData {

  /** Environment variable naming the MovieLens 100K directory. */
  public static final String DIR_ENV = "RECSUITE_ML100K_DIR";

  /** System property naming the MovieLens 100K directory. */
  public static final String DIR_PROPERTY = "recsuite.ml100k.dir";

  /** System property naming the repository root (the directory holding {@code mvnw}). */
  public static final String REPO_ROOT_PROPERTY = "recsuite.repo.root";

  // The one piece of static state: the data's absence is announced once per JVM, not per test.
  private static final AtomicBoolean warned = new AtomicBoolean();

  private MovieLensData() {}

  /**
   * Returns the MovieLens 100K directory.
   *
   * @throws org.opentest4j.AssertionFailedError if it is missing on CI, or a configured path is
   *     wrong (the test fails)
   * @throws org.opentest4j.TestAbortedException if it is missing elsewhere (the test is skipped)
   */
  public static Path ml100k() {
    return new MovieLensLocator(
            System.getenv(),
            System::getProperty,
            Path.of("").toAbsolutePath(),
            MovieLensData::warnOnce)
        .ml100k();
  }

  // Printing is intended here: a skipped test's reason is otherwise easy to miss.
  private static void warnOnce(String message) {
    if (warned.compareAndSet(false, true)) {
      System.err.println("[recsuite-testing] " + message);
    }
  }
}
