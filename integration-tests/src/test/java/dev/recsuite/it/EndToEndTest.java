package dev.recsuite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.datasets.Datasets;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.testing.MovieLensData;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import dev.recsuite.trainer.TrainingResult;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole suite on MovieLens 100K: a bundle trained once for the class, the four services on
 * real loopback sockets, {@code Recommend} through the gateway.
 */
class EndToEndTest {

  private static final int K = 10;

  @TempDir static Path bundles;

  private static RunningSuite suite;
  private static Dataset train;
  private static String version;
  private static GatewayServiceGrpc.GatewayServiceBlockingStub gateway;

  @BeforeAll
  static void trainAndStart() throws Exception {
    Dataset data = Datasets.load(MovieLensData.ml100k());
    TrainingResult result =
        new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC()).train(data, bundles, "ml-100k");
    version = result.version();
    Bundle bundle = new BundleRepository(bundles).openLatest();
    train = BundleTables.readTrainingData(bundle);
    suite = RunningSuite.start(bundles);
    ManagedChannel channel = suite.channel(suite.gatewayPort());
    gateway = GatewayServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws Exception {
    if (suite != null) {
      suite.close();
    }
  }

  @Test
  void everyTier_reportsServingOnItsHealthService() {
    for (int port : List.of(suite.gatewayPort(), suite.recallPort(), suite.featurePort(), suite.rankingPort())) {
      ServingStatus status =
          HealthGrpc.newBlockingStub(suite.channel(port))
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus();
      assertThat(status).as("health on port %d", port).isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void knownUsers_getKDistinctUnseenItemsWithSources() {
    Interactions history = train.interactions();
    for (int user = 0; user < train.users().size(); user += 47) {
      String userId = train.users().get(user).id();
      Set<String> seen = new HashSet<>();
      for (int i = history.start(user); i < history.end(user); i++) {
        seen.add(train.items().get(history.item(i)).id());
      }

      RecommendResponse response = recommend(RecommendRequest.newBuilder().setUserId(userId).setK(K).build());

      List<String> ids = ids(response);
      assertThat(ids).as("user %s", userId).hasSize(K).doesNotHaveDuplicates().doesNotContainAnyElementsOf(seen);
      assertThat(response.getItemsList()).allSatisfy(item -> assertThat(item.getSourcesList()).isNotEmpty());
      assertThat(response.getItemsList()).allSatisfy(item -> assertThat(item.getTitle()).isNotBlank());
      assertThat(scores(response)).isSortedAccordingTo((a, b) -> Float.compare(b, a));
      assertThat(response.getModelVersion()).isEqualTo(version);
      assertThat(response.getDegraded()).isFalse();
      assertThat(response.getRequestId()).isNotBlank();
    }
  }

  @Test
  void knownUser_getsCollaborativeCandidates() {
    RecommendResponse response = recommend(RecommendRequest.newBuilder().setUserId("1").setK(K).build());

    assertThat(response.getItemsList())
        .flatExtracting(RecommendedItem::getSourcesList)
        .extracting(SourceScore::getSource)
        .contains(RecallSource.RECALL_SOURCE_COLLABORATIVE);
  }

  @Test
  void unknownUser_getsColdStartRecommendations() {
    RecommendResponse response =
        recommend(RecommendRequest.newBuilder().setUserId("someone-new").setK(K).build());

    assertThat(ids(response)).hasSize(K).doesNotHaveDuplicates();
    assertThat(response.getItemsList())
        .flatExtracting(RecommendedItem::getSourcesList)
        .extracting(SourceScore::getSource)
        .contains(RecallSource.RECALL_SOURCE_POPULAR);
    assertThat(response.getDegraded()).isFalse();
  }

  @Test
  void query_steersRecommendationsTowardsMatchingTitles() {
    RecommendResponse response =
        recommend(RecommendRequest.newBuilder().setUserId("1").setK(K).setQuery("star trek").build());

    assertThat(ids(response)).hasSize(K).doesNotHaveDuplicates();
    assertThat(response.getItemsList())
        .filteredOn(item -> item.getSourcesList().stream().anyMatch(s -> s.getSource() == RecallSource.RECALL_SOURCE_QUERY))
        .isNotEmpty()
        .anySatisfy(item -> assertThat(item.getTitle().toLowerCase(Locale.ROOT)).contains("star trek"));
  }

  @Test
  void genreFilter_andExclusions_areHonoured() {
    RecommendResponse unfiltered = recommend(RecommendRequest.newBuilder().setUserId("1").setK(K).build());
    String excluded = unfiltered.getItems(0).getItemId();

    RecommendResponse response =
        recommend(
            RecommendRequest.newBuilder()
                .setUserId("1")
                .setK(K)
                .addExcludeItemIds(excluded)
                .setFilter(ItemFilter.newBuilder().addIncludeGenres("comedy").addExcludeGenres("Romance"))
                .build());

    assertThat(ids(response)).hasSize(K).doesNotContain(excluded);
    assertThat(response.getItemsList())
        .allSatisfy(item -> assertThat(item.getGenresList()).contains("Comedy").doesNotContain("Romance"));
  }

  @Test
  void invalidRequest_isRejectedOverTheWireNamingTheField() {
    assertThatThrownBy(() -> recommend(RecommendRequest.newBuilder().setUserId("1").setK(0).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("k:");
            });
  }

  private static RecommendResponse recommend(RecommendRequest request) {
    return gateway.withDeadlineAfter(10, TimeUnit.SECONDS).recommend(request);
  }

  private static List<String> ids(RecommendResponse response) {
    return response.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }

  private static List<Float> scores(RecommendResponse response) {
    return response.getItemsList().stream().map(RecommendedItem::getScore).toList();
  }
}
