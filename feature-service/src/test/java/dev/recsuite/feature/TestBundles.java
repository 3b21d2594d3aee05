package dev.recsuite.feature;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import dev.recsuite.core.features.FeatureTablesBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A hand-made data set whose features are worked out by hand in the tests, and bundles written from
 * it with core's writer.
 *
 * <pre>
 * items  m1 "Alpha" [Action, Comedy] 1995 | m2 "Beta" [Drama] 1990 | m3 "Gamma" [Action] 0 | m4 "Delta" [Comedy] 2000
 * u1 {age 25, gender F}: m1 4.0 @100, m2 5.0 @200, m3 3.0 @300
 * u2 {age 40, gender M}: m2 3.0 @500, m1 2.0 @400   (added out of time order)
 * u3 {}:                 m1 implicit @10
 * global mean = (4 + 5 + 3 + 3 + 2) / 5 = 3.4; recent window 2
 * </pre>
 */
final class TestBundles {

  static final String VERSION = "20261201-120000-test";
  static final int RECENT_WINDOW = 2;
  static final float GLOBAL_MEAN = 3.4f;

  private TestBundles() {}

  static Dataset dataset() {
    return new DatasetBuilder()
        .addItem(new Item("m1", "Alpha", List.of("Action", "Comedy"), 1995, List.of("fun")))
        .addItem(new Item("m2", "Beta", List.of("Drama"), 1990, List.of()))
        .addItem(new Item("m3", "Gamma", List.of("Action"), 0, List.of()))
        .addItem(new Item("m4", "Delta", List.of("Comedy"), 2000, List.of()))
        .addUser(new User("u1", Map.of("age", "25", "gender", "F")))
        .addUser(new User("u2", Map.of("age", "40", "gender", "M")))
        .addUser(new User("u3", Map.of()))
        .addInteraction("u1", "m1", 4f, 100)
        .addInteraction("u1", "m2", 5f, 200)
        .addInteraction("u1", "m3", 3f, 300)
        .addInteraction("u2", "m2", 3f, 500)
        .addInteraction("u2", "m1", 2f, 400)
        .addInteraction("u3", "m1", 0f, 10)
        .build(new DataSourceInfo("synthetic", "hand-made", "feature-service tests"));
  }

  static FeatureTables tables(Dataset train) {
    return new FeatureTablesBuilder(RECENT_WINDOW).build(train);
  }

  /** Writes and opens a consistent bundle of {@link #dataset()}. */
  static Bundle write(Path root, String version) {
    Dataset train = dataset();
    return write(root, version, train, tables(train));
  }

  /** Writes and opens a bundle with the data tables of {@code train} and {@code features} as is. */
  static Bundle write(Path root, String version, Dataset train, FeatureTables features) {
    try (BundleWriter writer = BundleWriter.create(root, version)) {
      BundleTables.writeData(writer, train, emptyHoldout(train));
      writer.writeMessage(BundleFiles.FEATURES, features);
      return Bundle.open(writer.commit(BundleManifest.newBuilder().build()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Interactions emptyHoldout(Dataset train) {
    return Interactions.of(train.users().size(), new int[0], new int[0], new float[0], new long[0]);
  }
}
