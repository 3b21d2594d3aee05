package dev.recsuite.ranking;

import com.google.protobuf.MessageLite;
import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.DataSource;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleWriter;
import java.io.IOException;
import java.nio.file.Path;

/** Writes small bundles for tests with core's {@link BundleWriter}. */
final class TestBundles {

  private TestBundles() {}

  /** Publishes bundle {@code version} under {@code root} holding {@code ranker} (none if null). */
  static Path write(Path root, String version, MessageLite ranker) throws IOException {
    try (BundleWriter writer = BundleWriter.create(root, version)) {
      if (ranker != null) {
        writer.writeMessage(BundleFiles.RANKER, ranker);
      }
      return writer.commit(manifest());
    }
  }

  static BundleManifest manifest() {
    return BundleManifest.newBuilder()
        .setDataSource(DataSource.newBuilder().setFormat("synthetic").setDescription("test"))
        .build();
  }
}
