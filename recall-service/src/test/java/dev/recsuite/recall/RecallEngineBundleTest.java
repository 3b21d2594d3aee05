package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void open_bundleWithCoOccurrence_servesTheSourceLikeTheInProcessEngine() throws IOException {
    fixture.writeBundle(root, "20260101-000000-cooc");
    Bundle bundle = new BundleRepository(root).openLatest();
    RecallQuery query = RecallQuery.forUser("u5", 200);

    try (RecallEngine fromBundle = RecallEngine.open(bundle, RecallSettings.defaults());
        RecallEngine inProcess = fixture.engine(root.resolve("in-process"), RecallSettings.defaults())) {
      RecallResult served = fromBundle.recall(query);

      assertThat(served.count(RecallSource.RECALL_SOURCE_CO_OCCURRENCE)).isPositive();
      assertThat(served.candidates()).containsExactlyElementsOf(inProcess.recall(query).candidates());
    }
  }

  @Test
  void open_olderBundleWithoutCoOccurrence_loadsWithTheSourceOff() throws IOException {
    Path published = fixture.writeBundle(root, "20260101-000000-older", null, BundleManifest.newBuilder().build());
    Bundle bundle = Bundle.open(published);

    try (RecallEngine engine = RecallEngine.open(bundle, RecallSettings.defaults())) {
      RecallResult result = engine.recall(RecallQuery.forUser("u2", 200).withRecentItemIds(List.of("m1")));

      assertThat(bundle.has(BundleFiles.CO_OCCURRENCE)).isFalse();
      assertThat(result.count(RecallSource.RECALL_SOURCE_CO_OCCURRENCE)).isZero();
      assertThat(result.count(RecallSource.RECALL_SOURCE_COLLABORATIVE)).isPositive();
      assertThat(result.count(RecallSource.RECALL_SOURCE_CONTENT)).isPositive();
      assertThat(result.count(RecallSource.RECALL_SOURCE_POPULAR)).isPositive();
    }
  }

  @Test
  void open_bundleWithCoOccurrenceOfAnotherCatalogue_failsNamingIt() throws IOException {
    ItemNeighbours wrong = ItemNeighbours.newBuilder().addOffsets(0).addOffsets(0).build();
    Path published = fixture.writeBundle(root, "20260101-000000-badcooc", wrong, BundleManifest.newBuilder().build());
    Bundle bundle = Bundle.open(published);

    assertThatThrownBy(() -> RecallEngine.open(bundle, RecallSettings.defaults()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("20260101-000000-badcooc")
        .hasMessageContaining("cooccurrence offsets: 2 values (expected: 41, the items + 1)");
  }

  @Test
  void open_bundleTrainedWithLogScaling_foldsInWithLogConfidence() throws IOException {
    BundleManifest manifest = BundleManifest.newBuilder().putParameters("cf.scaling", "LOG").build();
    Path published = fixture.writeBundle(root, "20260101-000000-log", fixture.neighbours, manifest);
    RecallSettings collaborativeOnly = RecallSettings.defaults().withQuotas(40, 0, 0, 0, 0);

    try (RecallEngine engine = RecallEngine.open(Bundle.open(published), collaborativeOnly)) {
      RecallResult result =
          engine.recall(RecallQuery.forUser("visitor", 100).withRecentItemIds(List.of("m4", "m4", "m9")));

      // Item 4 has two events: its confidence is 1 + 10 ln 3 with LOG, 1 + 10 · 2 with LINEAR.
      float[] log = fixture.folder(AlsParameters.ConfidenceScaling.LOG).foldIn(new int[] {4, 4, 9});
      float[] linear = fixture.folder(AlsParameters.ConfidenceScaling.LINEAR).foldIn(new int[] {4, 4, 9});
      assertThat(log).isNotEqualTo(linear);
      for (RecallCandidate candidate : result.candidates()) {
        assertThat(candidate.sources().getFirst().score())
            .isCloseTo(Fixture.dot(log, fixture.itemVector(candidate.item())), within(1e-4f));
      }
      assertThat(result.candidates()).hasSize(38);
    }
  }

  @Test
  void open_bundleWithUnknownScaling_failsNamingTheParameter() throws IOException {
    BundleManifest manifest = BundleManifest.newBuilder().putParameters("cf.scaling", "CUBIC").build();
    Path published = fixture.writeBundle(root, "20260101-000000-cubic", fixture.neighbours, manifest);

    assertThatThrownBy(() -> RecallEngine.open(Bundle.open(published), RecallSettings.defaults()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("manifest parameter cf.scaling: CUBIC (expected: LINEAR or LOG)");
  }

  private Interactions emptyHoldout() {
    return Interactions.of(fixture.train.users().size(), new int[0], new int[0], new float[0], new long[0]);
  }
}
