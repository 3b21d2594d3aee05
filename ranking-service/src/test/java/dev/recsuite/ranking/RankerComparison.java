package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.features.FeatureTablesBuilder;
import dev.recsuite.core.split.LeaveLastOut;
import dev.recsuite.core.split.TrainTestSplit;
import dev.recsuite.datasets.Datasets;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.recall.CoOccurrenceBuilder;
import dev.recsuite.recall.ItemIndexBuilder;
import dev.recsuite.recall.RecallCandidate;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallQuery;
import dev.recsuite.recall.RecallResult;
import dev.recsuite.recall.RecallSettings;
import dev.recsuite.recall.SourceHit;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.ImplicitAls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Not a unit test: a program that compares the rankers on real recall candidates, to choose the
 * factorisation machine's defaults and to report what it gains over the logistic model.
 *
 * <p>It mirrors the trainer's ranker stage ({@code dev.recsuite.trainer.internal.RankerStage}):
 * each user's latest interaction is the test split (never seen), the next-latest is the validation
 * item; features, ALS factors (default parameters), item co-occurrence neighbours (50 per item) and
 * the Lucene index are built on the rest; for every user, recall (default quotas) proposes 500
 * candidates (for 30% of the users with a query drawn from the validation item, as
 * the trainer does), and the validation item (if recalled) with 20 random other candidates become
 * the user's training examples, grouped by user. The users are split into folds; each fold's users
 * are ranked (500 candidates without a query) by models trained on the other folds' users, so that
 * every user is measured once, by a model that never saw them. Reported: NDCG@10 and HR@10 of the
 * validation item (ties count against it; a user whose item recall missed counts 0) for recall
 * order, the logistic model and each FM configuration, with the paired difference to the logistic
 * model and its standard error over users.
 *
 * <pre>
 * ./mvnw -o -q test-compile -pl ranking-service
 * ./mvnw -o -q dependency:build-classpath -pl ranking-service -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp ranking-service/target/test-classes:ranking-service/target/classes:$(cat /tmp/cp.txt) \
 *     dev.recsuite.ranking.RankerComparison ../shared/data/ml-100k [--folds 5] [--negatives 20] \
 *     [--seeds 1] [--fm loss=pairwise,factors=8,lr=0.05,l2w=1e-4,l2v=1e-3,init=0.05,epochs=50,patience=3] ...
 * </pre>
 *
 * Without {@code --fm}, the FM defaults with each loss are compared.
 */
public final class RankerComparison {

  private static final int CANDIDATES = 500;
  /** The trainer's default {@code coOccurrenceNeighbours}. */
  private static final int CO_OCCURRENCE_NEIGHBOURS = 50;
  private static final double QUERY_SHARE = 0.3;
  private static final int CUTOFF = 10;
  private static final long SEED = 42;
  private static final Set<String> STOP_WORDS =
      Set.of("the", "and", "with", "from", "that", "this", "into", "over", "your", "what", "when", "where");

  /** One user's data: training examples (target first) and the candidates to rank at measurement. */
  private record UserData(float[] trainRows, int trainCount, float[] evalRows, int evalCount, int evalTarget) {}

  /** A model to fit with each of {@code seeds} seeds; its figures are the mean over the seeds. */
  private record Model(String name, int seeds, BiFunction<TrainingSet, Integer, Scorer> fit) {}

  private interface Scorer {
    float score(float[] x);
  }

