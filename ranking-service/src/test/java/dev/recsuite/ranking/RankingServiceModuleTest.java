package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerSettings;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The assembled process minus {@code main}: Guice graph, Netty on an ephemeral port, lifecycle. */
@Timeout(60)
class RankingServiceModuleTest {

  @TempDir Path bundles;

  @Test
  void lifecycle_servesTheNewestBundlesModelOverTheNetwork() throws Exception {
    TestBundles.write(bundles, "20261130-090000-old", LinearRankerTest.handModel().toBuilder().setBias(5).build());
    TestBundles.write(bundles, "20261130-100000-new", LinearRankerTest.handModel());
    RankingServiceConfig config =
        new RankingServiceConfig(ServerSettings.defaults().withPort(0), bundles, 100);
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

  private static RankCandidate candidate(String id, float popularity) {
    return RankCandidate.newBuilder()
        .setItemId(id)
        .setFeatures(ItemFeatures.newBuilder().setItemId(id).setKnown(true).setPopularity(popularity))
        .build();
  }
}
