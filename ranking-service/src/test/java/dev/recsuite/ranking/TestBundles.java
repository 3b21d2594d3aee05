package dev.recsuite.ranking;

import com.google.protobuf.MessageLite;
import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.CatalogItem;
import dev.recsuite.bundle.v1.DataSource;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.ItemFeatureRow;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleWriter;
import java.io.IOException;
import java.nio.file.Path;

/** Writes small bundles for tests with core's {@link BundleWriter}. */
final class TestBundles {

  private TestBundles() {}

  /**
   * Publishes bundle {@code version} under {@code root} holding {@code ranker} (none if null) and
   * the item features of {@link #catalog()} and {@link #tables()}.
   */
  static Path write(Path root, String version, MessageLite ranker) throws IOException {
    return write(root, version, ranker, catalog(), tables());
  }

  /** Publishes a bundle with the given parts; a null part is left out. */
  static Path write(Path root, String version, MessageLite ranker, ItemCatalog catalog, FeatureTables tables)
      throws IOException {
    try (BundleWriter writer = BundleWriter.create(root, version)) {
      if (ranker != null) {
        writer.writeMessage(BundleFiles.RANKER, ranker);
      }
      if (catalog != null) {
        writer.writeMessage(BundleFiles.CATALOG, catalog);
        // The feature service's store needs the user directory too (one user row per user: none).
        writer.writeMessage(BundleFiles.USERS, UserDirectory.getDefaultInstance());
      }
      if (tables != null) {
        writer.writeMessage(BundleFiles.FEATURES, tables);
      }
      return writer.commit(manifest());
    }
  }

  /** Three items: {@code m1} (two genres), {@code m2} (one), {@code m3} (none, year unknown). */
  static ItemCatalog catalog() {
    return ItemCatalog.newBuilder()
        .addItems(CatalogItem.newBuilder().setId("m1").setTitle("Toy Story (1995)").addGenres("Animation").addGenres("Comedy").setYear(1995))
        .addItems(CatalogItem.newBuilder().setId("m2").setTitle("Heat (1995)").addGenres("Action").setYear(1995))
        .addItems(CatalogItem.newBuilder().setId("m3").setTitle("Untitled"))
        .build();
  }

  /** One item row per item of {@link #catalog()}. */
  static FeatureTables tables() {
    return FeatureTables.newBuilder()
        .setGlobalMeanRating(3.5f)
        .setRecentWindow(5)
        .addItems(ItemFeatureRow.newBuilder().setInteractionCount(400).setPopularity(0.9f).setMeanRating(3.9f).setShrunkRating(3.85f))
        .addItems(ItemFeatureRow.newBuilder().setInteractionCount(90).setPopularity(0.6f).setMeanRating(4.1f).setShrunkRating(4.0f))
        .addItems(ItemFeatureRow.newBuilder().setInteractionCount(0).setPopularity(0f).setMeanRating(3.5f).setShrunkRating(3.5f))
        .build();
  }

  static BundleManifest manifest() {
    return BundleManifest.newBuilder()
        .setDataSource(DataSource.newBuilder().setFormat("synthetic").setDescription("test"))
        .build();
  }
}
