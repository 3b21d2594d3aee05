package dev.recsuite.evaluation;

import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.evaluation.internal.ReportJson;
import dev.recsuite.evaluation.internal.ReportTable;
import dev.recsuite.gateway.GatewayConfig;
import dev.recsuite.grpc.DurationConverter;
import dev.recsuite.recall.RecallServiceConfig;
import dev.recsuite.recall.RecallSettings;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.trainer.DataOptions;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import dev.recsuite.trainer.TrainingResult;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: trains (or loads) a bundle, starts the suite in this JVM (or connects to a
 * running gateway), and measures the full pipeline through {@code Recommend} over gRPC and in
 * process, beside the baselines, under the leave-last-out full-ranking protocol and the sampled
 * protocol of the NCF paper. Prints a table and optionally writes every figure as JSON.
 *
 * <p>Exit codes: 0 when every method ran and the gRPC and in-process paths agree; 3 when a method
 * failed or the paths disagree (the figures are still printed); 2 for invalid options; 1 for other
 * errors.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Evaluate the suite through the gateway and in process, beside baselines (most-popular, item-kNN,"
          + " CF-only, content-only), under the leave-last-out full-ranking protocol and the sampled"
          + " protocol of the NCF paper (He et al. 2017).",
      "Exit code 3 when a method fails or the gRPC and in-process paths disagree."
    })
public final class EvaluateCommand implements Callable<Integer> {

  /** Exit code when a method failed or two paths that must agree did not. */
  public static final int EXIT_UNHEALTHY = 3;

  /** Most sampled negatives: with the test item, the gateway's limit of 1,000 candidate ids. */
  static final int MAX_SAMPLED_NEGATIVES = 999;

  private static final Logger log = LoggerFactory.getLogger(EvaluateCommand.class);

  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Option(names = "--bundle", paramLabel = "<dir>",
      description = "Evaluate this published bundle (a version directory) instead of training one.")
  Path bundle;

  @Option(names = "--bundles", paramLabel = "<dir>", defaultValue = ".recsuite/eval-bundles",
      description = "Bundle root where the bundle trained for the evaluation is published.")
  Path bundles;

  @Option(names = "--train", paramLabel = "<file>",
      description = "NCF train.rating file (user<TAB>item<TAB>rating<TAB>timestamp, 0-based ids): train on exactly"
          + " this split instead of --data. Needs --test.")
  Path ncfTrain;

  @Option(names = "--test", paramLabel = "<file>",
      description = "NCF test.rating file: each user's held-out interaction.")
  Path ncfTest;

  @Option(names = "--negatives", paramLabel = "<file>",
      description = "NCF test.negative file ((user,item) then the negative ids, tab-separated): the sampled"
          + " protocol ranks against these instead of sampling.")
  Path ncfNegatives;

  @Option(names = "--protocol", paramLabel = "<protocol>", defaultValue = "both",
      description = "full, sampled or both.")
  String protocol;

  @Option(names = "--sampled-negatives", paramLabel = "<n>", defaultValue = "" + TestSet.DEFAULT_NEGATIVES,
      description = "Unseen items sampled per user for the sampled protocol (without --negatives).")
  int sampledNegatives;

  @Option(names = "--target", paramLabel = "<host:port>",
      description = "Gateway of a running suite to evaluate (it must serve the evaluated bundle). Default: start"
          + " the four services in this JVM on loopback ports.")
  String target;

  @Option(names = "--recall-target", paramLabel = "<host:port>",
      description = "Recall tier of the running suite, to measure the recall stage over gRPC with --target.")
  String recallTarget;

  @Option(names = "--recall-candidates", paramLabel = "<n>", defaultValue = "" + GatewayConfig.DEFAULT_RECALL_CANDIDATES,
      description = "The gateway's recall candidates (the in-JVM suite is started with it; the in-process"
          + " pipeline uses it).")
  int recallCandidates;

