package dev.recsuite.core.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import dev.recsuite.bundle.v1.BundleFile;
import dev.recsuite.bundle.v1.BundleManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A published model bundle whose manifest was read and whose files were verified against it. All
 * read failures surface as {@link InvalidBundleException} naming the bundle and the file.
 */
public final class Bundle {

  /**
   * The largest manifest read: far above what a trainer writes (a few kilobytes per thousand
   * files), so that a garbage or hostile manifest cannot make a tier read gigabytes into memory.
   */
  public static final long MAX_MANIFEST_BYTES = 16L << 20;

  /** Values from the manifest shown in messages are cut to this many characters. */
  private static final int SHOWN_CHARS = 80;

  private final Path directory;
  private final BundleManifest manifest;

  private Bundle(Path directory, BundleManifest manifest) {
    this.directory = directory;
    this.manifest = manifest;
  }

  /**
   * Opens the bundle in {@code directory}: reads the manifest, checks the format version and the
   * size and SHA-256 of every listed file.
   *
   * @throws InvalidBundleException if the directory or manifest is missing, the manifest is larger
   *     than {@value #MAX_MANIFEST_BYTES} bytes or does not parse, the format is unknown, the
   *     manifest lists a path twice, an invalid path, a path outside the bundle or a negative
   *     size, or a file is missing, truncated or altered
   */
  public static Bundle open(Path directory) {
    Path manifestFile = directory.resolve(BundleFiles.MANIFEST);
    if (!Files.isDirectory(directory)) {
      throw new InvalidBundleException("bundle " + directory + ": no such directory");
    }
    BundleManifest manifest;
    try {
      long size = Files.size(manifestFile);
      if (size > MAX_MANIFEST_BYTES) {
        throw new InvalidBundleException(
            "bundle %s: %s is %d bytes (expected: at most %d)"
                .formatted(directory, BundleFiles.MANIFEST, size, MAX_MANIFEST_BYTES));
      }
      BundleManifest.Builder builder = BundleManifest.newBuilder();
      JsonFormat.parser().merge(Files.readString(manifestFile, StandardCharsets.UTF_8), builder);
      manifest = builder.build();
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": no " + BundleFiles.MANIFEST + " (incomplete or not a bundle)");
    } catch (InvalidBundleException e) {
      throw e;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // StackOverflowError: deeply nested JSON, should a parser recurse once per level.
      throw new InvalidBundleException(
          "bundle " + directory + ": unreadable " + BundleFiles.MANIFEST + ": " + shown(String.valueOf(e.getMessage())), e);
    }
    if (manifest.getFormatVersion() != BundleFiles.FORMAT_VERSION) {
      throw new InvalidBundleException(
          "bundle %s: format_version %d (expected: %d)"
              .formatted(directory, manifest.getFormatVersion(), BundleFiles.FORMAT_VERSION));
    }
    Set<String> listed = new HashSet<>();
    for (BundleFile file : manifest.getFilesList()) {
      if (!listed.add(file.getPath())) {
        // Each file is hashed once per entry: ten thousand copies of one entry would stall a tier.
        throw new InvalidBundleException(
            "bundle " + directory + ": manifest lists " + shown(file.getPath()) + " more than once");
      }
      verify(directory, file);
    }
    return new Bundle(directory, manifest);
  }

  private static void verify(Path directory, BundleFile file) {
    Path path;
    try {
      path = directory.resolve(file.getPath()).normalize();
    } catch (InvalidPathException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": manifest lists an invalid path " + shown(file.getPath()) + ": " + e.getReason());
    }
    if (!path.startsWith(directory) || path.equals(directory.normalize())) {
      throw new InvalidBundleException(
          "bundle " + directory + ": manifest lists a path outside the bundle: " + shown(file.getPath()));
    }
    if (file.getSizeBytes() < 0) {
      throw new InvalidBundleException(
          "bundle %s: manifest size of %s is %d (expected: >= 0)"
              .formatted(directory, shown(file.getPath()), file.getSizeBytes()));
    }
    try {
      long size = Files.size(path);
      if (size != file.getSizeBytes()) {
        throw new InvalidBundleException(
            "bundle %s: %s is %d bytes (expected: %d; truncated or altered)"
                .formatted(directory, shown(file.getPath()), size, file.getSizeBytes()));
      }
      String sha256 = Checksums.sha256(path);
      if (!sha256.equals(file.getSha256())) {
        throw new InvalidBundleException(
            "bundle %s: %s has SHA-256 %s (expected: %s; corrupt)"
                .formatted(directory, shown(file.getPath()), sha256, shown(file.getSha256())));
      }
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException("bundle " + directory + ": missing file " + shown(file.getPath()));
    } catch (IOException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": cannot read " + shown(file.getPath()) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A value from the manifest for a message: control characters escaped and cut after {@value
   * #SHOWN_CHARS} characters, so that a hostile manifest can neither flood nor forge log lines.
   */
  static String shown(String value) {
    StringBuilder out = new StringBuilder();
    int shown = Math.min(value.length(), SHOWN_CHARS);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (shown < value.length()) {
      out.append("...(").append(value.length()).append(" characters)");
    }
    return out.toString();
  }

  public Path directory() {
    return directory;
  }

  public BundleManifest manifest() {
    return manifest;
  }

  public String version() {
    return manifest.getVersion();
  }

  /** Whether the manifest lists {@code relativePath} (a file, or any file under a directory). */
  public boolean has(String relativePath) {
    String prefix = relativePath + "/";
    return manifest.getFilesList().stream()
        .anyMatch(f -> f.getPath().equals(relativePath) || f.getPath().startsWith(prefix));
  }

  /** The absolute path of a bundle file or directory. */
  public Path path(String relativePath) {
    return directory.resolve(relativePath);
  }

  /**
   * Parses the protobuf message stored in {@code relativePath}.
   *
   * @throws InvalidBundleException if the file is missing or does not parse
   */
  public <T extends Message> T read(String relativePath, Parser<T> parser) {
    if (!has(relativePath)) {
      throw new InvalidBundleException(
          "bundle " + directory + " (version " + version() + "): has no " + relativePath);
    }
    try (InputStream in = Files.newInputStream(path(relativePath))) {
      return parser.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": " + relativePath + " does not parse: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": cannot read " + relativePath + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Bundle[" + version() + " at " + directory + "]";
  }
}
