package dev.recsuite.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test fixtures: the MovieLens-layout ones written from {@link MovieLensFixtures} (once per JVM, to
 * a temporary directory removed at exit), the others under {@code src/test/resources/fixtures};
 * and small file writers.
 */
public final class Fixtures {

  /** Written MovieLens-layout fixtures by name, so that a name always resolves to one directory. */
  private static final Map<String, Path> WRITTEN = new ConcurrentHashMap<>();

  private Fixtures() {}

  /** The fixture directory {@code name}. */
  public static Path dir(String name) {
    if (MovieLensFixtures.has(name)) {
      return WRITTEN.computeIfAbsent(name, Fixtures::writeMovieLens);
    }
    URL url = Fixtures.class.getResource("/fixtures/" + name);
    if (url == null) {
      throw new IllegalArgumentException("fixture: '" + name + "' (expected: a test resource)");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writeMovieLens(String name) {
    try {
      Path dir = Files.createTempDirectory("recsuite-fixture-" + name);
      dir.toFile().deleteOnExit();
      MovieLensFixtures.writeTo(name, dir);
      try (var files = Files.list(dir)) {
        files.forEach(file -> file.toFile().deleteOnExit());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} as UTF-8 to {@code dir/name} and returns the file. */
  public static Path write(Path dir, String name, String text) {
    return write(dir, name, text, StandardCharsets.UTF_8);
  }

  /** Writes {@code text} in {@code charset} to {@code dir/name} and returns the file. */
  public static Path write(Path dir, String name, String text, Charset charset) {
    try {
      return Files.write(dir.resolve(name), text.getBytes(charset));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies every file of fixture {@code name} into {@code target}. */
  public static Path copy(String name, Path target) {
    try (var files = Files.list(dir(name))) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName().toString()));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
