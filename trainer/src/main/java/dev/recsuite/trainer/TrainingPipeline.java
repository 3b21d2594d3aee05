package dev.recsuite.trainer;

import com.google.protobuf.Timestamp;
import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.Counts;
import dev.recsuite.bundle.v1.DataSource;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.Split;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.BundleVersions;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.features.FeatureTablesBuilder;
import dev.recsuite.core.split.LeaveLastOut;
import dev.recsuite.core.split.TrainTestSplit;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.recall.CoOccurrenceBuilder;
import dev.recsuite.recall.ItemIndexBuilder;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.ImplicitAls;
import dev.recsuite.trainer.internal.AlsTuner;
import dev.recsuite.trainer.internal.RankerStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a model bundle from a data set and publishes it:
 *
 * <ol>
 *   <li>holds out each user's latest interaction (the test split, kept in the bundle for
 *       evaluation; nothing below sees it);
 *   <li>ranker stage: holds out each user's next-latest interaction as validation, builds
 *       features, ALS factors and the item index on the rest, and trains the ranker on the
 *       candidates recall returns for the validation users, so training matches serving;
 *   <li>serving stage: rebuilds features, factors, item neighbours and index on the whole training
 *       split;
 *   <li>writes everything with a manifest (data source, split, parameters, validation metrics)
 *       and publishes the version atomically.
 * </ol>
 */
public final class TrainingPipeline {

  private static final Logger log = LoggerFactory.getLogger(TrainingPipeline.class);
  private static final String TRAINER_VERSION = "0.1.0";

  private final TrainerSettings settings;
  private final Clock clock;

