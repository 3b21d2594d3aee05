package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.CatalogItem;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.feature.v1.ItemFeatures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticItemFeaturesTest {

  @TempDir Path bundles;

  @Test
  void load_knownItems_areTheMessagesTheFeatureServiceServesForTheBundle() throws IOException {
    TestBundles.write(bundles, "20261130-100000-test", LinearRankerTest.handModel());
    Bundle bundle = new BundleRepository(bundles).openLatest();

    StaticItemFeatures items = StaticItemFeatures.load(bundle);
    FeatureStore store = FeatureStore.load(bundle);

    assertThat(items.size()).isEqualTo(3);
    for (String id : List.of("m1", "m2", "m3")) {
      assertThat(items.knows(id)).isTrue();
      assertThat(items.item(id)).as(id).isEqualTo(store.item(id));
    }
    assertThat(items.item("m1").getGenresList()).containsExactly("Animation", "Comedy");
  }

  @Test
  void item_unknownId_isTheFeatureServiceDefaultWithoutTheId() throws IOException {
    TestBundles.write(bundles, "20261130-100000-test", LinearRankerTest.handModel());
    Bundle bundle = new BundleRepository(bundles).openLatest();

    ItemFeatures unknown = StaticItemFeatures.load(bundle).item("nobody-knows");

    assertThat(unknown.getKnown()).isFalse();
    assertThat(unknown.getMeanRating()).isEqualTo(3.5f);
    assertThat(unknown.toBuilder().setItemId("nobody-knows").build())
        .isEqualTo(FeatureStore.load(bundle).item("nobody-knows"));
  }

  @Test
  void item_repeatedLookups_shareOneMessage() {
    StaticItemFeatures items = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());

    assertThat(items.item("m2")).isSameAs(items.item("m2"));
    assertThat(items.item("x1")).isSameAs(items.item("x2"));
  }

  @Test
  void denseIds_areCataloguePositions() {
    StaticItemFeatures items = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());

    assertThat(items.size()).isEqualTo(TestBundles.catalog().getItemsCount());
    for (int i = 0; i < items.size(); i++) {
      String id = TestBundles.catalog().getItems(i).getId();
      assertThat(items.id(i)).isEqualTo(id);
      assertThat(items.item(i)).as(id).isSameAs(items.item(id));
    }
    assertThat(items.id(1)).isEqualTo("m2");
  }

  @Test
  void denseIds_outsideTheCatalogue_failWithIndexOutOfBounds() {
    StaticItemFeatures items = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());

    assertThatThrownBy(() -> items.id(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> items.item(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> StaticItemFeatures.empty().id(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void empty_knowsNothingAndAnswersDefaults() {
    StaticItemFeatures empty = StaticItemFeatures.empty();

    assertThat(empty.size()).isZero();
    assertThat(empty.knows("m1")).isFalse();
    assertThat(empty.item("m1").getKnown()).isFalse();
  }

  @Test
  void load_bundleWithoutCatalog_failsNamingTheFile() throws IOException {
    TestBundles.write(bundles, "20261130-100000-test", LinearRankerTest.handModel(), null, TestBundles.tables());
    Bundle bundle = new BundleRepository(bundles).openLatest();

    assertThatThrownBy(() -> StaticItemFeatures.load(bundle))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("20261130-100000-test")
        .hasMessageEndingWith("has no catalog.pb");
  }

  @Test
  void load_featureRowsNotMatchingTheCatalog_failsNamingBothFiles() throws IOException {
    TestBundles.write(
        bundles,
        "20261130-100000-test",
        LinearRankerTest.handModel(),
        TestBundles.catalog(),
        TestBundles.tables().toBuilder().removeItems(2).build());
    Bundle bundle = new BundleRepository(bundles).openLatest();

    assertThatThrownBy(() -> StaticItemFeatures.load(bundle))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("(version 20261130-100000-test)")
        .hasMessageEndingWith("features.pb: 2 item rows (expected: 3, one per item of catalog.pb)");
  }

  @Test
  void of_duplicateItemId_failsNamingTheIdAndPosition() {
    var catalog = TestBundles.catalog().toBuilder().setItems(2, CatalogItem.newBuilder().setId("m1")).build();

    assertThatThrownBy(() -> StaticItemFeatures.of(catalog, TestBundles.tables()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("catalog.pb: duplicate item id 'm1' at position 2");
  }
}
