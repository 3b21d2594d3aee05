package dev.recsuite.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {

  @TempDir Path root;

  @Test
  void commit_thenOpen_roundTripsTablesAndManifest() throws IOException {
    Dataset data = smallDataset();

    try (BundleWriter writer = BundleWriter.create(root, "v1")) {
      BundleTables.writeData(writer, data, data.interactions());
      writer.writeMessage(BundleFiles.CF, FactorModel.newBuilder().setFactors(2).build());
      Files.writeString(writer.directory(BundleFiles.ITEM_INDEX).resolve("segments_1"), "index");
      writer.commit(BundleManifest.newBuilder().putParameters("cf.factors", "2").build());
    }
    Bundle bundle = new BundleRepository(root).openLatest();
    Dataset read = BundleTables.readTrainingData(bundle);

    assertThat(bundle.version()).isEqualTo("v1");
    assertThat(bundle.manifest().getParametersMap()).containsEntry("cf.factors", "2");
    assertThat(bundle.manifest().getFilesList())
        .extracting(f -> f.getPath())
        .contains(BundleFiles.CATALOG, BundleFiles.CF, BundleFiles.ITEM_INDEX + "/segments_1");
    assertThat(bundle.has(BundleFiles.ITEM_INDEX)).isTrue();
    assertThat(bundle.read(BundleFiles.CF, FactorModel.parser()).getFactors()).isEqualTo(2);
    assertThat(read.items()).isEqualTo(data.items());
    assertThat(read.users()).isEqualTo(data.users());
    assertThat(read.interactions().itemsColumn()).isEqualTo(data.interactions().itemsColumn());
    assertThat(read.interactions().timestampsColumn()).isEqualTo(data.interactions().timestampsColumn());
  }

  @Test
  void uncommittedWriter_leavesNoBundleBehind() throws IOException {
    try (BundleWriter writer = BundleWriter.create(root, "v1")) {
      writer.writeMessage(BundleFiles.CF, FactorModel.getDefaultInstance());
      assertThat(new BundleRepository(root).versions()).isEmpty();
    }

    try (var children = Files.list(root)) {
      assertThat(children).isEmpty();
    }
  }

  @Test
  void open_alteredFile_failsNamingTheFile() throws IOException {
    Path published = publish("v1");
    Path catalog = published.resolve(BundleFiles.CF);
    byte[] bytes = Files.readAllBytes(catalog);
    bytes[0] ^= 0x7f;
    Files.write(catalog, bytes);

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining(BundleFiles.CF)
        .hasMessageContaining("corrupt");
  }

  @Test
  void open_truncatedFile_failsNamingTheFile() throws IOException {
    Path published = publish("v1");
    Files.write(published.resolve(BundleFiles.CF), new byte[1]);

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining(BundleFiles.CF)
        .hasMessageContaining("truncated");
  }

  @Test
  void open_corruptManifest_failsNamingTheManifest() throws IOException {
    Path published = publish("v1");
    Files.writeString(published.resolve(BundleFiles.MANIFEST), "{\"formatVersion\": 1, \"ver");

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("unreadable manifest.json");
  }

  @Test
  void open_unknownFormatVersion_fails() throws IOException {
    Path published = publish("v1");
    Files.writeString(published.resolve(BundleFiles.MANIFEST), "{\"formatVersion\": 99}");

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("format_version 99 (expected: 1)");
  }

  @Test
  void repository_latest_isNewestPublishedVersionIgnoringIncompleteOnes() throws IOException {
    publish("20260101-000000-a");
    publish("20260102-000000-a");
    Files.createDirectories(root.resolve("20260103-000000-incomplete"));
    Files.createDirectories(root.resolve(".staging-20260104-000000-a"));

    BundleRepository repository = new BundleRepository(root);

    assertThat(repository.versions()).containsExactly("20260101-000000-a", "20260102-000000-a");
    assertThat(repository.openLatest().version()).isEqualTo("20260102-000000-a");
  }

  @Test
  void repository_emptyOrMissingRoot_failsWithAHint() {
    assertThatThrownBy(() -> new BundleRepository(root.resolve("nope")).openLatest())
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> new BundleRepository(root).openLatest())
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("holds no published bundle");
  }

  @Test
  void create_existingVersion_fails() throws IOException {
    publish("v1");

    assertThatThrownBy(() -> BundleWriter.create(root, "v1"))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }

  @Test
  void versions_areStampedSanitisedAndValidated() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-30T10:34:05Z"), ZoneOffset.UTC);

    assertThat(BundleVersions.next(clock, "ML 100K!")).isEqualTo("20261130-103405-ml-100k");
    assertThatThrownBy(() -> BundleVersions.requireValid("../evil"))
        .hasMessageContaining("version: '../evil'");
  }

  // Regressions found by the bundle fuzz test (integration-tests, dev.recsuite.it.fuzz).

  @Test
  void open_manifestPathWithNulCharacter_failsWithInvalidBundleException() throws IOException {
    Path published = publish("v1");
    rewriteManifest(published, m -> m.setFiles(0, m.getFiles(0).toBuilder().setPath("cf\u0000.pb")));

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("invalid path cf\\u0000.pb");
  }

  @Test
  void open_manifestPathOfTheBundleItself_failsAsOutsideTheBundle() throws IOException {
    Path published = publish("v1");
    rewriteManifest(published, m -> m.setFiles(0, m.getFiles(0).toBuilder().setPath(".")));

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("a path outside the bundle: .");
  }

  @Test
  void open_fileListedTenThousandTimes_failsBeforeHashingItAgain() throws IOException {
    Path published = publish("v1");
    rewriteManifest(
        published,
        m -> {
          for (int i = 0; i < 10_000; i++) {
            m.addFiles(m.getFiles(0));
          }
        });

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("manifest lists cf.pb more than once");
  }

  @Test
  void open_negativeSizeInManifest_failsNamingTheFile() throws IOException {
    Path published = publish("v1");
    rewriteManifest(published, m -> m.setFiles(0, m.getFiles(0).toBuilder().setSizeBytes(-1)));

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("manifest size of cf.pb is -1 (expected: >= 0)");
  }

  @Test
  void open_hugeChecksumInManifest_showsItCut() throws IOException {
    Path published = publish("v1");
    rewriteManifest(published, m -> m.setFiles(0, m.getFiles(0).toBuilder().setSha256("0".repeat(100_000))));

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("...(100000 characters)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1_000));
  }

  @Test
  void open_manifestOverTheSizeLimit_failsWithoutReadingIt() throws IOException {
    Path published = publish("v1");
    try (var out = java.nio.channels.FileChannel.open(
        published.resolve(BundleFiles.MANIFEST), java.nio.file.StandardOpenOption.WRITE)) {
      out.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), Bundle.MAX_MANIFEST_BYTES); // sparse
    }

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("manifest.json is " + (Bundle.MAX_MANIFEST_BYTES + 1) + " bytes (expected: at most");
  }

  @Test
  void open_deeplyNestedJsonManifest_failsWithInvalidBundleException() throws IOException {
    Path published = publish("v1");
    Files.writeString(published.resolve(BundleFiles.MANIFEST), "[".repeat(100_000));

    assertThatThrownBy(() -> Bundle.open(published))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("unreadable manifest.json");
  }

  @Test
  void repository_manifestNamingAnotherVersion_failsNamingBoth() throws IOException {
    Path published = publish("20260101-000000-a");
    rewriteManifest(published, m -> m.setVersion("20991231-000000-future"));
    BundleRepository repository = new BundleRepository(root);

    assertThatThrownBy(repository::openLatest)
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("manifest version 20991231-000000-future (expected: 20260101-000000-a, the directory's name)");
    assertThatThrownBy(() -> repository.open("20260101-000000-a"))
        .isInstanceOf(InvalidBundleException.class);
  }

  private static void rewriteManifest(Path bundle, java.util.function.Consumer<BundleManifest.Builder> change)
      throws IOException {
    Path file = bundle.resolve(BundleFiles.MANIFEST);
    BundleManifest.Builder manifest = BundleManifest.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(Files.readString(file), manifest);
    change.accept(manifest);
    Files.writeString(file, com.google.protobuf.util.JsonFormat.printer().print(manifest.build()));
  }

  private Path publish(String version) throws IOException {
    try (BundleWriter writer = BundleWriter.create(root, version)) {
      writer.writeMessage(BundleFiles.CF, FactorModel.newBuilder().setFactors(8).addItemFactors(1f).build());
      return writer.commit(BundleManifest.getDefaultInstance());
    }
  }

  private static Dataset smallDataset() {
    DatasetBuilder builder = new DatasetBuilder();
    builder.addItem(new Item("a", "Alpha", List.of("Drama"), 1990, List.of("slow")));
    builder.addItem(new Item("b", "Beta", List.of("Comedy", "Drama"), 0, List.of()));
    builder.addUser(new User("u1", Map.of("age", "25")));
    builder.addInteraction("u1", "a", 4f, 10).addInteraction("u2", "b", 0f, 5).addInteraction("u1", "b", 3f, 20);
    return builder.build(new DataSourceInfo("test", "memory", "small"));
  }

}
