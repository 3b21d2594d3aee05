package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.MessageLite;
import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.bundle.InvalidBundleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingModelTest {

  @TempDir Path bundles;

  @Test
  void load_trainedModelWrittenToABundle_scoresLikeTheModelInMemory() throws IOException {
    TrainingSet train = LogisticRankerTrainerTest.planted(new Random(7), 3_000);
    RankerModel model =
        new LogisticRankerTrainer(LogisticRankerTrainer.Parameters.defaults()).train(train);
    write("20261130-090000-old", LinearRankerTest.handModel());
    write("20261130-100000-test", model);

    ServingModel loaded = ServingModel.load(new BundleRepository(bundles).openLatest());

    assertThat(loaded.version()).isEqualTo("20261130-100000-test");
    assertThat(loaded.ranker()).isInstanceOf(LinearRanker.class);
    assertThat(((LinearRanker) loaded.ranker()).model()).isEqualTo(model);
    LinearRanker inMemory = LinearRanker.fromModel(model);
    float[] x = new float[RankingFeatures.SIZE];
    for (int i = 0; i < 100; i++) {
      train.copyFeatures(i, x);
      assertThat(((LinearRanker) loaded.ranker()).score(x)).isEqualTo(inMemory.score(x));
    }
  }

  @Test
  void load_trainedFactorizationMachineWrittenToABundle_scoresLikeTheModelInMemory() throws IOException {
    TrainingSet train = FactorizationMachineTrainerTest.plantedInteraction(new Random(7), 300, 10);
    RankerModel model =
        new FactorizationMachineTrainer(FactorizationMachineTrainer.Parameters.defaults()).train(train);
    write("20261130-090000-old", LinearRankerTest.handModel());
    write("20261130-100000-fm", model);

    ServingModel loaded = ServingModel.load(new BundleRepository(bundles).openLatest());

    assertThat(loaded.version()).isEqualTo("20261130-100000-fm");
    assertThat(loaded.ranker()).isInstanceOf(FactorizationMachineRanker.class);
    FactorizationMachineRanker served = (FactorizationMachineRanker) loaded.ranker();
    assertThat(served.model()).isEqualTo(model);
    FactorizationMachineRanker inMemory = FactorizationMachineRanker.fromModel(model);
    float[] x = new float[RankingFeatures.SIZE];
    for (int i = 0; i < 100; i++) {
      train.copyFeatures(i, x);
      assertThat(served.score(x)).isEqualTo(inMemory.score(x));
    }
  }

  @Test
  void load_factorizationMachineWithBadVectors_failsNamingTheBundleFileAndField() throws IOException {
    RankerModel model =
        FactorizationMachineRankerTest.randomModel(new Random(7), 4).toBuilder().setFmFactors(5).build();
    write("20261130-100000-fm", model);

    assertThatThrownBy(() -> ServingModel.load(new BundleRepository(bundles).openLatest()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("20261130-100000-fm")
        .hasMessageContaining("ranker.pb: fm_vectors: %d values (expected: %d,"
            .formatted(4 * RankingFeatures.SIZE, 5 * RankingFeatures.SIZE));
  }

  @Test
  void load_bundleWithoutRanker_failsNamingTheFile() throws IOException {
    write("20261130-100000-test", null);

    assertThatThrownBy(() -> ServingModel.load(new BundleRepository(bundles).openLatest()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("20261130-100000-test")
        .hasMessageEndingWith("has no ranker.pb");
  }

  @Test
  void load_rankerThatDoesNotParse_failsNamingTheFile() throws IOException {
    try (BundleWriter writer = BundleWriter.create(bundles, "20261130-100000-test")) {
      Path staging = writer.directory("unused").getParent();
      Files.write(staging.resolve(BundleFiles.RANKER), new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
      writer.commit(TestBundles.manifest());
    }

    assertThatThrownBy(() -> ServingModel.load(new BundleRepository(bundles).openLatest()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("ranker.pb does not parse");
  }

  @Test
  void load_rankerWithOtherFeatures_failsNamingTheBundleFileAndFeature() throws IOException {
    write(
        "20261130-100000-test",
        LinearRankerTest.handModel().toBuilder().setFeatureNames(2, "item.count").build());

    assertThatThrownBy(() -> ServingModel.load(new BundleRepository(bundles).openLatest()))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("20261130-100000-test")
        .hasMessageContaining("ranker.pb: feature_names[2]: 'item.count' (expected: 'item.log1p_interactions';");
  }

  private void write(String version, MessageLite ranker) throws IOException {
    TestBundles.write(bundles, version, ranker);
  }
}
