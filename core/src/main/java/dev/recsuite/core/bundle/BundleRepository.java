package dev.recsuite.core.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The directory that holds bundle versions as sub-directories ({@code <root>/<version>/}). A version
 * counts once its manifest exists; staging directories of a trainer still writing are ignored.
 */
public final class BundleRepository {

  static final String STAGING_PREFIX = ".staging-";

  private final Path root;

  public BundleRepository(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Published versions, oldest first (lexical order of version names). */
  public List<String> versions() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(Files::isDirectory)
          .filter(dir -> !dir.getFileName().toString().startsWith("."))
          .filter(dir -> Files.exists(dir.resolve(BundleFiles.MANIFEST)))
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list bundles in " + root, e);
    }
  }

  /** The newest published version, if any. */
  public Optional<String> latestVersion() {
    List<String> versions = versions();
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
  }

  /**
   * Opens and verifies the newest published bundle.
   *
   * @throws InvalidBundleException if the root does not exist, holds no bundle, or the newest one is
   *     invalid
   */
  public Bundle openLatest() {
    if (!Files.isDirectory(root)) {
      throw new InvalidBundleException(
          "bundle directory " + root + " does not exist (train one: ./recsuite train --out " + root + ")");
    }
    String version =
        latestVersion()
            .orElseThrow(
                () ->
                    new InvalidBundleException(
                        "bundle directory " + root + " holds no published bundle (train one: ./recsuite train --out " + root + ")"));
    return openNamed(version);
  }

  /**
   * Opens and verifies one version.
   *
   * @throws InvalidBundleException if it is not published or invalid, or if its manifest names
   *     another version than its directory
   */
  public Bundle open(String version) {
    BundleVersions.requireValid(version);
    return openNamed(version);
  }

  /**
   * Opens the bundle in the directory {@code version}, which must be the version its manifest
   * names: tiers order, pin and retire bundles by the manifest's version and find new ones by the
   * directory's name, so a copy published under another name (or a manifest naming a far-future
   * version) would be served under a version that no directory has, and could keep every later
   * bundle from loading ("not newer than the served one").
   */
  private Bundle openNamed(String version) {
    Bundle bundle = Bundle.open(root.resolve(version));
    if (!bundle.version().equals(version)) {
      throw new InvalidBundleException(
          "bundle %s: manifest version %s (expected: %s, the directory's name)"
              .formatted(bundle.directory(), Bundle.shown(bundle.version()), version));
    }
    return bundle;
  }
}