  @Option(names = "--probe-candidates", paramLabel = "<n>", defaultValue = "" + RecallServiceConfig.DEFAULT_MAX_CANDIDATES,
      description = "Merged candidates asked of the recall stage per user when measuring Recall@N.")
  int probeCandidates;

  @Option(names = "--concurrency", paramLabel = "<n>", defaultValue = "8",
      description = "gRPC calls in flight.")
  int concurrency;

  @Option(names = "--threads", paramLabel = "<n>",
      description = "Users evaluated at once in process (default: the number of processors).")
  Integer threads;

  @Option(names = "--max-users", paramLabel = "<n>", defaultValue = "0",
      description = "Evaluate at most this many users, drawn with --seed (0: all).")
  int maxUsers;

  @Option(names = "--knn-neighbours", paramLabel = "<n>", defaultValue = "0",
      description = "Neighbours kept per item by item-kNN (0: all).")
  int knnNeighbours;

  @Option(names = "--bootstrap", paramLabel = "<n>", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES,
      description = "Bootstrap resamples of the 95%% confidence intervals.")
  int bootstrapResamples;

  @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "42",
      description = "Seed of the sampled negatives, candidate order, user subsample and bootstrap.")
  long seed;

  @Option(names = "--deadline", paramLabel = "<duration>", defaultValue = "30s", converter = DurationConverter.class,
      description = "Deadline of each gRPC call.")
  Duration deadline;

  @Option(names = "--progress-interval", paramLabel = "<duration>", defaultValue = "5s",
      converter = DurationConverter.class, description = "How often progress is logged.")
  Duration progressInterval;

  @Option(names = "--json", paramLabel = "<file>", description = "Also write every figure, the bundle manifest and"
      + " the command line to this JSON file.")
  Path json;

  @Option(names = "--cf-factors", paramLabel = "<n>", description = "ALS latent factors when training (default: the trainer's).")
  Integer cfFactors;

  @Option(names = "--cf-iterations", paramLabel = "<n>", description = "ALS sweeps when training (default: the trainer's).")
  Integer cfIterations;

  @Option(names = "--cf-regularization", paramLabel = "<lambda>", description = "ALS L2 penalty when training (default: the trainer's).")
  Double cfRegularization;

  @Option(names = "--cf-alpha", paramLabel = "<alpha>", description = "ALS confidence slope when training (default: the trainer's).")
  Double cfAlpha;

  private final Clock clock;

  /** A command on the system clock; picocli calls this. */
  public EvaluateCommand() {
    this(Clock.systemUTC());
  }

  /** A command whose start time and bundle versions come from {@code clock}. */
  public EvaluateCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    List<Protocol> protocols = protocols();
    validate();
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();

    Bundle evaluated;
    NcfFiles.Data ncf = null;
    if (bundle != null) {
      evaluated = Bundle.open(bundle.toAbsolutePath().normalize());
      log.info("evaluating bundle {} at {}", evaluated.version(), evaluated.directory());
    } else {
      TrainingPipeline trainer = new TrainingPipeline(trainerSettings(), clock);
      Path root = bundles.toAbsolutePath().normalize();
      TrainingResult trained;
      if (ncfTrain != null) {
        ncf = NcfFiles.read(ncfTrain, ncfTest, ncfNegatives);
        trained = trainer.train(ncf.train(), ncf.holdout(), "ncf-files", root, "ncf");
      } else {
        Dataset dataset = data.load();
        trained = trainer.train(dataset, root, data.label());
      }
      evaluated = Bundle.open(trained.directory());
    }

    try (InProcessModels models =
        InProcessModels.load(evaluated, RecallSettings.defaults(), recallCandidates, knnNeighbours)) {
      Map<String, List<String>> negatives = null;
      String negativesSource = "";
      if (ncf != null && ncfNegatives != null) {
        negatives = ncf.negatives();
        negativesSource = "the negatives of " + ncfNegatives.getFileName();
      } else if (ncfNegatives != null) {
        negatives = NcfFiles.readNegatives(ncfNegatives, models.train(), models.holdout());
        negativesSource = "the negatives of " + ncfNegatives.getFileName();
      }
      List<ProtocolResult> results = new ArrayList<>();
      try (Remote remote = connect(evaluated)) {
        Evaluator evaluator = new Evaluator(evaluationSettings(), models.catalogue());
        for (Protocol p : protocols) {
          TestSet set =
              switch (p) {
                case FULL_RANKING -> TestSet.fullRanking(models.train(), models.holdout());
                case SAMPLED ->
                    negatives != null
                        ? TestSet.sampled(models.train(), models.holdout(), negatives, negativesSource, seed)
                        : TestSet.sampled(models.train(), models.holdout(), sampledNegatives, seed);
              };
          if (maxUsers > 0) {
            set = set.limit(maxUsers, seed);
          }
          log.info("{}: {} users", p.description(), set.cases().size());
          results.add(
              evaluator.evaluate(
                  set,
                  models.baselines(),
                  new GatewayRecommender(remote.gateway(), deadline, evaluated.version()),
                  models.pipeline(),
                  remote.recall() == null ? null : new RecallTierProbe(remote.recall(), probeCandidates, deadline),
                  models.recallProbe(probeCandidates)));
        }
      }
      EvaluationReport report =
          new EvaluationReport(
              commandLine(),
              started,
              (System.nanoTime() - t0) / 1e9,
              evaluated.manifest(),
              settings(evaluated),
              results,
              protocols.contains(Protocol.SAMPLED) ? Anchor.ncfMovieLens1m() : List.of());
      out.print(ReportTable.render(report));
      out.flush();
      if (json != null) {
        Path file = json.toAbsolutePath().normalize();
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        Files.writeString(file, ReportJson.render(report), StandardCharsets.UTF_8);
        out.println("Wrote " + file);
        out.flush();
      }
      return report.healthy() ? 0 : EXIT_UNHEALTHY;
    }
  }

  /** The root command's name, then the arguments as given: {@code recsuite evaluate --data ...}. */
  private List<String> commandLine() {
    List<String> line = new ArrayList<>();
    line.add(spec.root().name());
    line.addAll(spec.root().commandLine().getParseResult().originalArgs());
    return line;
  }

  private List<Protocol> protocols() {
    return switch (protocol) {
      case "full" -> List.of(Protocol.FULL_RANKING);
      case "sampled" -> List.of(Protocol.SAMPLED);
      case "both" -> List.of(Protocol.FULL_RANKING, Protocol.SAMPLED);
      default ->
          throw new ParameterException(
              spec.commandLine(), "--protocol: '" + protocol + "' (expected: full, sampled or both)");
    };
  }

  private void validate() {
    if (ncfTrain != null && ncfTest == null) {
      throw new ParameterException(spec.commandLine(), "--train needs --test (the NCF test.rating file)");
    }
    if (ncfTest != null && ncfTrain == null) {
      throw new ParameterException(spec.commandLine(), "--test needs --train (the NCF train.rating file)");
    }
    if (bundle != null && (ncfTrain != null || !data.synthetic())) {
      throw new ParameterException(
          spec.commandLine(), "--bundle excludes --data and --train: evaluate a bundle or train one");
    }
    if (ncfTrain != null && !data.synthetic()) {
      throw new ParameterException(spec.commandLine(), "--data and --train exclude each other: one data source");
    }
    if (recallTarget != null && target == null) {
      throw new ParameterException(spec.commandLine(), "--recall-target needs --target (the gateway of the same suite)");
    }
    if (sampledNegatives < 1 || sampledNegatives > MAX_SAMPLED_NEGATIVES) {
      throw new ParameterException(
          spec.commandLine(),
          "--sampled-negatives: %d (expected: 1 to %d; the gateway takes at most 1,000 candidate_item_ids)"
              .formatted(sampledNegatives, MAX_SAMPLED_NEGATIVES));
    }
    requirePositive("--recall-candidates", recallCandidates);
    requirePositive("--probe-candidates", probeCandidates);
    requirePositive("--concurrency", concurrency);
    requirePositive("--bootstrap", bootstrapResamples);
    if (threads != null) {
      requirePositive("--threads", threads);
    }
    if (maxUsers < 0) {
      throw new ParameterException(spec.commandLine(), "--max-users: " + maxUsers + " (expected: >= 0, 0 for all)");
    }
    if (knnNeighbours < 0) {
      throw new ParameterException(spec.commandLine(), "--knn-neighbours: " + knnNeighbours + " (expected: >= 0, 0 for all)");
    }
    if (deadline.isZero() || progressInterval.isZero()) {
      throw new ParameterException(spec.commandLine(), "--deadline and --progress-interval: expected > 0");
    }
  }

  private void requirePositive(String option, int value) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), option + ": " + value + " (expected: >= 1)");
    }
  }

  private TrainerSettings trainerSettings() {
    AlsParameters als = AlsParameters.defaults();
    if (cfFactors != null) {
      als = als.withFactors(cfFactors);
    }
    if (cfIterations != null) {
      als = als.withIterations(cfIterations);
    }
    if (cfRegularization != null) {
      als = als.withRegularization(cfRegularization);
    }
    if (cfAlpha != null) {
      als = als.withAlpha(cfAlpha);
    }
    return TrainerSettings.defaults().withAls(als);
  }

  private EvaluationSettings evaluationSettings() {
    List<Integer> cutoffs = new ArrayList<>();
    for (int n : new int[] {100, recallCandidates}) {
      if (n <= probeCandidates && !cutoffs.contains(n)) {
        cutoffs.add(n);
      }
    }
    return new EvaluationSettings(
        concurrency,
        threads != null ? threads : Runtime.getRuntime().availableProcessors(),
        new Bootstrap(bootstrapResamples, seed),
        cutoffs,
        probeCandidates,
        progressInterval);
  }

  private Map<String, String> settings(Bundle evaluated) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("bundle", evaluated.directory().toString());
    settings.put("suite", target != null ? "gateway at " + target : "in-JVM suite on loopback ports");
    settings.put("recall_stage_grpc", target == null || recallTarget != null ? "yes" : "no (no --recall-target)");
    settings.put("protocol", protocol);
    settings.put("sampled_negatives", ncfNegatives != null ? ncfNegatives.toString() : Integer.toString(sampledNegatives));
    settings.put("recall_candidates", Integer.toString(recallCandidates));
    settings.put("probe_candidates", Integer.toString(probeCandidates));
    settings.put("concurrency", Integer.toString(concurrency));
    settings.put("threads", Integer.toString(threads != null ? threads : Runtime.getRuntime().availableProcessors()));
    settings.put("max_users", Integer.toString(maxUsers));
    settings.put("knn_neighbours", Integer.toString(knnNeighbours));
    settings.put("bootstrap_resamples", Integer.toString(bootstrapResamples));
    settings.put("seed", Long.toString(seed));
    return settings;
  }

  /** The suite to call: started here, or a running one; closed after the evaluation. */
  private Remote connect(Bundle evaluated) throws Exception {
    if (target != null) {
      log.info("evaluating the gateway at {}{}", target, recallTarget != null ? " and the recall tier at " + recallTarget : "");
      return new Remote(null, channel(target), recallTarget == null ? null : channel(recallTarget));
    }
    LocalSuite suite = LocalSuite.start(evaluated, recallCandidates);
    try {
      return new Remote(suite, channel(suite.gatewayTarget()), channel(suite.recallTarget()));
    } catch (RuntimeException e) {
      suite.close();
      throw e;
    }
  }

  private static ManagedChannel channel(String target) {
    return NettyChannelBuilder.forTarget(target).usePlaintext().build();
  }

  private record Remote(LocalSuite suite, ManagedChannel gateway, ManagedChannel recall) implements AutoCloseable {
    @Override
    public void close() {
      try {
        for (ManagedChannel channel : new ManagedChannel[] {gateway, recall}) {
          if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (suite != null) {
          suite.close();
        }
      }
    }
  }
}