  public TrainingPipeline(TrainerSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Trains on {@code data} and publishes a new version under {@code bundlesRoot}.
   *
   * @param label short description of the data for the version name, e.g. {@code ml-100k}
   * @throws IOException if the bundle cannot be written
   * @throws IllegalStateException if the data is too small to train on
   */
  public TrainingResult train(Dataset data, Path bundlesRoot, String label) throws IOException {
    log.info(
        "training on {}: {} users, {} items, {} interactions",
        data.source().description(), data.users().size(), data.items().size(), data.interactions().size());
    if (data.interactions().size() == 0) {
      throw new IllegalStateException("the data set has no interactions: nothing to train on");
    }
    TrainTestSplit test = new LeaveLastOut(settings.minUserInteractions()).split(data.interactions());
    log.info(
        "split: {} training interactions, {} held out (each user's latest)",
        test.train().size(), test.holdout().size());
    return train(data.withInteractions(test.train()), test.holdout(), "leave-last-out", bundlesRoot, label);
  }

  /**
   * Expert: trains on a split made elsewhere (a benchmark's published train/test files, say) and
   * publishes it with {@code holdout} as the bundle's held-out interactions. The ranker stage still
   * holds out each user's latest training interaction for validation.
   *
   * @param train the data set with only its training interactions
   * @param holdout held-out interactions over {@code train}'s users and items
   * @param splitStrategy how the split was made, recorded in the manifest
   * @throws IOException if the bundle cannot be written
   * @throws IllegalStateException if the data is too small to train on
   */
  public TrainingResult train(
      Dataset train, Interactions holdout, String splitStrategy, Path bundlesRoot, String label)
      throws IOException {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (train.interactions().size() == 0) {
      throw new IllegalStateException("the training split has no interactions: nothing to train on");
    }
    TrainTestSplit validation =
        new LeaveLastOut(settings.minUserInteractions()).split(train.interactions());
    Dataset fit = train.withInteractions(validation.train());
    long tuneStarted = System.nanoTime();
    AlsParameters als = settings.tune() ? tuneAls(fit, validation.holdout(), metrics) : settings.als();
    if (settings.tune()) {
      metrics.put("time.tune_seconds", seconds(tuneStarted));
    }

    Path scratch = Files.createTempDirectory("recsuite-trainer-");
    RankerStage.Result ranker;
    long rankerStarted = System.nanoTime();
    try {
      ranker = rankerStage(fit, validation.holdout(), als, scratch);
    } finally {
      deleteRecursively(scratch);
    }
    metrics.putAll(ranker.metrics());
    metrics.put("time.ranker_stage_seconds", seconds(rankerStarted));

    String version = BundleVersions.next(clock, label);
    try (BundleWriter writer = BundleWriter.create(bundlesRoot, version)) {
      BundleTables.writeData(writer, train, holdout);
      long t = System.nanoTime();
      FeatureTables features = new FeatureTablesBuilder(settings.recentWindow()).build(train);
      writer.writeMessage(BundleFiles.FEATURES, features);
      metrics.put("time.features_seconds", seconds(t));
      t = System.nanoTime();
      FactorModel cf = trainFactors(train, als, "serving");
      writer.writeMessage(BundleFiles.CF, cf);
      metrics.put("time.als_seconds", seconds(t));
      t = System.nanoTime();
      writer.writeMessage(BundleFiles.CO_OCCURRENCE, neighbours(train));
      metrics.put("time.co_occurrence_seconds", seconds(t));
      t = System.nanoTime();
      ItemIndexBuilder.write(train, cf, writer.directory(BundleFiles.ITEM_INDEX));
      metrics.put("time.index_seconds", seconds(t));
      writer.writeMessage(BundleFiles.RANKER, ranker.model());
      metrics.put("time.total_seconds", seconds(t0));

      BundleManifest manifest =
          BundleManifest.newBuilder()
              .setCreatedAt(Timestamp.newBuilder().setSeconds(started.getEpochSecond()).setNanos(started.getNano()))
              .setDataSource(
                  DataSource.newBuilder()
                      .setFormat(train.source().format())
                      .setLocation(train.source().location())
                      .setDescription(train.source().description()))
              .setSplit(
                  Split.newBuilder()
                      .setStrategy(splitStrategy)
                      .setHoldoutInteractions(holdout.size())
                      .setMinUserInteractions(settings.minUserInteractions()))
              .setCounts(
                  Counts.newBuilder()
                      .setUsers(train.users().size())
                      .setItems(train.items().size())
                      .setInteractions(train.interactions().size()))
              .putAllParameters(parameters(als))
              .putAllMetrics(metrics)
              .setTrainerVersion(TRAINER_VERSION)
              .build();
      Path published = writer.commit(manifest);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      log.info("published bundle {} at {} in {} s", version, published, String.format(Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0));
      return new TrainingResult(version, published, manifest.toBuilder().setVersion(version).build(), elapsed);
    }
  }

  private AlsParameters tuneAls(Dataset fit, Interactions validation, Map<String, Double> metrics) {
    List<AlsTuner.Trial> trials = new AlsTuner().tune(fit, validation, AlsTuner.grid(settings.als()));
    AlsTuner.Trial best = trials.getFirst();
    log.info(
        "tune: best ALS factors {}, lambda {}, alpha {} (validation NDCG@10 {})",
        best.parameters().factors(), best.parameters().regularization(), best.parameters().alpha(),
        String.format(Locale.ROOT, "%.4f", best.ndcg()));
    metrics.put("tune.trials", (double) trials.size());
    metrics.put("tune.best.cf_ndcg@10", best.ndcg());
    metrics.put("tune.best.cf_hr@10", best.hitRate());
    return best.parameters();
  }

  private RankerStage.Result rankerStage(
      Dataset fit, Interactions validation, AlsParameters als, Path scratch) throws IOException {
    log.info(
        "ranker stage: {} interactions to fit, {} validation users", fit.interactions().size(), validation.size());
    FeatureStore features =
        FeatureStore.of("ranker-stage", fit, new FeatureTablesBuilder(settings.recentWindow()).build(fit));
    FactorModel cf = trainFactors(fit, als, "ranker stage");
    Path index = scratch.resolve("item-index");
    ItemIndexBuilder.write(fit, cf, index);
    RankerStage stage =
        new RankerStage(
            settings.rankerCandidates(),
            settings.rankerQueryShare(),
            settings.rankerUsers(),
            settings.rankerNegatives(),
            settings.rankerHoldoutShare(),
            settings.ranker()::fit,
            settings.seed());
    try (RecallEngine engine =
        RecallEngine.create(fit, cf, neighbours(fit), index, "ranker-stage", settings.recall())) {
      return stage.run(fit, validation, engine, features);
    }
  }

  private ItemNeighbours neighbours(Dataset data) {
    return CoOccurrenceBuilder.build(data.interactions(), data.items().size(), settings.coOccurrenceNeighbours());
  }

  private static FactorModel trainFactors(Dataset data, AlsParameters als, String stage) {
    dev.recsuite.recall.cf.FactorModel model =
        ImplicitAls.train(
            data.interactions(),
            data.items().size(),
            als,
            (iteration, elapsed, loss) ->
                log.info(
                    "ALS ({}) iteration {}/{}: loss {} ({} ms)",
                    stage, iteration, als.iterations(), String.format(Locale.ROOT, "%.1f", loss), elapsed.toMillis()));
    FactorModel.Builder proto =
        FactorModel.newBuilder()
            .setFactors(model.factors())
            .setRegularization((float) als.regularization())
            .setAlpha((float) als.alpha());
    for (float value : model.itemFactors()) {
      proto.addItemFactors(value);
    }
    for (float value : model.userFactors()) {
      proto.addUserFactors(value);
    }
    return proto.build();
  }

  private Map<String, String> parameters(AlsParameters als) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("cf.factors", Integer.toString(als.factors()));
    parameters.put("cf.regularization", Double.toString(als.regularization()));
    parameters.put("cf.alpha", Double.toString(als.alpha()));
    parameters.put("cf.scaling", als.scaling().name());
    parameters.put("cf.iterations", Integer.toString(als.iterations()));
    parameters.put("cf.cg_steps", Integer.toString(als.cgSteps()));
    parameters.put("cf.seed", Long.toString(als.seed()));
    parameters.put("features.recent_window", Integer.toString(settings.recentWindow()));
    parameters.putAll(settings.ranker().parameters());
    parameters.put("ranker.candidates", Integer.toString(settings.rankerCandidates()));
    parameters.put("ranker.query_share", Double.toString(settings.rankerQueryShare()));
    parameters.put("ranker.users", Integer.toString(settings.rankerUsers()));
    parameters.put("ranker.negatives", Integer.toString(settings.rankerNegatives()));
    parameters.put("recall.collaborative_quota", Integer.toString(settings.recall().collaborativeQuota()));
    parameters.put("recall.content_quota", Integer.toString(settings.recall().contentQuota()));
    parameters.put("recall.query_quota", Integer.toString(settings.recall().queryQuota()));
    parameters.put("recall.popular_quota", Integer.toString(settings.recall().popularQuota()));
    parameters.put("recall.co_occurrence_quota", Integer.toString(settings.recall().coOccurrenceQuota()));
    parameters.put("co_occurrence.max_neighbours", Integer.toString(settings.coOccurrenceNeighbours()));
    parameters.put("seed", Long.toString(settings.seed()));
    parameters.put("tune", Boolean.toString(settings.tune()));
    return parameters;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
