package dev.recsuite.trainer;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStores;
import dev.recsuite.recall.cf.AlsParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: reads a data set, trains every model and publishes a new bundle version. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Train a model bundle from a data set (default: the embedded synthetic data) and publish it.")
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Option(names = "--out", paramLabel = "<dir>", defaultValue = "bundles",
      description = "Bundle root; the new version is published as a sub-directory.")
  Path out;

  @Option(names = "--label", paramLabel = "<label>",
      description = "Label of the version name (default: the data directory's name, or synthetic).")
  String label;

  @Option(names = "--cf-factors", paramLabel = "<n>", description = "ALS latent factors (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int factors;

  @Option(names = "--cf-iterations", paramLabel = "<n>", defaultValue = "15", description = "ALS sweeps.")
  int iterations;

  @Option(names = "--cf-regularization", paramLabel = "<lambda>", defaultValue = "1.0", description = "ALS L2 penalty.")
  double regularization;

  @Option(names = "--cf-alpha", paramLabel = "<alpha>", defaultValue = "2.0", description = "ALS confidence slope.")
  double alpha;

  @Option(names = "--threads", paramLabel = "<n>", description = "Training threads (default: all processors).")
  Integer threads;

  @Option(names = "--ranker", paramLabel = "<kind>", defaultValue = "FM",
      description = "Ranking model: ${COMPLETION-CANDIDATES} (case-insensitive).")
  RankerSettings.Kind ranker;

  @Option(names = "--feedback", paramLabel = "<store>",
      description = "Also train on the events of a feedback store: embedded:DIR (the feature service's --feedback-dir;"
          + " RocksDB allows one process, so stop the feature service or use Redis) or redis://host[:port][/db]."
          + " Every event but DISLIKE becomes an interaction (RATING with its value); unknown users and items are added.")
  String feedback;

  @Option(names = "--feedback-redis-key-prefix", paramLabel = "<prefix>",
      defaultValue = FeedbackStoreConfig.DEFAULT_REDIS_KEY_PREFIX,
      description = "Key prefix of the Redis feedback store (the feature service's --redis-key-prefix).")
  String feedbackRedisKeyPrefix;

  @Option(names = "--tune",
      description = "Choose the ALS factors, regularisation and alpha on the validation split first"
          + " (a 27-point grid around the given values; slower).")
  boolean tune;

  @Override
  public Integer call() throws Exception {
    PrintWriter output = spec.commandLine().getOut();
    AlsParameters als =
        AlsParameters.defaults()
            .withFactors(factors)
            .withIterations(iterations)
            .withRegularization(regularization)
            .withAlpha(alpha);
    if (threads != null) {
      als = als.withThreads(threads);
    }
    TrainerSettings settings =
        TrainerSettings.defaults()
            .withAls(als)
            .withRanker(RankerSettings.defaults().withKind(ranker))
            .withTune(tune);
    Dataset dataset = data.load();
    if (feedback != null) {
      FeedbackStoreConfig store = FeedbackData.config(feedback, feedbackRedisKeyPrefix);
      try (FeedbackStore opened = FeedbackStores.open(store)) {
        FeedbackData.Merged merged = FeedbackData.append(dataset, opened, store.location());
        FeedbackData.Summary summary = merged.summary();
        output.printf(
            "Added %d interactions from %d feedback events of %s (%d dislikes left out; %d new users, %d new items)%n",
            summary.interactions(), summary.events(), store.location(), summary.dislikes(), summary.newUsers(),
            summary.newItems());
        output.flush();
        dataset = merged.dataset();
      }
    }
    TrainingResult result =
        new TrainingPipeline(settings, Clock.systemUTC())
            .train(dataset, out.toAbsolutePath().normalize(), label != null ? label : data.label());
    output.printf("Published bundle %s at %s (%.1f s)%n", result.version(), result.directory(), result.elapsed().toMillis() / 1000.0);
    for (Map.Entry<String, Double> metric : result.manifest().getMetricsMap().entrySet()) {
      output.printf(Locale.ROOT, "  %-44s %10.4f%n", metric.getKey(), metric.getValue());
    }
    output.flush();
    return 0;
  }
}
