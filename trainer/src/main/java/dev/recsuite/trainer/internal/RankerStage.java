package dev.recsuite.trainer.internal;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.Ranker;
import dev.recsuite.ranking.RankingFeatures;
import dev.recsuite.ranking.TrainingSet;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.recall.RecallCandidate;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallQuery;
import dev.recsuite.recall.RecallResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the ranker on what recall actually returns: for each validation user, the candidates
 * recall proposes from the user's earlier history, labelled by whether they are the user's next
 * (validation) item. Users whose next item recall misses teach nothing and only count towards
 * recall's hit rate. A share of the users is kept out of training to measure the ranker against
 * recall order.
 *
 * <p>For a share of the training users the request carries a free-text query made of a word of
 * the next item's title or one of its genres, as a searching user would type it, so that the
 * ranker learns what the QUERY source's evidence is worth; without such examples its features
 * would be constant and get no weight.
 */
public final class RankerStage {

  private static final Logger log = LoggerFactory.getLogger(RankerStage.class);
  private static final int CUTOFF = 10;

  /**
   * The trained model and what it was measured at.
   *
   * @param model the ranker
   * @param metrics validation metrics by dotted name
   */
  public record Result(RankerModel model, Map<String, Double> metrics) {}

  private static final Set<String> STOP_WORDS =
      Set.of("the", "and", "with", "from", "that", "this", "into", "over", "your", "what", "when", "where");

  private final int candidates;
  private final double queryShare;
  private final int maxUsers;
  private final int negatives;
  private final double holdoutShare;
  private final Function<TrainingSet, RankerModel> trainer;
  private final long seed;

  /**
   * @param queryShare share of training users whose request carries a query drawn from their next item
   */
  public RankerStage(
      int candidates,
      double queryShare,
      int maxUsers,
      int negatives,
      double holdoutShare,
      Function<TrainingSet, RankerModel> trainer,
      long seed) {
    this.candidates = candidates;
    this.queryShare = queryShare;
    this.maxUsers = maxUsers;
    this.negatives = negatives;
    this.holdoutShare = holdoutShare;
    this.trainer = trainer;
    this.seed = seed;
  }

  /**
   * @param fit the data the engine and store were built from
   * @param validation each user's next item after {@code fit}
   */
  public Result run(Dataset fit, Interactions validation, RecallEngine engine, FeatureStore features) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> users = new ArrayList<>();
    for (int i = 0; i < validation.size(); i++) {
      users.add(i);
    }
    // Seeded shuffle, then a cap, so large data sets train on a fixed-size random sample.
    for (int i = users.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      users.set(i, users.set(j, users.get(i)));
    }
    List<Integer> sample = users.subList(0, Math.min(users.size(), maxUsers));
    int measured = (int) Math.round(sample.size() * holdoutShare);
    List<Integer> measureRows = sample.subList(0, measured);
    List<Integer> trainRows = sample.subList(measured, sample.size());

    // Queries are drawn in row order and recall runs in parallel, so the examples do not depend on
    // the number of threads.
    List<String> queries = new ArrayList<>(trainRows.size());
    int withQuery = 0;
    for (int row : trainRows) {
      String query = random.nextDouble() < queryShare ? queryFor(fit.items().get(validation.item(row)), random) : "";
      withQuery += query.isEmpty() ? 0 : 1;
      queries.add(query);
    }
    List<Recalled> recalls = recallAll(fit, validation, trainRows, queries, engine, features);

