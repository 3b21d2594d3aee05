package dev.recsuite.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Item;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.grpc.bundles.BundleWatcher;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.ranking.ServingModel;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallQuery;
import dev.recsuite.recall.RecallSettings;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded corruption of a valid bundle ({@link BundleCorruptor}): {@value #DEFAULT_ITERATIONS}
 * corrupt copies by default ({@code -Dfuzz.bundle.iterations=5000} for a long run, {@code
 * -Dfuzz.seed=N} to vary or reproduce one). Opening a copy and loading it with each tier's model
 * loader (features, recall, ranking) must either succeed or fail with {@link
 * InvalidBundleException}, within seconds: no other exception (no {@code
 * ArrayIndexOutOfBoundsException} or {@code NullPointerException} leaking), no error ({@code
 * OutOfMemoryError}, {@code StackOverflowError}), no hang. A corruption that breaks the checksums
 * fails at {@link Bundle#open}. And a tier watching the directory keeps serving its previous
 * version while corrupt newer ones appear. No class-wide timeout (a long run must not be cut):
 * every open and load is bounded by {@link #LOAD_LIMIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleFuzzTest {

  /** Corrupt copies when {@code fuzz.bundle.iterations} is not set. */
  static final int DEFAULT_ITERATIONS = 200;

  private static final Logger log = LoggerFactory.getLogger(BundleFuzzTest.class);
  private static final Duration LOAD_LIMIT = Duration.ofSeconds(30);

  private final int iterations = Integer.getInteger("fuzz.bundle.iterations", DEFAULT_ITERATIONS);
  private final long seed = Long.getLong("fuzz.seed", 20261130L);

  private Path pristine;
  private String version;
  private List<String> vocabulary;
  private List<String> users;
  private ExecutorService loaders;

  @BeforeAll
  void train(@TempDir Path root) throws Exception {
    Dataset data = SyntheticData.generate(SyntheticSpec.defaults().withSize(60, 80, 12));
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    version = new TrainingPipeline(TrainerSettings.defaults(), clock).train(data, root, "fuzz").version();
    pristine = root.resolve(version);
    users = data.users().stream().map(u -> u.id()).toList();
    List<String> words = new ArrayList<>(users.subList(0, 10));
    words.addAll(data.items().stream().map(Item::id).limit(10).toList());
    vocabulary = words;
    loaders = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("bundle-fuzz-loader").daemon().factory());
  }

  @AfterAll
  void stop() {
    if (loaders != null) {
      loaders.shutdownNow();
    }
  }

  @Test
  void corruptBundles_openAndLoadOrFailWithInvalidBundleException(@TempDir Path work) throws Exception {
    BundleCorruptor corruptor = new BundleCorruptor(new SplittableRandom(seed), vocabulary);
    Map<String, Function<Bundle, ?>> tiers = tierLoaders();
    List<String> failures = new ArrayList<>();
    Map<BundleCorruptor.Kind, int[]> refused = new EnumMap<>(BundleCorruptor.Kind.class);
    Map<String, Integer> outcomes = new TreeMap<>();
    long started = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      Path copy = work.resolve(version + "-" + i);
      BundleCorruptor.copy(pristine, copy);
      BundleCorruptor.Corruption corruption = corruptor.corrupt(copy);
      String where = "seed " + seed + " iteration " + i + " (" + corruption.kind() + ": " + corruption.description() + ")";
      Outcome open = run(() -> Bundle.open(copy));
      refused.computeIfAbsent(corruption.kind(), k -> new int[2])[open.failed() ? 0 : 1]++;
      outcomes.merge("open " + open.label(), 1, Integer::sum);
      if (!open.clean()) {
        failures.add(where + ": Bundle.open " + open.label() + " " + open.message());
      } else if (corruption.kind() == BundleCorruptor.Kind.RAW && !open.failed()) {
        failures.add(where + ": Bundle.open accepted a file that no longer matches its checksum");
      } else if (!open.failed()) {
        Bundle bundle = (Bundle) open.value();
        for (Map.Entry<String, Function<Bundle, ?>> tier : tiers.entrySet()) {
          Outcome load = run(() -> tier.getValue().apply(bundle));
          outcomes.merge(tier.getKey() + " " + load.label(), 1, Integer::sum);
          if (!load.clean()) {
            failures.add(where + ": " + tier.getKey() + " loader " + load.label() + " " + load.message());
          }
          close(load.value());
        }
      }
      deleteTree(copy);
    }
    log.info("bundle fuzz: {} corrupt copies in {} ms; refused/accepted at open by kind {}; outcomes {}",
        iterations, Duration.ofNanos(System.nanoTime() - started).toMillis(), shown(refused), outcomes);

    assertThat(failures).as("corruptions that leaked an unexpected exception or hung (of %d)", iterations).isEmpty();
    assertThat(outcomes.keySet())
        .as("the corruptions reach the checksums and the loaders behind them")
        .contains("open InvalidBundleException", "open ok");
  }

  @Test
  void watchingTier_corruptNewerBundles_keepsServingThePreviousVersion(@TempDir Path root) throws Exception {
    BundleCorruptor.copy(pristine, root.resolve(version));
    ServedBundles<RecallEngine> served = new ServedBundles<>("recall-fuzz", Clock.systemUTC(), Duration.ZERO);
    BundleWatcher<RecallEngine> watcher =
        new BundleWatcher<>("recall-fuzz", new BundleRepository(root), b -> RecallEngine.open(b, RecallSettings.defaults()), served, Duration.ZERO);
    BundleCorruptor corruptor = new BundleCorruptor(new SplittableRandom(seed + 1), vocabulary);
    watcher.start();
    try {
      String serving = version;
      int refused = 0;
      for (int i = 0; i < 12; i++) {
        // Newer names than the pristine one: the watcher tries each as the latest.
        String newer = "20260102-0000" + String.format("%02d", i) + "-corrupt";
        BundleCorruptor.publishCopy(pristine, root.resolve(newer));
        BundleCorruptor.Corruption corruption = corruptor.corrupt(root.resolve(newer));

        boolean loaded = watcher.poll();

        if (loaded) {
          serving = newer; // a harmless corruption (e.g. a dropped manifest entry no loader needs)
        } else {
          refused++;
        }
        try (ServedBundles.Lease<RecallEngine> lease = served.acquire("")) {
          assertThat(lease.version()).as("after %s", corruption).isEqualTo(serving);
          assertThat(lease.model().recall(RecallQuery.forUser(users.get(i), 10)).candidates())
              .as("recall answers with %s after %s", serving, corruption)
              .isNotEmpty();
        }
      }
      String fixed = "20260103-000000-fixed";
      BundleCorruptor.publishCopy(pristine, root.resolve(fixed));
      assertThat(watcher.poll()).as("a valid newer bundle loads after the corrupt ones").isTrue();
      assertThat(served.newestVersion()).isEqualTo(fixed);
      assertThat(refused).as("corrupt bundles refused").isGreaterThanOrEqualTo(6);
    } finally {
      watcher.stop();
      served.stop();
    }
  }

  private static Map<String, Function<Bundle, ?>> tierLoaders() {
    Map<String, Function<Bundle, ?>> tiers = new LinkedHashMap<>();
    tiers.put("features", FeatureStore::load);
    tiers.put("recall", b -> RecallEngine.open(b, RecallSettings.defaults()));
    tiers.put("ranking", ServingModel::load);
    return tiers;
  }

  /** What one load did: its value, or what it threw; {@code clean} unless it leaked or hung. */
  record Outcome(Object value, Throwable thrown, boolean timedOut) {
    boolean failed() {
      return thrown != null || timedOut;
    }

    boolean clean() {
      return !timedOut && (thrown == null || thrown instanceof InvalidBundleException);
    }

    String label() {
      return timedOut ? "hung" : thrown == null ? "ok" : thrown.getClass().getSimpleName();
    }

    String message() {
      if (thrown == null) {
        return "";
      }
      StackTraceElement[] trace = thrown.getStackTrace();
      return thrown.getMessage() + (trace.length > 0 ? " at " + trace[0] : "");
    }
  }

  private Outcome run(Callable<?> load) throws InterruptedException {
    Future<?> future = loaders.submit(load);
    try {
      return new Outcome(future.get(LOAD_LIMIT.toMillis(), TimeUnit.MILLISECONDS), null, false);
    } catch (ExecutionException e) {
      return new Outcome(null, e.getCause(), false);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Outcome(null, null, true);
    }
  }

  private static void close(Object model) throws Exception {
    if (model instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private static String shown(Map<BundleCorruptor.Kind, int[]> refused) {
    StringBuilder out = new StringBuilder();
    refused.forEach((kind, counts) -> out.append(kind).append('=').append(counts[0]).append('/').append(counts[1]).append(' '));
    return out.toString().trim();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
