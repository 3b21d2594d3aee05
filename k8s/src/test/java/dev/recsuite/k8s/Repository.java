package dev.recsuite.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from the parent pom's {@code recsuite.repo.root} or the working directory. */
final class Repository {

  private Repository() {}

  /** The repository root: the directory holding {@code mvnw}. */
  static Path root() {
    String configured = System.getProperty("recsuite.repo.root");
    if (configured != null && Files.exists(Path.of(configured, "mvnw"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no directory holding mvnw above " + Path.of("").toAbsolutePath());
  }

  /** A path under {@code k8s/}. */
  static Path k8s(String relative) {
    return root().resolve("k8s").resolve(relative);
  }
}
