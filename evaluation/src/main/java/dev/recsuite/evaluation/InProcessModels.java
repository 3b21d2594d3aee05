package dev.recsuite.evaluation;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.evaluation.internal.CfOnly;
import dev.recsuite.evaluation.internal.ContentOnly;
import dev.recsuite.evaluation.internal.EngineRecallProbe;
import dev.recsuite.evaluation.internal.InProcessPipeline;
import dev.recsuite.evaluation.internal.ItemKnn;
import dev.recsuite.evaluation.internal.MostPopular;
import dev.recsuite.evaluation.internal.UserItemMatrix;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.ranking.ServingModel;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallSettings;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the harness computes in this JVM from one bundle: the bundle's training data and
 * held-out interactions, the full pipeline composed from the same parts the services load (recall
 * engine, feature store, ranker), the baselines, and the recall stage.
 *
 * <pre>{@code
 * try (InProcessModels models = InProcessModels.load(bundle, RecallSettings.defaults(), 500, 0)) {
 *   TestSet full = TestSet.fullRanking(models.train(), models.holdout());
 *   List<Recommendation> top = models.pipeline().recommend(full.cases().getFirst(), 20);
 * }
 * }</pre>
 *
 * Thread-safe; close it to close the recall engines.
 */
public final class InProcessModels implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InProcessModels.class);

  private final Bundle bundle;
  private final Dataset train;
  private final Interactions holdout;
  private final UserItemMatrix matrix;
  private final RecallEngine engine;
  private final RecallEngine contentEngine;
  private final Recommender pipeline;
  private final List<Recommender> baselines;
  private final Catalogue catalogue;

  private InProcessModels(
      Bundle bundle,
      Dataset train,
      Interactions holdout,
      UserItemMatrix matrix,
      RecallEngine engine,
      RecallEngine contentEngine,
      Recommender pipeline,
      List<Recommender> baselines) {
    this.bundle = bundle;
    this.train = train;
    this.holdout = holdout;
    this.matrix = matrix;
    this.engine = engine;
    this.contentEngine = contentEngine;
    this.pipeline = pipeline;
    this.baselines = baselines;
    int trainingUsers = Math.max(1, matrix.activeUsers());
    this.catalogue =
        new Catalogue() {
          @Override
          public int size() {
            return Math.max(1, train.items().size());
          }

          @Override
          public int trainingUsers() {
            return trainingUsers;
          }

          @Override
          public int usersOf(String itemId) {
            int item = train.itemIds().indexOf(itemId);
            return item < 0 ? 0 : matrix.userCountOf(item);
          }
        };
  }

  /**
   * Loads the models of {@code bundle}.
   *
   * @param recall the recall settings, as the recall tier runs with
   * @param recallCandidates the gateway's recall candidate count
   * @param knnNeighbours neighbours kept per item by item-kNN, 0 for all
   * @throws InvalidBundleException if a part of the bundle is missing or inconsistent
   * @throws IllegalArgumentException if {@code recallCandidates < 1} or {@code knnNeighbours < 0}
   */
  public static InProcessModels load(
      Bundle bundle, RecallSettings recall, int recallCandidates, int knnNeighbours) {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(recall, "recall");
    if (recallCandidates < 1) {
      throw new IllegalArgumentException("recallCandidates: " + recallCandidates + " (expected: >= 1)");
    }
    long started = System.nanoTime();
    Dataset train = BundleTables.readTrainingData(bundle);
    Interactions holdout = BundleTables.readHoldout(bundle, train.users().size(), train.items().size());
    UserItemMatrix matrix = UserItemMatrix.of(train.interactions(), train.items().size());
    FactorModel cf = bundle.read(BundleFiles.CF, FactorModel.parser());
    FeatureStore features = FeatureStore.load(bundle);
    ServingModel ranker = ServingModel.load(bundle);
    RecallEngine engine = RecallEngine.open(bundle, recall);
    RecallEngine contentEngine = null;
    try {
      int contentQuota = Math.min(RecallSettings.MAX_QUOTA, Math.max(1, train.items().size()));
      contentEngine = RecallEngine.open(bundle, recall.withQuotas(0, contentQuota, 0, 0, 0));
      Recommender pipeline =
          new InProcessPipeline(engine, features, ranker.ranker(), recallCandidates);
      List<Recommender> baselines =
          List.of(
              new MostPopular(matrix, train.itemIds()),
              new ItemKnn(matrix, train.itemIds(), knnNeighbours),
              new CfOnly(matrix, train.itemIds(), cf),
              new ContentOnly(contentEngine, matrix, train.itemIds()));
      log.info(
          "in-process models of bundle {} loaded in {} ms", bundle.version(), (System.nanoTime() - started) / 1_000_000);
      return new InProcessModels(bundle, train, holdout, matrix, engine, contentEngine, pipeline, baselines);
    } catch (RuntimeException e) {
      engine.close();
      if (contentEngine != null) {
        contentEngine.close();
      }
      throw e;
    }
  }

  /** The bundle the models come from. */
  public Bundle bundle() {
    return bundle;
  }

  /** The bundle's items, users and training interactions. */
  public Dataset train() {
    return train;
  }

  /** The bundle's held-out interactions ({@code holdout.pb}). */
  public Interactions holdout() {
    return holdout;
  }

  /** The full pipeline in process (see the class comment of the gateway's pipeline). */
  public Recommender pipeline() {
    return pipeline;
  }

  /** Most-popular, item-kNN, CF-only and content-only, in that order. */
  public List<Recommender> baselines() {
    return baselines;
  }

  /** The recall stage in process, asking for {@code maxCandidates} merged candidates per user. */
  public RecallProbe recallProbe(int maxCandidates) {
    return new EngineRecallProbe(engine, maxCandidates);
  }

  /** The bundle's catalogue and training users, for coverage and novelty. */
  public Catalogue catalogue() {
    return catalogue;
  }

  /** Closes the recall engines. */
  @Override
  public void close() {
    engine.close();
    contentEngine.close();
  }
}
