package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleSettings;
import dev.recsuite.ranking.internal.ScoreOrder;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.ranking.v1.ScoredItem;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled process minus {@code main}: Guice graph, Netty on an ephemeral port, lifecycle,
 * serving a logistic and a factorisation-machine bundle.
 */
@Timeout(60)
class RankingServiceModuleTest {

  @TempDir Path bundles;

  @Test
  void lifecycle_servesTheNewestBundlesModelOverTheNetwork() throws Exception {
    TestBundles.write(bundles, "20261130-090000-old", LinearRankerTest.handModel().toBuilder().setBias(5).build());
    TestBundles.write(bundles, "20261130-100000-new", LinearRankerTest.handModel());
    RankingServiceConfig config =
        new RankingServiceConfig(ServerSettings.defaults().withPort(0), BundleSettings.of(bundles), 100);
    Injector injector = Guice.createInjector(new RankingServiceModule(config));
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", injector.getInstance(GrpcServer.class).port())
            .usePlaintext()
            .build();
    try {
      RankResponse response =
          RankingServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .rank(
                  RankRequest.newBuilder()
                      .addCandidates(candidate("low", 0.25f))
                      .addCandidates(candidate("high", 0.75f))
                      .build());
      ServingStatus health =
          HealthGrpc.newBlockingStub(channel)
              .check(HealthCheckRequest.newBuilder().setService("dev.recsuite.ranking.v1.RankingService").build())
              .getStatus();

      assertThat(response.getModelVersion()).isEqualTo("20261130-100000-new");
      assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("high", "low");
      // handModel: −1 + 2·(0.75 − 0.5)/0.25 − 1·(1 − 1) = 1
      assertThat(response.getItems(0).getScore()).isEqualTo(1f);
      assertThat(health).isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      lifecycle.stop();
    }
    assertThat(lifecycle.isStopped()).isTrue();
  }

  @Test
  void lifecycle_servesAFactorizationMachineBundleInItsScoreOrder() throws Exception {
    TrainingSet train = FactorizationMachineTrainerTest.plantedInteraction(new Random(11), 300, 10);
    RankerModel fm =
        new FactorizationMachineTrainer(FactorizationMachineTrainer.Parameters.defaults()).train(train);
    TestBundles.write(bundles, "20261130-100000-fm", fm);
    UserFeatures user =
        UserFeatures.newBuilder()
            .setKnown(true)
            .setMeanRating(3.5f)
            .setInteractionCount(30)
            .putGenreAffinity("Drama", 0.8f)
            .build();
    RankRequest.Builder request = RankRequest.newBuilder().setUser(user);
    for (int i = 0; i < 30; i++) {
      RankCandidate.Builder candidate = candidate("item-" + i, i / 30f).toBuilder();
      candidate.getFeaturesBuilder().addGenres(i % 2 == 0 ? "Drama" : "Comedy");
      if (i % 3 == 0) {
        candidate.addSources(RankingFeaturesTest.source(RecallSource.RECALL_SOURCE_CONTENT, 0.5f, i));
      }
      request.addCandidates(candidate);
    }
    float[] expected = FactorizationMachineRanker.fromModel(fm).score(user, request.getCandidatesList());
    RankingServiceConfig config =
        new RankingServiceConfig(ServerSettings.defaults().withPort(0), BundleSettings.of(bundles), 100);
    Injector injector = Guice.createInjector(new RankingServiceModule(config));
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", injector.getInstance(GrpcServer.class).port())
            .usePlaintext()
            .build();
    try {
      RankResponse response =
          RankingServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .rank(request.build());

      assertThat(response.getModelVersion()).isEqualTo("20261130-100000-fm");
      int[] order = ScoreOrder.descending(expected);
      assertThat(response.getItemsList()).hasSize(30);
      for (int r = 0; r < order.length; r++) {
        assertThat(response.getItems(r).getItemId()).isEqualTo("item-" + order[r]);
        assertThat(response.getItems(r).getScore()).isEqualTo(expected[order[r]]);
      }
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      lifecycle.stop();
    }
  }

  private static RankCandidate candidate(String id, float popularity) {
    return RankCandidate.newBuilder()
        .setItemId(id)
        .setFeatures(ItemFeatures.newBuilder().setItemId(id).setKnown(true).setPopularity(popularity))
        .build();
  }
}
