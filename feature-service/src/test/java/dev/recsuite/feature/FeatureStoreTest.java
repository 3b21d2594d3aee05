package dev.recsuite.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.util.JsonFormat;
import dev.recsuite.bundle.v1.BundleFile;
import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.UserFeatureRow;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreTest {

  private static final float EPS = 1e-5f;

  @TempDir Path root;

  private FeatureStore store;

  @BeforeEach
  void loadBundle() {
    store = FeatureStore.load(TestBundles.write(root, TestBundles.VERSION));
  }

  @Test
  void load_reportsVersionAndSizes() {
    assertThat(store.version()).isEqualTo(TestBundles.VERSION);
    assertThat(store.userCount()).isEqualTo(3);
    assertThat(store.itemCount()).isEqualTo(4);
    assertThat(store.globalMeanRating()).isCloseTo(3.4f, within(EPS));
    assertThat(store.recentWindow()).isEqualTo(2);
  }

  @Test
  void user_known_hasCountsRatingsAffinityAttributesAndYear() {
    UserFeatures u1 = store.user("u1");

    assertThat(u1.getUserId()).isEqualTo("u1");
    assertThat(u1.getKnown()).isTrue();
    assertThat(u1.getInteractionCount()).isEqualTo(3);
    // Ratings 4, 5, 3: mean 4, sample variance (0 + 1 + 1) / 2 = 1.
    assertThat(u1.getMeanRating()).isCloseTo(4f, within(EPS));
    assertThat(u1.getRatingStddev()).isCloseTo(1f, within(EPS));
    // Action on m1 and m3, Comedy on m1, Drama on m2, over 3 interactions.
    assertThat(u1.getGenreAffinityMap()).containsOnlyKeys("Action", "Comedy", "Drama");
    assertThat(u1.getGenreAffinityMap().get("Action")).isCloseTo(2f / 3, within(EPS));
    assertThat(u1.getGenreAffinityMap().get("Comedy")).isCloseTo(1f / 3, within(EPS));
    assertThat(u1.getGenreAffinityMap().get("Drama")).isCloseTo(1f / 3, within(EPS));
    assertThat(u1.getAttributesMap()).isEqualTo(Map.of("age", "25", "gender", "F"));
    // m3 has no year, so the mean is over m1 (1995) and m2 (1990).
    assertThat(u1.getMeanItemYear()).isCloseTo(1992.5f, within(EPS));
  }

  @Test
  void user_recentItems_areExternalIdsMostRecentFirstWithinTheWindow() {
    // u1 saw m1, m2, m3 in that order; the window keeps 2.
    assertThat(store.user("u1").getRecentItemIdsList()).containsExactly("m3", "m2");
    // u2's interactions were added out of time order: m1 @400 comes before m2 @500.
    assertThat(store.user("u2").getRecentItemIdsList()).containsExactly("m2", "m1");
  }

  @Test
  void user_twoRatings_hasSampleStddev() {
    UserFeatures u2 = store.user("u2");

    assertThat(u2.getMeanRating()).isCloseTo(2.5f, within(EPS));
    assertThat(u2.getRatingStddev()).isCloseTo((float) Math.sqrt(0.5), within(EPS));
  }

  @Test
  void user_onlyImplicitEvents_getsGlobalMeanAndZeroStddev() {
    UserFeatures u3 = store.user("u3");

    assertThat(u3.getKnown()).isTrue();
    assertThat(u3.getInteractionCount()).isEqualTo(1);
    assertThat(u3.getMeanRating()).isCloseTo(TestBundles.GLOBAL_MEAN, within(EPS));
    assertThat(u3.getRatingStddev()).isZero();
    assertThat(u3.getGenreAffinityMap()).isEqualTo(Map.of("Action", 1f, "Comedy", 1f));
    assertThat(u3.getAttributesMap()).isEmpty();
    assertThat(u3.getRecentItemIdsList()).containsExactly("m1");
  }

  @Test
  void user_unknown_getsDefaultsWithKnownFalse() {
    UserFeatures unknown = store.user("nobody");

    assertThat(unknown.getUserId()).isEqualTo("nobody");
    assertThat(unknown.getKnown()).isFalse();
    assertThat(unknown.getInteractionCount()).isZero();
    assertThat(unknown.getMeanRating()).isCloseTo(TestBundles.GLOBAL_MEAN, within(EPS));
    assertThat(unknown.getRatingStddev()).isZero();
    assertThat(unknown.getGenreAffinityMap()).isEmpty();
    assertThat(unknown.getRecentItemIdsList()).isEmpty();
    assertThat(unknown.getAttributesMap()).isEmpty();
    assertThat(unknown.getMeanItemYear()).isZero();
  }

  @Test
  void item_known_hasCatalogueFieldsAndAggregates() {
    ItemFeatures m1 = store.item("m1");

    assertThat(m1.getItemId()).isEqualTo("m1");
    assertThat(m1.getKnown()).isTrue();
    assertThat(m1.getTitle()).isEqualTo("Alpha");
    assertThat(m1.getGenresList()).containsExactly("Action", "Comedy");
    assertThat(m1.getYear()).isEqualTo(1995);
    // Seen by u1, u2, u3: the most interacted-with item, so popularity 1.
    assertThat(m1.getInteractionCount()).isEqualTo(3);
    assertThat(m1.getPopularity()).isCloseTo(1f, within(EPS));
    // Rated 4 and 2 (u3's event is implicit): mean 3, shrunk (6 + 10 * 3.4) / (2 + 10).
    assertThat(m1.getMeanRating()).isCloseTo(3f, within(EPS));
    assertThat(m1.getShrunkRating()).isCloseTo(40f / 12, within(EPS));
  }

  @Test
  void item_lessPopular_hasLogScaledPopularity() {
    ItemFeatures m2 = store.item("m2");

    assertThat(m2.getInteractionCount()).isEqualTo(2);
    assertThat(m2.getPopularity()).isCloseTo((float) (Math.log(3) / Math.log(4)), within(EPS));
    assertThat(m2.getMeanRating()).isCloseTo(4f, within(EPS));
    assertThat(m2.getShrunkRating()).isCloseTo(3.5f, within(EPS));
    assertThat(store.item("m3").getYear()).isZero();
  }

  @Test
  void item_inCatalogueButNeverSeen_isKnownWithZeroCountAndGlobalMean() {
    ItemFeatures m4 = store.item("m4");

    assertThat(m4.getKnown()).isTrue();
    assertThat(m4.getTitle()).isEqualTo("Delta");
    assertThat(m4.getInteractionCount()).isZero();
    assertThat(m4.getPopularity()).isZero();
    assertThat(m4.getMeanRating()).isCloseTo(TestBundles.GLOBAL_MEAN, within(EPS));
    assertThat(m4.getShrunkRating()).isCloseTo(TestBundles.GLOBAL_MEAN, within(EPS));
  }

  @Test
  void item_unknown_getsDefaultsWithKnownFalse() {
    ItemFeatures unknown = store.item("m999");

    assertThat(unknown.getItemId()).isEqualTo("m999");
    assertThat(unknown.getKnown()).isFalse();
    assertThat(unknown.getTitle()).isEmpty();
    assertThat(unknown.getGenresList()).isEmpty();
    assertThat(unknown.getYear()).isZero();
    assertThat(unknown.getInteractionCount()).isZero();
    assertThat(unknown.getPopularity()).isZero();
    assertThat(unknown.getMeanRating()).isCloseTo(TestBundles.GLOBAL_MEAN, within(EPS));
    assertThat(unknown.getShrunkRating()).isCloseTo(TestBundles.GLOBAL_MEAN, within(EPS));
  }

  @Test
  void items_mixedBatch_answersInRequestOrderWithUnknownsAndDuplicates() {
    List<ItemFeatures> batch = store.items(List.of("m2", "ghost", "m1", "m2", "m4"));

    assertThat(batch).extracting(ItemFeatures::getItemId).containsExactly("m2", "ghost", "m1", "m2", "m4");
    assertThat(batch).extracting(ItemFeatures::getKnown).containsExactly(true, false, true, true, true);
    assertThat(batch.get(1)).isEqualTo(store.item("ghost"));
  }

  @Test
  void items_knownIds_returnTheMessagesBuiltAtLoad() {
    List<ItemFeatures> first = store.items(List.of("m1", "m2"));
    List<ItemFeatures> second = store.items(List.of("m1", "m2"));

    assertThat(second.get(0)).isSameAs(first.get(0));
    assertThat(second.get(1)).isSameAs(first.get(1));
    assertThat(store.user("u1")).isSameAs(store.user("u1"));
  }

  @Test
  void of_sameDataAsBundle_servesEqualMessages() {
    Dataset train = TestBundles.dataset();

    FeatureStore inProcess = FeatureStore.of(TestBundles.VERSION, train, TestBundles.tables(train));

    assertThat(inProcess.version()).isEqualTo(store.version());
    List<String> userIds = List.of("u1", "u2", "u3", "nobody");
    for (String userId : userIds) {
      assertThat(inProcess.user(userId)).as(userId).isEqualTo(store.user(userId));
      assertThat(inProcess.user(userId).toByteString()).isEqualTo(store.user(userId).toByteString());
    }
    List<String> itemIds = List.of("m1", "m2", "m3", "m4", "ghost");
    assertThat(inProcess.items(itemIds)).isEqualTo(store.items(itemIds));
  }

  @Test
  void of_tablesOfAnotherDataset_failsNamingTheTable() {
    Dataset train = TestBundles.dataset();
    FeatureTables tooFewUsers = TestBundles.tables(train).toBuilder().removeUsers(2).build();

    assertThatThrownBy(() -> FeatureStore.of("v1", train, tooFewUsers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("features.pb: 2 user rows (expected: 3, one per user of users.pb)");
  }

  @Test
  void of_blankVersion_fails() {
    Dataset train = TestBundles.dataset();

    assertThatThrownBy(() -> FeatureStore.of(" ", train, TestBundles.tables(train)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version: ' '");
  }

  @Test
  void load_featureRowsFewerThanCatalogueItems_failsNamingTheFile() {
    Dataset train = TestBundles.dataset();
    FeatureTables missingItem = TestBundles.tables(train).toBuilder().removeItems(3).build();

    Bundle bundle = TestBundles.write(root, "v2", train, missingItem);

    assertThatThrownBy(() -> FeatureStore.load(bundle))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining(bundle.directory().toString())
        .hasMessageContaining("features.pb: 3 item rows (expected: 4, one per item of catalog.pb)");
  }

  @Test
  void load_recentItemOutOfRange_failsNamingTheFile() {
    Dataset train = TestBundles.dataset();
    FeatureTables tables = TestBundles.tables(train);
    UserFeatureRow badRow = tables.getUsers(0).toBuilder().setRecentItems(0, 17).build();

    Bundle bundle = TestBundles.write(root, "v2", train, tables.toBuilder().setUsers(0, badRow).build());

    assertThatThrownBy(() -> FeatureStore.load(bundle))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("features.pb: user row 0 ('u1') names recent item 17 (expected: in [0, 4)");
  }

  @Test
  void load_featuresRewrittenWithMatchingChecksum_failsOnRowCount() throws IOException {
    // A features.pb replaced by one with a row fewer, and the manifest updated to match, passes
    // core's checksum verification: only the store's own consistency check can catch it.
    Path dir = root.resolve(TestBundles.VERSION);
    FeatureTables shorter =
        FeatureTables.parseFrom(Files.readAllBytes(dir.resolve(BundleFiles.FEATURES)))
            .toBuilder()
            .removeItems(0)
            .build();
    Files.write(dir.resolve(BundleFiles.FEATURES), shorter.toByteArray());
    rewriteManifestEntry(dir, BundleFiles.FEATURES);
    Bundle reopened = Bundle.open(dir);

    assertThatThrownBy(() -> FeatureStore.load(reopened))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("features.pb: 3 item rows (expected: 4");
  }

  @Test
  void open_featuresBytesFlipped_failsNamingTheFile() throws IOException {
    Path features = root.resolve(TestBundles.VERSION).resolve(BundleFiles.FEATURES);
    byte[] bytes = Files.readAllBytes(features);
    bytes[bytes.length / 2] ^= (byte) 0xFF;
    Files.write(features, bytes);

    assertThatThrownBy(() -> FeatureStore.load(new BundleRepository(root).openLatest()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("features.pb");
  }

  @Test
  void load_bundleWithoutFeatures_failsNamingTheFile() throws IOException {
    Path dir = root.resolve(TestBundles.VERSION);
    Files.delete(dir.resolve(BundleFiles.FEATURES));
    removeManifestEntry(dir, BundleFiles.FEATURES);
    Bundle reopened = Bundle.open(dir);

    assertThatThrownBy(() -> FeatureStore.load(reopened))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("has no features.pb");
  }

  private static void rewriteManifestEntry(Path dir, String file) throws IOException {
    BundleManifest manifest = readManifest(dir);
    byte[] content = Files.readAllBytes(dir.resolve(file));
    BundleManifest.Builder updated = manifest.toBuilder().clearFiles();
    for (BundleFile entry : manifest.getFilesList()) {
      updated.addFiles(
          entry.getPath().equals(file)
              ? entry.toBuilder().setSizeBytes(content.length).setSha256(sha256(content)).build()
              : entry);
    }
    writeManifest(dir, updated.build());
  }

  private static void removeManifestEntry(Path dir, String file) throws IOException {
    BundleManifest manifest = readManifest(dir);
    List<BundleFile> kept =
        manifest.getFilesList().stream().filter(entry -> !entry.getPath().equals(file)).toList();
    writeManifest(dir, manifest.toBuilder().clearFiles().addAllFiles(kept).build());
  }

  private static BundleManifest readManifest(Path dir) throws IOException {
    BundleManifest.Builder manifest = BundleManifest.newBuilder();
    JsonFormat.parser()
        .merge(Files.readString(dir.resolve(BundleFiles.MANIFEST), StandardCharsets.UTF_8), manifest);
    return manifest.build();
  }

  private static void writeManifest(Path dir, BundleManifest manifest) throws IOException {
    Files.writeString(dir.resolve(BundleFiles.MANIFEST), JsonFormat.printer().print(manifest));
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
