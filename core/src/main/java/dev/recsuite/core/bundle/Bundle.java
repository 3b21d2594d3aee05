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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A published model bundle whose manifest was read and whose files were verified against it. All
 * read failures surface as {@link InvalidBundleException} naming the bundle and the file.
 */
public final class Bundle {

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
   * @throws InvalidBundleException if the directory or manifest is missing, the format is unknown,
   *     or a file is missing, truncated or altered
   */
  public static Bundle open(Path directory) {
    Path manifestFile = directory.resolve(BundleFiles.MANIFEST);
    if (!Files.isDirectory(directory)) {
      throw new InvalidBundleException("bundle " + directory + ": no such directory");
    }
    BundleManifest manifest;
    try {
      BundleManifest.Builder builder = BundleManifest.newBuilder();
      JsonFormat.parser().merge(Files.readString(manifestFile, StandardCharsets.UTF_8), builder);
      manifest = builder.build();
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": no " + BundleFiles.MANIFEST + " (incomplete or not a bundle)");
    } catch (IOException | RuntimeException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": unreadable " + BundleFiles.MANIFEST + ": " + e.getMessage(), e);
    }
    if (manifest.getFormatVersion() != BundleFiles.FORMAT_VERSION) {
      throw new InvalidBundleException(
          "bundle %s: format_version %d (expected: %d)"
              .formatted(directory, manifest.getFormatVersion(), BundleFiles.FORMAT_VERSION));
    }
    for (BundleFile file : manifest.getFilesList()) {
      verify(directory, file);
    }
    return new Bundle(directory, manifest);
  }

  private static void verify(Path directory, BundleFile file) {
    Path path = directory.resolve(file.getPath()).normalize();
    if (!path.startsWith(directory)) {
      throw new InvalidBundleException(
          "bundle " + directory + ": manifest lists a path outside the bundle: " + file.getPath());
    }
    try {
      long size = Files.size(path);
      if (size != file.getSizeBytes()) {
        throw new InvalidBundleException(
            "bundle %s: %s is %d bytes (expected: %d; truncated or altered)"
                .formatted(directory, file.getPath(), size, file.getSizeBytes()));
      }
      String sha256 = Checksums.sha256(path);
      if (!sha256.equals(file.getSha256())) {
        throw new InvalidBundleException(
            "bundle %s: %s has SHA-256 %s (expected: %s; corrupt)"
                .formatted(directory, file.getPath(), sha256, file.getSha256()));
      }
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException("bundle " + directory + ": missing file " + file.getPath());
    } catch (IOException e) {
      throw new InvalidBundleException(
          "bundle " + directory + ": cannot read " + file.getPath() + ": " + e.getMessage(), e);
    }
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
