package dev.recsuite.evaluation;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.evaluation.internal.ParallelRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the methods of one protocol over its users and turns their lists into the figures of
 * {@link Metrics}, with bootstrap intervals; compares the gateway with the in-process pipeline
 * user by user, and (full ranking) probes the recall stage through each path.
 *
 * <p>Every method sees the same users; the bootstrap uses the same seed, hence the same resampled
 * users, for every metric and method, so intervals of different methods are comparable.
 */
public final class Evaluator {

  private static final Logger log = LoggerFactory.getLogger(Evaluator.class);
  private static final int TOP = 10;
  private static final int MAX_EXAMPLES = 5;

  private final EvaluationSettings settings;
  private final Catalogue catalogue;
  private final ParallelRunner runner;

  /**
   * @param catalogue the catalogue for coverage and novelty ({@link InProcessModels#catalogue()})
   */
  public Evaluator(EvaluationSettings settings, Catalogue catalogue) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.runner = new ParallelRunner(settings.progressInterval());
  }

  /**
   * Evaluates every method on {@code testSet}.
   *
   * @param baselines methods compared with the pipeline
   * @param gateway the pipeline through the gateway, or null to skip it
   * @param inProcess the pipeline in process
   * @param tierProbe the recall tier over gRPC, or null; used for full ranking only
   * @param engineProbe the recall engine in process, or null; used for full ranking only
   * @throws InterruptedException if interrupted
   */
  public ProtocolResult evaluate(
      TestSet testSet,
      List<Recommender> baselines,
      Recommender gateway,
      Recommender inProcess,
      RecallProbe tierProbe,
      RecallProbe engineProbe)
      throws InterruptedException {
    List<TestCase> cases = testSet.cases();
    Protocol protocol = testSet.protocol();
    int listLength =
        protocol == Protocol.FULL_RANKING
            ? Protocol.FULL_RANKING_LIST_LENGTH
            : cases.stream().mapToInt(c -> c.candidateIds().size()).max().orElse(0);
    List<MethodResult> results = new ArrayList<>();
    List<Recommender> methods = new ArrayList<>(baselines);
    if (gateway != null) {
      methods.add(gateway);
    }
    methods.add(inProcess);
    Map<Recommender, List<List<Recommendation>>> lists = new LinkedHashMap<>();
    Map<Recommender, double[]> ndcg10 = new LinkedHashMap<>();
    for (Recommender method : methods) {
      String label = protocol.id() + " / " + method.name();
      long started = System.nanoTime();
      try {
        List<List<Recommendation>> answers =
            runner.run(
                label,
                cases,
                method.remote() ? settings.grpcConcurrency() : settings.threads(),
                c -> method.recommend(c, c.sampled() ? c.candidateIds().size() : Protocol.FULL_RANKING_LIST_LENGTH));
        lists.put(method, answers);
        ndcg10.put(method, perUser(cases, answers, rank -> Metrics.ndcg(rank, 10)));
        results.add(summarise(method, cases, answers, seconds(started)));
      } catch (RuntimeException e) {
        log.error("{} failed: {}", label, e.toString());
        results.add(MethodResult.failed(method.name(), method.description(), seconds(started), describe(e)));
      }
    }
    Agreement pipelines = null;
    if (gateway != null && lists.containsKey(gateway) && lists.containsKey(inProcess)) {
      pipelines = compareLists(gateway.name(), inProcess.name(), cases, lists.get(gateway), lists.get(inProcess));
    }

    Map<String, Estimate> lead = new LinkedHashMap<>();
    double[] pipeline = ndcg10.containsKey(inProcess) ? ndcg10.get(inProcess) : ndcg10.get(gateway);
    if (pipeline != null) {
      for (Recommender baseline : baselines) {
        double[] other = ndcg10.get(baseline);
        if (other != null) {
          double[] difference = new double[pipeline.length];
          for (int u = 0; u < difference.length; u++) {
            difference[u] = pipeline[u] - other[u];
          }
          lead.put(baseline.name(), settings.bootstrap().estimate(difference));
        }
      }
    }

    List<RecallStageResult> stages = new ArrayList<>();
    Agreement recallAgreement = null;
    if (protocol == Protocol.FULL_RANKING) {
      Map<RecallProbe, List<RecallOutcome>> outcomes = new LinkedHashMap<>();
      for (RecallProbe probe : Arrays.asList(tierProbe, engineProbe)) {
        if (probe == null) {
          continue;
        }
        String label = protocol.id() + " / recall stage: " + probe.name();
        try {
          List<RecallOutcome> answers =
              runner.run(label, cases, probe.remote() ? settings.grpcConcurrency() : settings.threads(), probe::probe);
          outcomes.put(probe, answers);
          stages.add(summariseRecall(probe.name(), answers));
        } catch (RuntimeException e) {
          log.error("{} failed: {}", label, e.toString());
          stages.add(new RecallStageResult(probe.name(), settings.probeCandidates(), Map.of(), Map.of(), Map.of(), describe(e)));
        }
      }
      if (tierProbe != null && engineProbe != null && outcomes.size() == 2) {
        recallAgreement = compareRecall(tierProbe.name(), engineProbe.name(), cases, outcomes.get(tierProbe), outcomes.get(engineProbe));
      }
    }
    return new ProtocolResult(
        protocol, cases.size(), testSet.skipped(), testSet.negatives(), listLength, results, stages, pipelines,
        recallAgreement, lead);
  }

  private MethodResult summarise(
      Recommender method, List<TestCase> cases, List<List<Recommendation>> answers, double seconds) {
    int n = cases.size();
    int[] ranks = new int[n];
    List<List<String>> tops = new ArrayList<>(n);
    double noveltySum = 0;
    int noveltyItems = 0;
    int trainingUsers = catalogue.trainingUsers();
    for (int u = 0; u < n; u++) {
      List<String> ids = answers.get(u).stream().map(Recommendation::itemId).toList();
      ranks[u] = Metrics.rankOf(cases.get(u).itemId(), ids);
      List<String> top = ids.subList(0, Math.min(TOP, ids.size()));
      tops.add(top);
      for (String item : top) {
        noveltySum += Metrics.novelty(Math.min(catalogue.usersOf(item), trainingUsers), trainingUsers);
        noveltyItems++;
      }
    }
    Map<String, Estimate> metrics = new LinkedHashMap<>();
    for (int k : EvaluationSettings.CUTOFFS) {
      metrics.put("hr@" + k, estimate(ranks, rank -> Metrics.hitRate(rank, k)));
    }
    for (int k : EvaluationSettings.CUTOFFS) {
      metrics.put("ndcg@" + k, estimate(ranks, rank -> Metrics.ndcg(rank, k)));
    }
    metrics.put("mrr", estimate(ranks, Metrics::reciprocalRank));
    double coverage = Metrics.coverage(tops, TOP, catalogue.size());
    double novelty = noveltyItems == 0 ? 0 : noveltySum / noveltyItems;
    return new MethodResult(method.name(), method.description(), n, metrics, coverage, novelty, seconds, "");
  }

  private static double[] perUser(
      List<TestCase> cases, List<List<Recommendation>> answers, IntToDoubleFunction metric) {
    double[] values = new double[cases.size()];
    for (int u = 0; u < values.length; u++) {
      List<String> ids = answers.get(u).stream().map(Recommendation::itemId).toList();
      values[u] = metric.applyAsDouble(Metrics.rankOf(cases.get(u).itemId(), ids));
    }
    return values;
  }

  private RecallStageResult summariseRecall(String path, List<RecallOutcome> outcomes) {
    int n = outcomes.size();
    Map<Integer, Estimate> merged = new LinkedHashMap<>();
    for (int cutoff : settings.recallCutoffs()) {
      double[] values = new double[n];
      for (int u = 0; u < n; u++) {
        values[u] = Metrics.recallAt(outcomes.get(u).position(), cutoff);
      }
      merged.put(cutoff, settings.bootstrap().estimate(values));
    }
    Map<String, Estimate> perSource = new LinkedHashMap<>();
    Map<String, Double> sizes = new LinkedHashMap<>();
    for (RecallSource source : RecallSource.values()) {
      if (source == RecallSource.RECALL_SOURCE_UNSPECIFIED || source == RecallSource.UNRECOGNIZED) {
        continue;
      }
      double[] values = new double[n];
      double total = 0;
      for (int u = 0; u < n; u++) {
        values[u] = outcomes.get(u).sources().contains(source) ? 1 : 0;
        total += outcomes.get(u).sourceSizes().getOrDefault(source, 0);
      }
      if (total == 0) {
        continue; // the source is off or has nothing for these users
      }
      perSource.put(sourceName(source), settings.bootstrap().estimate(values));
      sizes.put(sourceName(source), total / Math.max(1, n));
    }
    return new RecallStageResult(path, settings.probeCandidates(), merged, perSource, sizes, "");
  }

  /** {@code RECALL_SOURCE_CO_OCCURRENCE} → {@code co-occurrence}. */
  static String sourceName(RecallSource source) {
    return source.name().substring("RECALL_SOURCE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private Estimate estimate(int[] ranks, IntToDoubleFunction metric) {
    double[] values = new double[ranks.length];
    for (int i = 0; i < ranks.length; i++) {
      values[i] = metric.applyAsDouble(ranks[i]);
    }
    return settings.bootstrap().estimate(values);
  }

  static Agreement compareLists(
      String left, String right, List<TestCase> cases, List<List<Recommendation>> a, List<List<Recommendation>> b) {
    int identical = 0;
    double maxDifference = 0;
    List<String> examples = new ArrayList<>();
    for (int u = 0; u < cases.size(); u++) {
      List<Recommendation> x = a.get(u);
      List<Recommendation> y = b.get(u);
      List<String> xIds = x.stream().map(Recommendation::itemId).toList();
      List<String> yIds = y.stream().map(Recommendation::itemId).toList();
      if (!xIds.equals(yIds)) {
        if (examples.size() < MAX_EXAMPLES) {
          examples.add(
              "user %s: %s %s vs %s %s".formatted(cases.get(u).userId(), left, head(xIds), right, head(yIds)));
        }
        continue;
      }
      double userMax = 0;
      for (int i = 0; i < x.size(); i++) {
        float sx = x.get(i).score();
        float sy = y.get(i).score();
        double difference = Math.abs((double) sx - sy) / Math.max(1, Math.abs((double) sx));
        userMax = Math.max(userMax, difference);
      }
      maxDifference = Math.max(maxDifference, userMax);
      if (userMax <= Agreement.SCORE_TOLERANCE) {
        identical++;
      } else if (examples.size() < MAX_EXAMPLES) {
        examples.add("user %s: same items, scores differ by up to %.3g".formatted(cases.get(u).userId(), userMax));
      }
    }
    return new Agreement(left, right, cases.size(), identical, maxDifference, examples);
  }

  static Agreement compareRecall(
      String left, String right, List<TestCase> cases, List<RecallOutcome> a, List<RecallOutcome> b) {
    int identical = 0;
    List<String> examples = new ArrayList<>();
    for (int u = 0; u < cases.size(); u++) {
      RecallOutcome x = a.get(u);
      RecallOutcome y = b.get(u);
      if (x.position() == y.position() && x.sources().equals(y.sources())) {
        identical++;
      } else if (examples.size() < MAX_EXAMPLES) {
        examples.add(
            "user %s: held-out item at %d %s vs %d %s"
                .formatted(cases.get(u).userId(), x.position(), x.sources(), y.position(), y.sources()));
      }
    }
    return new Agreement(left, right, cases.size(), identical, 0, examples);
  }

  private static String head(List<String> ids) {
    return ids.size() <= 5 ? ids.toString() : ids.subList(0, 5) + "... (" + ids.size() + ")";
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
