package dev.recsuite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import dev.recsuite.trainer.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new bundle published while the suite serves a steady load: every tier loads it beside the old
 * one, the gateway moves to it once all have, and no request fails, degrades or mixes versions.
 */
class HotSwapTest {

  private static final int REQUESTS = 2_000;
  private static final int CONCURRENCY = 8;

  @TempDir Path bundles;
  @TempDir Path staging;

  @Test
  void newBundleUnderLoad_servesEveryRequestWithASingleVersion() throws Exception {
    Dataset data = SyntheticData.generate(SyntheticSpec.defaults().withSize(300, 400, 30));
    String first = train(data, bundles, "2026-01-01T00:00:00Z");
    // Trained beforehand in another root, published below with one atomic rename, as a trainer
    // writing to the same volume would.
    String second = train(data, staging, "2026-01-02T00:00:00Z");

    try (RunningSuite suite =
        RunningSuite.builder(bundles).tierArgs("--bundle-poll-interval", "100ms").start()) {
      Load load = Load.start(suite.gatewayChannel(), REQUESTS, CONCURRENCY, Duration.ofSeconds(5), response -> {});
      await().atMost(Duration.ofSeconds(60)).until(() -> load.completed() >= 300);
      Files.move(staging.resolve(second), bundles.resolve(second), StandardCopyOption.ATOMIC_MOVE);
      Load.Result result = load.await();

      List<String> versions =
          load.outcomes().stream().map(Load.Outcome::response).filter(Objects::nonNull)
              .map(RecommendResponse::getModelVersion).toList();
      Map<String, Long> perVersion =
          versions.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(result.failed()).as("failed requests: %s", result).isZero();
      assertThat(result.degraded()).as("degraded requests: %s", result).isZero();
      assertThat(perVersion.keySet()).as("versions answered").containsExactlyInAnyOrder(first, second);
      assertThat(versions.subList(versions.size() - 100, versions.size()))
          .as("the gateway has moved to the new version by the end")
          .containsOnly(second);

      for (RunningSuite.Tier tier : List.of(RunningSuite.Tier.RECALL, RunningSuite.Tier.FEATURES, RunningSuite.Tier.RANKING)) {
        List<VersionLog.Served> served = suite.replica(tier, 0).versions.served();
        List<VersionLog.Served> pinned = served.stream().filter(s -> !s.pinned().isEmpty()).toList();
        assertThat(pinned).as("%s calls pinned to a version", tier).hasSizeGreaterThan(served.size() * 9 / 10);
        assertThat(pinned)
            .as("%s answered every pinned call with the pinned version", tier)
            .allSatisfy(s -> assertThat(s.served()).isEqualTo(s.pinned()));
        assertThat(pinned).extracting(VersionLog.Served::pinned).contains(first, second);
      }
    }
  }

  private static String train(Dataset data, Path root, String at) throws Exception {
    Clock clock = Clock.fixed(Instant.parse(at), ZoneOffset.UTC);
    TrainingResult result = new TrainingPipeline(TrainerSettings.defaults(), clock).train(data, root, "hotswap");
    return result.version();
  }
}
