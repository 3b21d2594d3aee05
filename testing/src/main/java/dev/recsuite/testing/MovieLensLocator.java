package dev.recsuite.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The decision logic of {@link MovieLensData}, over an injected environment so tests can fake it.
 */
final class MovieLensLocator {

  static final List<String> REQUIRED_FILES = List.of("u.data", "u.item", "u.user");

  private static final String DEFAULT_RELATIVE = "../shared/data/ml-100k";
  private static final String DOWNLOAD = "https://grouplens.org/datasets/movielens/100k/";

  private final Map<String, String> environment;
  private final UnaryOperator<String> properties;
  private final Path workingDirectory;
  private final Consumer<String> warning;

  MovieLensLocator(
      Map<String, String> environment,
      UnaryOperator<String> properties,
      Path workingDirectory,
      Consumer<String> warning) {
    this.environment = Map.copyOf(environment);
    this.properties = Objects.requireNonNull(properties, "properties");
    this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    this.warning = Objects.requireNonNull(warning, "warning");
  }

  /** Returns the directory, or fails or aborts the current test as {@link MovieLensData} says. */
  Path ml100k() {
    String configured = value(environment.get(MovieLensData.DIR_ENV));
    String source = "environment variable " + MovieLensData.DIR_ENV;
    if (configured == null) {
      configured = value(properties.apply(MovieLensData.DIR_PROPERTY));
      source = "system property " + MovieLensData.DIR_PROPERTY;
    }
    if (configured != null) {
      Path dir = workingDirectory.resolve(configured).normalize();
      String problem = problem(dir);
      if (problem == null) {
        return dir;
      }
      // Someone pointed at a directory on purpose: a wrong path is an error, never a skip.
      return Assertions.fail(
          "MovieLens 100K: "
              + dir
              + " (from the "
              + source
              + ") "
              + problem
              + ". "
              + howToProvide());
    }

    Path root = repositoryRoot();
    if (root == null) {
      return missing(
          "cannot find the repository root: the system property "
              + MovieLensData.REPO_ROOT_PROPERTY
              + " is not set and no directory above "
              + workingDirectory
              + " holds mvnw");
    }
    Path dir = root.resolve(DEFAULT_RELATIVE).normalize();
    String problem = problem(dir);
    return problem == null ? dir : missing("looked in " + dir + ", which " + problem);
  }

  private Path missing(String where) {
    String message = "MovieLens 100K not found: " + where + ". ";
    if ("true".equalsIgnoreCase(value(environment.get("CI")))) {
      return Assertions.fail(message + "CI must provide the data set. " + howToProvide());
    }
    String skip = message + "Tests that need it are skipped. " + howToProvide();
    warning.accept(skip);
    return Assumptions.abort(skip);
  }

  private Path repositoryRoot() {
    String root = value(properties.apply(MovieLensData.REPO_ROOT_PROPERTY));
    if (root != null) {
      return workingDirectory.resolve(root).normalize();
    }
    for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    return null;
  }

  /** Returns what is wrong with {@code dir}, or {@code null} if it holds the data set. */
  private static String problem(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "does not exist";
    }
    List<String> absent =
        REQUIRED_FILES.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
    return absent.isEmpty() ? null : "lacks " + String.join(", ", absent);
  }

  /** Treats blanks and unresolved Maven placeholders ({@code ${...}}) as unset. */
  private static String value(String raw) {
    return raw == null || raw.isBlank() || raw.contains("${") ? null : raw.strip();
  }

  private static String howToProvide() {
    return "Provide it with "
        + MovieLensData.DIR_ENV
        + "=<dir> or -D"
        + MovieLensData.DIR_PROPERTY
        + "=<dir>, a directory holding "
        + String.join(", ", REQUIRED_FILES)
        + " (unzip ml-100k.zip from "
        + DOWNLOAD
        + "), or place it at <repo root>/"
        + DEFAULT_RELATIVE
        + ".";
  }
}
