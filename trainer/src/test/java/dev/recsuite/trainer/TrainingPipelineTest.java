package dev.recsuite.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.ranking.FactorizationMachineRanker;
import dev.recsuite.ranking.ServingModel;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallQuery;
import dev.recsuite.recall.RecallSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPipelineTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path root;

  private static Dataset data;
  private static TrainingResult result;

  @BeforeAll
  static void trainOnce() throws Exception {
    data = SyntheticData.generate(SyntheticSpec.defaults().withSize(300, 400, 30));
    result = new TrainingPipeline(TrainerSettings.defaults(), CLOCK).train(data, root, "Synthetic Test");
  }

  @Test
  void train_publishesAVersionNamedAfterClockAndLabel() {
    assertThat(result.version()).isEqualTo("20261130-120000-synthetic-test");
    assertThat(new BundleRepository(root).versions()).containsExactly(result.version());
    assertThat(result.directory()).isEqualTo(root.resolve(result.version()));
  }

  @Test
  void train_writesEveryPartTheServicesLoad() throws Exception {
    Bundle bundle = new BundleRepository(root).openLatest();

    for (String part :
        new String[] {
          BundleFiles.CATALOG, BundleFiles.USERS, BundleFiles.INTERACTIONS, BundleFiles.HOLDOUT,
          BundleFiles.FEATURES, BundleFiles.CF, BundleFiles.CO_OCCURRENCE, BundleFiles.RANKER,
          BundleFiles.ITEM_INDEX
        }) {
      assertThat(bundle.has(part)).as(part).isTrue();
    }
    assertThat(FeatureStore.load(bundle).itemCount()).isEqualTo(400);
    assertThat(ServingModel.load(bundle).version()).isEqualTo(result.version());
    assertThat(ServingModel.load(bundle).ranker()).isInstanceOf(FactorizationMachineRanker.class);
    try (RecallEngine engine = RecallEngine.open(bundle, RecallSettings.defaults())) {
      String user = data.users().get(0).id();
      assertThat(engine.recall(RecallQuery.forUser(user, 50)).candidates()).hasSize(50);
    }
  }

  @Test
  void train_holdsOutEachUsersLatestInteractionAndRecordsTheSplit() {
    Bundle bundle = new BundleRepository(root).openLatest();
    Dataset train = BundleTables.readTrainingData(bundle);
    Interactions holdout = BundleTables.readHoldout(bundle, train.users().size(), train.items().size());
    BundleManifest manifest = bundle.manifest();

    assertThat(holdout.size()).isEqualTo(data.users().size());
    assertThat(train.interactions().size() + holdout.size()).isEqualTo(data.interactions().size());
    for (int user = 0; user < train.users().size(); user++) {
      long lastTrained = train.interactions().timestamp(train.interactions().end(user) - 1);
      assertThat(holdout.timestamp(holdout.start(user))).isGreaterThanOrEqualTo(lastTrained);
    }
    assertThat(manifest.getSplit().getStrategy()).isEqualTo("leave-last-out");
    assertThat(manifest.getSplit().getHoldoutInteractions()).isEqualTo(holdout.size());
    assertThat(manifest.getCounts().getUsers()).isEqualTo(300);
    assertThat(manifest.getCounts().getItems()).isEqualTo(400);
    assertThat(manifest.getCounts().getInteractions()).isEqualTo(train.interactions().size());
    assertThat(manifest.getDataSource().getFormat()).isEqualTo("synthetic");
    assertThat(manifest.getTrainerVersion()).isNotBlank();
  }

  @Test
  void train_recordsParametersAndValidationMetrics() {
    BundleManifest manifest = result.manifest();

    assertThat(manifest.getParametersMap())
        .containsEntry("cf.factors", "64")
        .containsEntry("ranker.candidates", "500")
        .containsEntry("ranker.kind", "fm")
        .containsKey("ranker.fm.factors");
    assertThat(manifest.getMetricsMap())
        .containsKeys(
            "validation.recall@500", "validation.ranked.ndcg@10", "validation.recall_order.ndcg@10",
            "time.als_seconds", "time.total_seconds");
    assertThat(manifest.getMetricsMap().get("validation.recall@500")).isBetween(0.3, 1.0);
    assertThat(manifest.getMetricsMap().get("validation.ranked.ndcg@10")).isPositive();
  }

  @Test
  void train_dataWithoutInteractions_failsWithAClearMessage() {
    Dataset empty = data.withInteractions(Interactions.of(data.users().size(), new int[0], new int[0], new float[0], new long[0]));

    assertThatThrownBy(() -> new TrainingPipeline(TrainerSettings.defaults(), CLOCK).train(empty, root, "empty"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no interactions");
  }

  @Test
  void settings_invalidValues_failNamingThem() {
    TrainerSettings d = TrainerSettings.defaults();
    assertThatThrownBy(
            () -> new TrainerSettings(2, d.recentWindow(), d.als(), d.coOccurrenceNeighbours(), d.recall(), d.rankerCandidates(),
                d.rankerQueryShare(), d.rankerUsers(), d.rankerNegatives(), d.rankerHoldoutShare(), d.ranker(), d.seed(),
                false))
        .hasMessage("minUserInteractions: 2 (expected: >= 3)");
  }
}
