package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.data.Interactions;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecallEngineBundleTest {

  @TempDir Path root;

  private final Fixture fixture = Fixture.create(11);

  @Test
  void open_publishedBundle_answersLikeTheInProcessEngine() throws IOException {
    fixture.writeBundle(root, "20260101-000000-fixture");
    Bundle bundle = new BundleRepository(root).openLatest();
    RecallQuery query = RecallQuery.forUser("u3", 200).withText("midnight").withRecentItemIds(java.util.List.of("m9"));

    try (RecallEngine fromBundle = RecallEngine.open(bundle, RecallSettings.defaults());
        RecallEngine inProcess = fixture.engine(root.resolve("in-process"), RecallSettings.defaults())) {
      RecallResult served = fromBundle.recall(query);

      assertThat(fromBundle.version()).isEqualTo("20260101-000000-fixture");
      assertThat(served.version()).isEqualTo("20260101-000000-fixture");
      assertThat(fromBundle.itemCount()).isEqualTo(Fixture.ITEMS);
      assertThat(fromBundle.userCount()).isEqualTo(Fixture.USERS);
      assertThat(served.candidates()).isNotEmpty();
      assertThat(served.candidates()).containsExactlyElementsOf(inProcess.recall(query).candidates());
    }
  }

  @Test
  void open_bundleWithoutItemIndex_failsNamingTheMissingPart() throws IOException {
    Path published;
    try (BundleWriter writer = BundleWriter.create(root, "20260101-000000-noindex")) {
      BundleTables.writeData(writer, fixture.train, emptyHoldout());
      writer.writeMessage(BundleFiles.CF, fixture.factors);
      published = writer.commit(BundleManifest.newBuilder().build());
    }
    Bundle bundle = Bundle.open(published);

    assertThatThrownBy(() -> RecallEngine.open(bundle, RecallSettings.defaults()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("20260101-000000-noindex")
        .hasMessageContaining("has no item-index");
  }

  @Test
  void open_bundleWhoseIndexLacksTheVectors_failsNamingTheDimensions() throws IOException {
    Path published;
    try (BundleWriter writer = BundleWriter.create(root, "20260101-000000-novectors")) {
      BundleTables.writeData(writer, fixture.train, emptyHoldout());
      writer.writeMessage(BundleFiles.CF, fixture.factors);
      ItemIndexBuilder.write(fixture.train, FactorModel.getDefaultInstance(), writer.directory(BundleFiles.ITEM_INDEX));
      published = writer.commit(BundleManifest.newBuilder().build());
    }
    Bundle bundle = Bundle.open(published);

    assertThatThrownBy(() -> RecallEngine.open(bundle, RecallSettings.defaults()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("bundle " + published)
        .hasMessageContaining("vector dimension 0 (expected: 8, the cf factors)");
  }

  @Test
  void open_bundleWithCorruptFactors_failsNamingTheFile() throws IOException {
    Path published;
    try (BundleWriter writer = BundleWriter.create(root, "20260101-000000-badcf")) {
      BundleTables.writeData(writer, fixture.train, emptyHoldout());
      writer.writeMessage(BundleFiles.CF, fixture.factors.toBuilder().clearUserFactors().addUserFactors(1f).build());
      ItemIndexBuilder.write(fixture.train, fixture.factors, writer.directory(BundleFiles.ITEM_INDEX));
      published = writer.commit(BundleManifest.newBuilder().build());
    }
    Bundle bundle = Bundle.open(published);

    assertThatThrownBy(() -> RecallEngine.open(bundle, RecallSettings.defaults()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("cf user_factors: 1 values (expected: 0, or 12 users x 8 factors = 96)");
  }

  private Interactions emptyHoldout() {
    return Interactions.of(fixture.train.users().size(), new int[0], new int[0], new float[0], new long[0]);
  }
}
