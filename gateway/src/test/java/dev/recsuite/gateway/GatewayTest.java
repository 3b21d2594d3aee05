package dev.recsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.gateway.internal.Downstreams;
import dev.recsuite.gateway.internal.RecommendHandler;
import dev.recsuite.gateway.internal.RecommendRequestValidator;
import dev.recsuite.gateway.internal.RecommendationPipeline;
import dev.recsuite.gateway.internal.VersionPins;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import dev.recsuite.testing.InProcessGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GatewayTest {

  @RegisterExtension final InProcessGrpc grpc = new InProcessGrpc();

  private final FakeTiers tiers = new FakeTiers();
  private final VersionPins pins = new VersionPins();
  private GatewayServiceGrpc.GatewayServiceBlockingStub gateway;

  @BeforeEach
  void startGateway() throws Exception {
    ManagedChannel downstream = grpc.channel(grpc.startServer(tiers.recall, tiers.features, tiers.ranking));
    Downstreams downstreams =
        new Downstreams(
            RecallServiceGrpc.newFutureStub(downstream),
            FeatureServiceGrpc.newFutureStub(downstream),
            RankingServiceGrpc.newFutureStub(downstream));
    String name = grpc.newServerName();
    GrpcServer server =
        GrpcServer.builder("gateway", InProcessServerBuilder.forName(name))
            .addService(
                new RecommendHandler(
                    new RecommendRequestValidator(50),
                    new RecommendationPipeline(downstreams, 100, pins),
                    Duration.ofSeconds(3),
                    () -> "request-1"))
            .build();
    server.start();
    grpc.register((AutoCloseable) server::stop);
    gateway = GatewayServiceGrpc.newBlockingStub(grpc.channel(name));
  }

  @Test
  void recommend_ranksRecallCandidatesAndCutsToK() {
    RecommendResponse response = gateway.recommend(request("u1", 5));

    assertThat(response.getItemsList())
        .extracting(RecommendedItem::getItemId)
        .containsExactly("c19", "c18", "c17", "c16", "c15");
    assertThat(response.getItems(0).getTitle()).isEqualTo("Title c19");
    assertThat(response.getItems(0).getGenresList()).containsExactly("Drama");
    assertThat(response.getItems(0).getSourcesList())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.getSource()).isEqualTo(RecallSource.RECALL_SOURCE_COLLABORATIVE);
          assertThat(s.getRank()).isEqualTo(19);
        });
    assertThat(response.getModelVersion()).isEqualTo("ranking-v1");
    assertThat(response.getRequestId()).isEqualTo("request-1");
    assertThat(response.getDegraded()).isFalse();
    assertThat(response.getDegradedReasonsList()).isEmpty();
  }

  @Test
  void recommend_forwardsQueryExclusionsAndFiltersToRecall() {
    gateway.recommend(
        request("u1", 3).toBuilder()
            .setQuery("space")
            .addExcludeItemIds("c3")
            .setFilter(ItemFilter.newBuilder().addIncludeGenres("Sci-Fi"))
            .addCandidateItemIds("c5")
            .build());

    assertThat(tiers.lastRecall.get().getUserId()).isEqualTo("u1");
    assertThat(tiers.lastRecall.get().getQuery()).isEqualTo("space");
    assertThat(tiers.lastRecall.get().getExcludeItemIdsList()).containsExactly("c3");
    assertThat(tiers.lastRecall.get().getFilter().getIncludeGenresList()).containsExactly("Sci-Fi");
    assertThat(tiers.lastRecall.get().getCandidateItemIdsList()).containsExactly("c5");
    assertThat(tiers.lastRecall.get().getMaxCandidates()).isEqualTo(100);
    assertThat(tiers.lastRank.get().getCandidatesCount()).isEqualTo(20);
    assertThat(tiers.lastRank.get().getCandidates(0).getFeatures().getTitle()).isEqualTo("Title c0");
  }

  @Test
  void recommend_neverReturnsExcludedOrUnrecalledItems() {
    tiers.rankerIntruder = "not-recalled";

    RecommendResponse response =
        gateway.recommend(request("u1", 5).toBuilder().addExcludeItemIds("c19").build());

    assertThat(response.getItemsList())
        .extracting(RecommendedItem::getItemId)
        .containsExactly("c18", "c17", "c16", "c15", "c14");
  }

  @Test
  void recommend_callerWithoutDeadline_getsTheDefaultBudgetOnDownstreamCalls() {
    gateway.recommend(request("u1", 1));

    assertThat(tiers.recallDeadline.get()).isNotNull();
    assertThat(tiers.recallDeadline.get().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 3_000L);
  }

  @Test
  void recommend_callerDeadline_propagatesToDownstreamCalls() {
    gateway.withDeadlineAfter(700, TimeUnit.MILLISECONDS).recommend(request("u1", 1));

    assertThat(tiers.recallDeadline.get().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 700L);
  }

  @Test
  void recommend_pinsEveryCallToTheNewestVersionAllTiersLoaded() {
    tiers.newest.put("recall", "v2");
    tiers.newest.put("features", "v2");
    tiers.newest.put("ranking", "v1");

    gateway.recommend(request("u1", 3));
    assertThat(tiers.lastRecall.get().getBundleVersion()).as("unpinned until every tier answered").isEmpty();

    gateway.recommend(request("u1", 3));
    assertThat(tiers.lastRecall.get().getBundleVersion()).isEqualTo("v1");
    assertThat(tiers.lastRank.get().getBundleVersion()).isEqualTo("v1");
    assertThat(tiers.lastUserFeatures.get().getBundleVersion()).isEqualTo("v1");

    tiers.newest.put("ranking", "v2");
    gateway.recommend(request("u1", 3));
    gateway.recommend(request("u1", 3));
    assertThat(tiers.lastRecall.get().getBundleVersion()).isEqualTo("v2");
  }

  @Test
  void recommend_rankingDown_answersInRecallOrderFlagged() {
    tiers.rankingFailure.set(Status.UNAVAILABLE);

    RecommendResponse response = gateway.recommend(request("u1", 3));

    assertThat(response.getItemsList()).extracting(RecommendedItem::getItemId).containsExactly("c0", "c1", "c2");
    assertThat(response.getDegraded()).isTrue();
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
    assertThat(response.getModelVersion()).isEqualTo("recall-v1");
  }

  @Test
  void recommend_featuresDown_ranksWithDefaultsFlagged() {
    tiers.userFailure.set(Status.UNAVAILABLE);
    tiers.itemFailure.set(Status.INTERNAL);

    RecommendResponse response = gateway.recommend(request("u1", 3));

    assertThat(response.getItemsList()).extracting(RecommendedItem::getItemId).containsExactly("c19", "c18", "c17");
    assertThat(response.getDegradedReasonsList())
        .containsExactlyInAnyOrder(
            DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE,
            DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE);
    assertThat(tiers.lastRank.get().getUser().getKnown()).isFalse();
    assertThat(tiers.lastRank.get().getCandidates(0).getFeatures().getItemId()).isEqualTo("c0");
  }

  @Test
  void recommend_recallDown_failsUnavailableNamingTheTier() {
    tiers.recallFailure.set(Status.INTERNAL.withDescription("boom"));

    assertThatThrownBy(() -> gateway.recommend(request("u1", 3)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("recall tier failed");
            });
  }

  @Test
  void recommend_noCandidates_answersEmptyWithoutRanking() {
    tiers.candidates = 0;

    RecommendResponse response = gateway.recommend(request("u1", 3));

    assertThat(response.getItemsList()).isEmpty();
    assertThat(tiers.lastRank.get()).isNull();
  }

  @Test
  void recommend_invalidRequests_failInvalidArgumentNamingTheField() {
    assertInvalid(request("", 3), "user_id");
    assertInvalid(request("u\u0001", 3), "user_id");
    assertInvalid(request("x".repeat(129), 3), "user_id");
    assertInvalid(request("u1", 0), "k");
    assertInvalid(request("u1", 51), "k");
    assertInvalid(request("u1", 3).toBuilder().setQuery("q".repeat(513)).build(), "query");
    assertInvalid(
        request("u1", 3).toBuilder().addAllExcludeItemIds(java.util.Collections.nCopies(1_001, "i")).build(),
        "exclude_item_ids");
    assertInvalid(request("u1", 3).toBuilder().addExcludeItemIds("").build(), "exclude_item_ids[0]");
    assertInvalid(
        request("u1", 3).toBuilder().addAllCandidateItemIds(java.util.Collections.nCopies(1_001, "i")).build(),
        "candidate_item_ids");
    assertInvalid(
        request("u1", 3).toBuilder().setFilter(ItemFilter.newBuilder().addIncludeGenres("")).build(),
        "filter.include_genres[0]");
    assertInvalid(request("u1", 3).toBuilder().putContext("k", "v".repeat(257)).build(), "context");
    assertThat(tiers.lastRecall.get()).isNull();
  }

  private void assertInvalid(RecommendRequest request, String field) {
    assertThatThrownBy(() -> gateway.recommend(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith(field);
            });
  }

  private static RecommendRequest request(String user, int k) {
    return RecommendRequest.newBuilder().setUserId(user).setK(k).build();
  }

}
