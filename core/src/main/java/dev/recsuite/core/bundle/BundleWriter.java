package dev.recsuite.core.bundle;

import com.google.protobuf.MessageLite;
import com.google.protobuf.util.JsonFormat;
import dev.recsuite.bundle.v1.BundleFile;
import dev.recsuite.bundle.v1.BundleManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a bundle into a staging directory and publishes it atomically: readers see either no
 * bundle of that version or the complete one. Typical use:
 *
 * <pre>{@code
 * try (BundleWriter writer = BundleWriter.create(bundlesRoot, version)) {
 *   writer.writeMessage(BundleFiles.CATALOG, catalog);
 *   luceneWriter.writeTo(writer.directory(BundleFiles.ITEM_INDEX));
 *   Path published = writer.commit(manifest);
 * }
 * }</pre>
 *
 * Closing an uncommitted writer deletes the staging directory.
 */
public final class BundleWriter implements AutoCloseable {

  private final Path root;
  private final String version;
  private final Path staging;
  private boolean committed;

  private BundleWriter(Path root, String version, Path staging) {
    this.root = root;
    this.version = version;
    this.staging = staging;
  }

  /**
   * Starts a bundle {@code version} under {@code root}.
   *
   * @throws FileAlreadyExistsException if that version is already published
   * @throws IOException if the staging directory cannot be created
   */
  public static BundleWriter create(Path root, String version) throws IOException {
    BundleVersions.requireValid(version);
    Files.createDirectories(root);
    if (Files.exists(root.resolve(version))) {
      throw new FileAlreadyExistsException(root.resolve(version).toString(), null, "bundle version already exists");
    }
    Path staging = root.resolve(BundleRepository.STAGING_PREFIX + version);
    deleteRecursively(staging);
    Files.createDirectories(staging);
    return new BundleWriter(root, version, staging);
  }

  public String version() {
    return version;
  }

  /** Writes a protobuf message to {@code relativePath} of the staging directory and syncs it. */
  public void writeMessage(String relativePath, MessageLite message) throws IOException {
    Path file = stagedPath(relativePath);
    Files.createDirectories(file.getParent());
    try (FileChannel channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
      message.writeTo(out);
      out.flush();
      channel.force(true);
    }
  }

  /** Creates and returns a sub-directory of the staging directory, for multi-file parts. */
  public Path directory(String relativePath) throws IOException {
    return Files.createDirectories(stagedPath(relativePath));
  }

  /** Whether {@code relativePath} was written. */
  public boolean has(String relativePath) {
    return Files.exists(stagedPath(relativePath));
  }

  /**
   * Records every staged file with its size and SHA-256 in {@code manifest}, writes the manifest
   * last and moves the staging directory to {@code root/version} atomically.
   *
   * @return the published bundle directory
   * @throws IOException if writing or the move fails; the staging directory is then left for
   *     {@link #close()} to delete
   */
  public Path commit(BundleManifest manifest) throws IOException {
    if (committed) {
      throw new IllegalStateException("bundle " + version + " already committed");
    }
    List<BundleFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(staging)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.add(
            BundleFile.newBuilder()
                .setPath(staging.relativize(file).toString().replace('\\', '/'))
                .setSizeBytes(Files.size(file))
                .setSha256(Checksums.sha256(file))
                .build());
      }
    }
    BundleManifest complete =
        manifest.toBuilder()
            .setFormatVersion(BundleFiles.FORMAT_VERSION)
            .setVersion(version)
            .clearFiles()
            .addAllFiles(files)
            .build();
    Path manifestFile = staging.resolve(BundleFiles.MANIFEST);
    try (FileChannel channel =
            FileChannel.open(manifestFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
      out.write(JsonFormat.printer().print(complete).getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      out.flush();
      channel.force(true);
    }
    Path target = root.resolve(version);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot publish bundle atomically at " + target, e);
    }
    committed = true;
    return target;
  }

  /** Deletes the staging directory unless the bundle was committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      deleteRecursively(staging);
    }
  }

  private Path stagedPath(String relativePath) {
    Path resolved = staging.resolve(relativePath).normalize();
    if (!resolved.startsWith(staging) || resolved.equals(staging)) {
      throw new IllegalArgumentException(
          "relativePath: '" + relativePath + "' (expected: a path inside the bundle)");
    }
    return resolved;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