  private RankerComparison() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    Path dir = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "../shared/data/ml-100k");
    int folds = 5;
    int negatives = 20;
    int seeds = 1;
    List<String> fmSpecs = new ArrayList<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--folds" -> folds = Integer.parseInt(args[++a]);
        case "--negatives" -> negatives = Integer.parseInt(args[++a]);
        case "--fm" -> fmSpecs.add(args[++a]);
        case "--seeds" -> seeds = Integer.parseInt(args[++a]);
        default -> {
          if (args[a].startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + args[a]);
          }
        }
      }
    }
    if (fmSpecs.isEmpty()) {
      fmSpecs.add("loss=logistic");
      fmSpecs.add("loss=pairwise");
    }

    List<UserData> users = prepare(dir, negatives);
    List<Model> models = new ArrayList<>();
    models.add(
        new Model(
            "logistic (defaults)",
            1,
            (set, seed) -> LinearRanker.fromModel(
                    new LogisticRankerTrainer(LogisticRankerTrainer.Parameters.defaults()).train(set))
                ::score));
    for (String spec : fmSpecs) {
      FactorizationMachineTrainer.Parameters parameters = parse(spec);
      models.add(
          new Model(
              "fm " + spec,
              seeds,
              (set, seed) -> FactorizationMachineRanker.fromModel(
                      new FactorizationMachineTrainer(parameters.withSeed(parameters.seed() + seed)).train(set))
                  ::score));
    }

    int n = users.size();
    double[] recallNdcg = new double[n];
    double[] recallHit = new double[n];
    double[][] ndcg = new double[models.size()][n];
    double[][] hit = new double[models.size()][n];
    double[] seconds = new double[models.size()];
    int[] fold = folds(n, folds);
    for (int u = 0; u < n; u++) {
      int target = users.get(u).evalTarget();
      if (target >= 0 && target < CUTOFF) {
        recallNdcg[u] = 1 / log2(target + 2);
        recallHit[u] = 1;
      }
    }
    for (int f = 0; f < folds; f++) {
      TrainingSet set = TrainingSet.forRankingFeatures();
      float[] x = new float[RankingFeatures.SIZE];
      for (int u = 0; u < n; u++) {
        UserData data = users.get(u);
        if (fold[u] == f) {
          continue;
        }
        for (int r = 0; r < data.trainCount(); r++) {
          System.arraycopy(data.trainRows(), r * x.length, x, 0, x.length);
          set.add(x, r == 0, 1f, u);
        }
      }
      for (int m = 0; m < models.size(); m++) {
        Model model = models.get(m);
        for (int seed = 0; seed < model.seeds(); seed++) {
          long started = System.nanoTime();
          Scorer scorer = model.fit().apply(set, seed);
          seconds[m] += (System.nanoTime() - started) / 1e9 / model.seeds();
          for (int u = 0; u < n; u++) {
            UserData data = users.get(u);
            if (fold[u] != f || data.evalTarget() < 0) {
              continue;
            }
            int position = position(scorer, data, x);
            if (position < CUTOFF) {
              ndcg[m][u] += 1 / log2(position + 2) / model.seeds();
              hit[m][u] += 1.0 / model.seeds();
            }
          }
        }
      }
      out.printf(Locale.ROOT, "fold %d/%d: %d training examples%n", f + 1, folds, set.size());
    }

    out.printf(Locale.ROOT, "%n%s: %d users, %d folds, %d candidates, %d negatives per user, FM figures averaged"
        + " over %d seeds%n", dir, n, folds, CANDIDATES, negatives, seeds);
    out.printf(Locale.ROOT, "%-90s %8s %8s %22s %9s%n", "model", "NDCG@10", "HR@10", "ΔNDCG vs logistic ± SE", "fit s");
    out.printf(Locale.ROOT, "%-90s %8.4f %8.4f%n", "recall order", mean(recallNdcg), mean(recallHit));
    for (int m = 0; m < models.size(); m++) {
      double[] diff = new double[n];
      for (int u = 0; u < n; u++) {
        diff[u] = ndcg[m][u] - ndcg[0][u];
      }
      out.printf(Locale.ROOT, "%-90s %8.4f %8.4f %+10.4f ± %.4f %9.2f%n", models.get(m).name(), mean(ndcg[m]),
          mean(hit[m]), mean(diff), standardError(diff), seconds[m] / folds);
    }
  }

  /** Position of the target among the user's candidates by descending score, ties against it. */
  private static int position(Scorer scorer, UserData data, float[] x) {
    float[] scores = new float[data.evalCount()];
    for (int c = 0; c < scores.length; c++) {
      System.arraycopy(data.evalRows(), c * x.length, x, 0, x.length);
      scores[c] = scorer.score(x);
    }
    float target = scores[data.evalTarget()];
    int position = 0;
    for (int c = 0; c < scores.length; c++) {
      if (c != data.evalTarget() && scores[c] >= target) {
        position++;
      }
    }
    return position;
  }

  private static List<UserData> prepare(Path dir, int negatives) throws IOException {
    Dataset all = Datasets.load(dir);
    LeaveLastOut split = new LeaveLastOut(3);
    TrainTestSplit test = split.split(all.interactions());
    Dataset train = all.withInteractions(test.train());
    TrainTestSplit validation = split.split(train.interactions());
    Dataset fit = train.withInteractions(validation.train());
    FeatureStore features =
        FeatureStore.of("comparison", fit, new FeatureTablesBuilder(FeatureTablesBuilder.DEFAULT_RECENT_WINDOW).build(fit));
    AlsParameters als = AlsParameters.defaults();
    dev.recsuite.recall.cf.FactorModel factors = ImplicitAls.train(fit.interactions(), fit.items().size(), als);
    FactorModel.Builder cf =
        FactorModel.newBuilder()
            .setFactors(factors.factors())
            .setRegularization((float) als.regularization())
            .setAlpha((float) als.alpha());
    for (float value : factors.itemFactors()) {
      cf.addItemFactors(value);
    }
    for (float value : factors.userFactors()) {
      cf.addUserFactors(value);
    }
    Path scratch = Files.createTempDirectory("ranker-comparison-");
    try {
      Path index = scratch.resolve("item-index");
      ItemIndexBuilder.write(fit, cf.build(), index);
      ItemNeighbours neighbours =
          CoOccurrenceBuilder.build(fit.interactions(), fit.items().size(), CO_OCCURRENCE_NEIGHBOURS);
      try (RecallEngine engine =
          RecallEngine.create(fit, cf.build(), neighbours, index, "comparison", RecallSettings.defaults())) {
        return examples(fit, validation.holdout(), engine, features, negatives);
      }
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static List<UserData> examples(
      Dataset fit, Interactions validation, RecallEngine engine, FeatureStore features, int negatives) {
    SplittableRandom random = new SplittableRandom(SEED);
    int width = RankingFeatures.SIZE;
    List<UserData> users = new ArrayList<>();
    for (int row = 0; row < validation.size(); row++) {
      Item next = fit.items().get(validation.item(row));
      String userId = fit.users().get(validation.user(row)).id();
      String query = random.nextDouble() < QUERY_SHARE ? queryFor(next, random) : "";
      UserFeatures user = features.user(userId);

      RecallResult trainRecall = engine.recall(RecallQuery.forUser(userId, CANDIDATES).withText(query));
      List<RecallCandidate> list = trainRecall.candidates();
      int target = indexOf(list, next.id());
      float[] trainRows = new float[0];
      int trainCount = 0;
      if (target >= 0) {
        List<ItemFeatures> items = features.items(ids(list));
        int count = Math.min(negatives, list.size() - 1);
        trainRows = new float[(1 + count) * width];
        write(user, items.get(target), list.get(target), trainRows, 0);
        for (int k = 0; k < count; k++) {
          int pick = random.nextInt(list.size() - 1);
          int index = pick >= target ? pick + 1 : pick;
          write(user, items.get(index), list.get(index), trainRows, (1 + k) * width);
        }
        trainCount = 1 + count;
      }

      RecallResult evalRecall =
          query.isEmpty() ? trainRecall : engine.recall(RecallQuery.forUser(userId, CANDIDATES));
      List<RecallCandidate> evalList = evalRecall.candidates();
      List<ItemFeatures> evalItems = features.items(ids(evalList));
      float[] evalRows = new float[evalList.size() * width];
      for (int c = 0; c < evalList.size(); c++) {
        write(user, evalItems.get(c), evalList.get(c), evalRows, c * width);
      }
      users.add(new UserData(trainRows, trainCount, evalRows, evalList.size(), indexOf(evalList, next.id())));
    }
    return users;
  }

  private static void write(UserFeatures user, ItemFeatures item, RecallCandidate candidate, float[] out, int offset) {
    List<SourceScore> sources = new ArrayList<>(candidate.sources().size());
    for (SourceHit hit : candidate.sources()) {
      sources.add(SourceScore.newBuilder().setSource(hit.source()).setScore(hit.score()).setRank(hit.rank()).build());
    }
    RankingFeatures.extract(user, item, sources, out, offset);
  }

  private static int indexOf(List<RecallCandidate> list, String itemId) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).itemId().equals(itemId)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> ids(List<RecallCandidate> list) {
    List<String> ids = new ArrayList<>(list.size());
    for (RecallCandidate candidate : list) {
      ids.add(candidate.itemId());
    }
    return ids;
  }

  /** As the trainer: a word of the item's title (not a stop word), or else one of its genres. */
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

  private static int[] folds(int n, int folds) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] fold = new int[n];
    for (int i = 0; i < n; i++) {
      fold[order[i]] = i % folds;
    }
    return fold;
  }

  /** {@code key=value,...} over the FM defaults. */
  private static FactorizationMachineTrainer.Parameters parse(String spec) {
    FactorizationMachineTrainer.Parameters p = FactorizationMachineTrainer.Parameters.defaults();
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      String[] kv = pair.split("=", 2);
      values.put(kv[0].trim(), kv[1].trim());
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      String v = e.getValue();
      p = switch (e.getKey()) {
        case "loss" -> p.withLoss(FactorizationMachineTrainer.Loss.valueOf(v.toUpperCase(Locale.ROOT)));
        case "factors" -> p.withFactors(Integer.parseInt(v));
        case "lr" -> p.withLearningRate(Double.parseDouble(v));
        case "l2w" -> p.withL2(Double.parseDouble(v), p.l2Factors());
        case "l2v" -> p.withL2(p.l2Weights(), Double.parseDouble(v));
        case "init" -> p.withInitStddev(Double.parseDouble(v));
        case "epochs" -> p.withEpochs(Integer.parseInt(v), p.patience());
        case "patience" -> p.withEpochs(p.maxEpochs(), Integer.parseInt(v));
        case "validation" -> p.withValidationShare(Double.parseDouble(v));
        case "seed" -> p.withSeed(Long.parseLong(v));
        default -> throw new IllegalArgumentException("unknown FM parameter " + e.getKey());
      };
    }
    return p;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double standardError(double[] values) {
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.length - 1) / values.length);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