    TrainingSet examples = TrainingSet.forRankingFeatures();
    float[] vector = new float[RankingFeatures.SIZE];
    int recalled = 0;
    for (int i = 0; i < trainRows.size(); i++) {
      int row = trainRows.get(i);
      Recalled r = recalls.get(i);
      if (r.target() < 0) {
        continue;
      }
      recalled++;
      List<RecallCandidate> list = r.result().candidates();
      // One group per request, so that a pairwise loss compares a positive with its own negatives.
      addExample(examples, vector, r.user(), list.get(r.target()), r.items().get(r.target()), true, row);
      for (int n = 0; n < negatives && list.size() > 1; n++) {
        int pick = random.nextInt(list.size() - 1);
        int index = pick >= r.target() ? pick + 1 : pick;
        addExample(examples, vector, r.user(), list.get(index), r.items().get(index), false, row);
      }
    }
    log.info(
        "ranker examples: {} users ({} with a query), next item recalled for {} ({} examples)",
        trainRows.size(), withQuery, recalled, examples.size());
    if (examples.positives() == 0) {
      throw new IllegalStateException(
          "recall found the next item of none of " + trainRows.size()
              + " validation users: too little data to train a ranker");
    }
    RankerModel model = trainer.apply(examples);

    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("ranker.training_examples", (double) examples.size());
    metrics.put("ranker.training_users", (double) trainRows.size());
    if (!trainRows.isEmpty()) {
      metrics.put("validation.recall_hit_rate.training_users", recalled / (double) trainRows.size());
    }
    measure(fit, validation, measureRows, engine, features, Ranker.fromModel(model), metrics);
    return new Result(model, metrics);
  }

  private void measure(
      Dataset fit,
      Interactions validation,
      List<Integer> rows,
      RecallEngine engine,
      FeatureStore features,
      Ranker ranker,
      Map<String, Double> metrics) {
    if (rows.isEmpty()) {
      return;
    }
    int recalled = 0;
    double recallHits = 0;
    double recallNdcg = 0;
    double rankedHits = 0;
    double rankedNdcg = 0;
    List<Recalled> recalls =
        recallAll(fit, validation, rows, Collections.nCopies(rows.size(), ""), engine, features);
    for (Recalled r : recalls) {
      if (r.target() < 0) {
        continue;
      }
      recalled++;
      if (r.target() < CUTOFF) {
        recallHits++;
        recallNdcg += 1 / log2(r.target() + 2);
      }
      List<RankCandidate> batch = new ArrayList<>(r.items().size());
      List<RecallCandidate> list = r.result().candidates();
      for (int i = 0; i < list.size(); i++) {
        batch.add(
            RankCandidate.newBuilder()
                .setItemId(list.get(i).itemId())
                .addAllSources(SourceScores.of(list.get(i).sources()))
                .setFeatures(r.items().get(i))
                .build());
      }
      float[] scores = ranker.score(r.user(), batch);
      float target = scores[r.target()];
      int position = 0;
      for (int i = 0; i < scores.length; i++) {
        // Ties count against the target, so a constant scorer cannot look good.
        if (i != r.target() && scores[i] >= target) {
          position++;
        }
      }
      if (position < CUTOFF) {
        rankedHits++;
        rankedNdcg += 1 / log2(position + 2);
      }
    }
    double n = rows.size();
    metrics.put("validation.users", n);
    metrics.put("validation.recall@" + candidates, recalled / n);
    metrics.put("validation.recall_order.hr@10", recallHits / n);
    metrics.put("validation.recall_order.ndcg@10", recallNdcg / n);
    metrics.put("validation.ranked.hr@10", rankedHits / n);
    metrics.put("validation.ranked.ndcg@10", rankedNdcg / n);
    log.info(
        "validation ({} users): recall@{} {}, HR@10 recall order {} -> ranked {}, NDCG@10 {} -> {}",
        rows.size(), candidates, fmt(recalled / n), fmt(recallHits / n), fmt(rankedHits / n),
        fmt(recallNdcg / n), fmt(rankedNdcg / n));
  }

  private record Recalled(
      UserFeatures user, RecallResult result, List<ItemFeatures> items, int target) {}

  /** Recalls for every row on all processors; the answers come back in row order. */
  private List<Recalled> recallAll(
      Dataset fit,
      Interactions validation,
      List<Integer> rows,
      List<String> queries,
      RecallEngine engine,
      FeatureStore features) {
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rows.size()));
    try (ExecutorService pool =
        Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("ranker-stage-", 0).daemon().factory())) {
      List<Future<Recalled>> futures = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        int row = rows.get(i);
        String query = queries.get(i);
        futures.add(pool.submit(() -> recall(fit, validation, row, query, engine, features)));
      }
      List<Recalled> recalls = new ArrayList<>(rows.size());
      for (Future<Recalled> future : futures) {
        recalls.add(future.get());
      }
      return recalls;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("ranker stage interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }

  private Recalled recall(
      Dataset fit, Interactions validation, int row, String query, RecallEngine engine, FeatureStore features) {
    String userId = fit.users().get(validation.user(row)).id();
    String nextItem = fit.items().get(validation.item(row)).id();
    RecallResult result = engine.recall(RecallQuery.forUser(userId, candidates).withText(query));
    List<String> ids = new ArrayList<>(result.candidates().size());
    int target = -1;
    for (RecallCandidate candidate : result.candidates()) {
      if (candidate.itemId().equals(nextItem)) {
        target = ids.size();
      }
      ids.add(candidate.itemId());
    }
    return new Recalled(features.user(userId), result, features.items(ids), target);
  }

  /** A word of the item's title (not a stop word or a year), or else one of its genres. */
  private static String queryFor(Item item, SplittableRandom random) {
    List<String> words = new ArrayList<>();
    for (String word : item.title().toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      if (word.length() >= 4 && !STOP_WORDS.contains(word)) {
        words.add(word);
      }
    }
    if (!words.isEmpty() && (item.genres().isEmpty() || random.nextBoolean())) {
      return words.get(random.nextInt(words.size()));
    }
    return item.genres().isEmpty() ? "" : item.genres().get(random.nextInt(item.genres().size()));
  }

  private static void addExample(
      TrainingSet examples,
      float[] vector,
      UserFeatures user,
      RecallCandidate candidate,
      ItemFeatures item,
      boolean positive,
      int group) {
    RankingFeatures.extract(user, item, SourceScores.of(candidate.sources()), vector);
    examples.add(vector, positive, 1f, group);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
