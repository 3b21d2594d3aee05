package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.datasets.Datasets;
import dev.recsuite.recall.RecallSettings;
import dev.recsuite.testing.MovieLensData;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recommendation quality on MovieLens 100K with the default trainer (ALS, co-occurrence, FM
 * ranker), leave-last-out with full ranking, measured through the real gRPC gateway. The
 * thresholds are the claims the project makes: the pipeline beats most-popular on HR@10 and
 * NDCG@10, and its ranked list beats the ALS score order on NDCG@10, with paired-bootstrap
 * intervals that exclude no lead. Measured values are in docs/RESULTS.md.
 */
class MovieLensQualityTest {

  @TempDir Path dir;

  @Test
  void pipelineThroughTheGateway_beatsMostPopularAndTheCfOrder() throws Exception {
    Bundle bundle =
        Bundle.open(
            new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC())
                .train(Datasets.load(MovieLensData.ml100k()), dir, "ml-100k")
                .directory());
    try (InProcessModels models = InProcessModels.load(bundle, RecallSettings.defaults(), 500, 0);
        LocalSuite suite = LocalSuite.start(bundle, 500)) {
      ManagedChannel channel = NettyChannelBuilder.forTarget(suite.gatewayTarget()).usePlaintext().build();
      try {
        Evaluator evaluator =
            new Evaluator(
                new EvaluationSettings(4, 2, new Bootstrap(1_000, 42), List.of(500), 2_000, Duration.ofSeconds(30)),
                models.catalogue());
        ProtocolResult result =
            evaluator.evaluate(
                TestSet.fullRanking(models.train(), models.holdout()),
                models.baselines(),
                new GatewayRecommender(channel, Duration.ofSeconds(30), bundle.version()),
                models.pipeline(),
                null,
                null);

        MethodResult pipeline = result.method("pipeline (gRPC)");
        MethodResult popular = result.method("most-popular");
        MethodResult cf = result.method("cf-only");
        assertThat(result.users()).isEqualTo(943);
        assertThat(result.healthy()).as("%s %s", result.pipelineAgreement(), result.methods().stream().filter(m -> !m.ok()).toList()).isTrue();
        assertThat(pipeline.mean("hr@10")).isGreaterThan(popular.mean("hr@10"));
        assertThat(pipeline.mean("ndcg@10")).isGreaterThan(popular.mean("ndcg@10"));
        assertThat(pipeline.mean("ndcg@10")).isGreaterThan(cf.mean("ndcg@10"));
        assertThat(result.ndcg10Lead().get("most-popular").lower()).as("lead over most-popular").isPositive();
        assertThat(result.ndcg10Lead().get("cf-only").lower()).as("lead over the CF order").isPositive();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
