package dev.recsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway's request flow and fallbacks against fake tiers, over the in-process transport. */
@Timeout(60)
class GatewayTest {

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  private final FakeTiers tiers = new FakeTiers();

  private TestGateway start(String... args) throws Exception {
    return TestGateway.start(grpc, tiers, args);
  }

  /** A gateway whose popular list is loaded. */
  private TestGateway startWithPopularList(String... args) throws Exception {
    TestGateway gateway = start(args);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.stats.popularListSize() == 10);
    return gateway;
  }

  @Test
  void recommend_ranksRecallCandidatesAndCutsToK() throws Exception {
    TestGateway gateway = start();

    RecommendResponse response = gateway.stub.recommend(request("u1", 5));

    assertThat(ids(response)).containsExactly("c19", "c18", "c17", "c16", "c15");
    assertThat(response.getItems(0).getTitle()).isEqualTo("Title c19");
    assertThat(response.getItems(0).getGenresList()).containsExactly("Drama");
    assertThat(response.getItems(0).getSourcesList())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.getSource()).isEqualTo(RecallSource.RECALL_SOURCE_COLLABORATIVE);
          assertThat(s.getRank()).isEqualTo(19);
        });
    assertThat(response.getModelVersion()).isEqualTo("ranking-v1");
    assertThat(response.getRequestId()).isNotBlank();
    assertThat(response.getDegraded()).isFalse();
    assertThat(response.getDegradedReasonsList()).isEmpty();
    assertThat(gateway.stats.requests()).isEqualTo(1);
    assertThat(gateway.stats.degradedRequests()).isZero();
  }

  @Test
  void recommend_forwardsQueryExclusionsAndFiltersToRecall() throws Exception {
    TestGateway gateway = start("--recall-candidates", "100");

    gateway.stub.recommend(
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
    assertThat(tiers.lastRank.get().getCandidates(0).getItemId()).isEqualTo("c0");
    assertThat(tiers.lastRank.get().getCandidates(0).getSourcesList()).hasSize(1);
  }

  @Test
  void recommend_ranksIdsAndSourcesWithoutItemFeaturesAndAsksForTheDisplayFieldsOfK() throws Exception {
    TestGateway gateway = start();

    RecommendResponse response = gateway.stub.recommend(request("u1", 4));

    assertThat(tiers.lastRank.get().getCandidatesList()).allSatisfy(c -> assertThat(c.hasFeatures()).isFalse());
    // k and a slack of 4 for a stray item.
    assertThat(tiers.lastRank.get().getDescribeTop()).isEqualTo(8);
    assertThat(tiers.lastRank.get().getMaxItems()).isEqualTo(8);
    assertThat(tiers.itemMethod.calls).as("no GetItemFeatures round trip").hasValue(0);
    assertThat(response.getItemsList()).extracting(RecommendedItem::getTitle)
        .containsExactly("Title c19", "Title c18", "Title c17", "Title c16");
  }

  @Test
  void recommend_excludedAndFreshItemsAmongTheCandidates_areDescribedToo() throws Exception {
    TestGateway gateway = start();
    tiers.disliked.set(List.of("c18", "c2"));

    RecommendResponse response =
        gateway.stub.recommend(request("u1", 3).toBuilder().addExcludeItemIds("c19").addExcludeItemIds("zz").build());

    // c19 (excluded) and c18 (disliked) are ranked first and dropped: k 3 + 3 dropped + slack 4.
    assertThat(tiers.lastRank.get().getDescribeTop()).isEqualTo(10);
    assertThat(tiers.lastRank.get().getMaxItems()).isEqualTo(10);
    assertThat(ids(response)).containsExactly("c17", "c16", "c15");
    assertThat(response.getItemsList()).extracting(RecommendedItem::getTitle).containsExactly("Title c17", "Title c16", "Title c15");
  }

  @Test
  void recommend_rankerWithoutCandidateIndexes_findsTheCandidatesById() throws Exception {
    TestGateway gateway = start();
    tiers.describes = false;

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(ids(response)).containsExactly("c19", "c18", "c17");
    assertThat(response.getItems(1).getSourcesList()).singleElement().satisfies(s -> assertThat(s.getRank()).isEqualTo(18));
  }

  @Test
  void recommend_rankingWithoutDescriptions_takesTitlesFromThePopularListWhereItHasThem() throws Exception {
    TestGateway gateway = startWithPopularList();
    tiers.describes = false;
    tiers.recallMethod.failure.set(Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request("u1", 2));

    assertThat(ids(response)).containsExactly("p9", "p8");
    assertThat(response.getItemsList()).extracting(RecommendedItem::getTitle).containsExactly("Title p9", "Title p8");
    assertThat(tiers.itemMethod.calls).hasValue(0);
  }

  @Test
  void recommend_neverReturnsExcludedOrUnrecalledItems() throws Exception {
    TestGateway gateway = start();
    tiers.rankerIntruder = "not-recalled";

    RecommendResponse response = gateway.stub.recommend(request("u1", 5).toBuilder().addExcludeItemIds("c19").build());

    assertThat(ids(response)).containsExactly("c18", "c17", "c16", "c15", "c14");
  }

  @Test
  void recommend_callerWithoutDeadline_givesEachHopItsShareOfTheDefaultBudget() throws Exception {
    TestGateway gateway =
        start("--default-deadline", "3s", "--recall-timeout", "2s", "--feature-timeout", "2s", "--ranking-timeout", "5s");

    gateway.stub.recommend(request("u1", 1));

    // recall and user features start together: half and a quarter of (3 s - 10 ms reserve).
    // Upper bounds are exact; lower bounds leave room for a slow machine.
    assertThat(remaining(tiers.recallMethod)).isBetween(1_000L, 1_495L);
    assertThat(remaining(tiers.userMethod)).isBetween(400L, 748L);
    // ranking comes last and gets the rest, minus the reserve.
    assertThat(remaining(tiers.rankMethod)).isBetween(2_000L, 2_990L);
  }

  @Test
  void recommend_callerDeadline_isSharedAndCappedPerHop() throws Exception {
    TestGateway gateway = start("--recall-timeout", "100ms");

    gateway.stub.withDeadlineAfter(700, TimeUnit.MILLISECONDS).recommend(request("u1", 1));

    assertThat(remaining(tiers.recallMethod)).as("capped by --recall-timeout").isBetween(1L, 100L);
    assertThat(remaining(tiers.userMethod)).as("a quarter of 690 ms").isBetween(1L, 173L);
    assertThat(remaining(tiers.rankMethod)).as("the rest, minus the reserve").isBetween(1L, 690L);
  }

  @Test
  void recommend_pinsEveryCallToTheNewestVersionAllTiersLoaded() throws Exception {
    TestGateway gateway = start();
    tiers.newest.put("recall", "v2");
    tiers.newest.put("features", "v2");
    tiers.newest.put("ranking", "v1");

    gateway.stub.recommend(request("u1", 3));
    assertThat(tiers.lastRecall.get().getBundleVersion()).as("unpinned until every tier answered").isEmpty();

    gateway.stub.recommend(request("u1", 3));
    assertThat(tiers.lastRecall.get().getBundleVersion()).isEqualTo("v1");
    assertThat(tiers.lastRank.get().getBundleVersion()).isEqualTo("v1");
    assertThat(tiers.lastUserFeatures.get().getBundleVersion()).isEqualTo("v1");

    tiers.newest.put("ranking", "v2");
    gateway.stub.recommend(request("u1", 3));
    gateway.stub.recommend(request("u1", 3));
    assertThat(tiers.lastRecall.get().getBundleVersion()).isEqualTo("v2");
  }

  @Test
  void recommend_rankingDown_answersInRecallOrderFlagged() throws Exception {
    TestGateway gateway = start();
    tiers.rankMethod.failure.set(Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(ids(response)).containsExactly("c0", "c1", "c2");
    assertThat(response.getItemsList()).extracting(RecommendedItem::getTitle)
        .as("display fields of the k items shown, from the feature tier")
        .containsExactly("Title c0", "Title c1", "Title c2");
    assertThat(response.getDegraded()).isTrue();
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
    assertThat(response.getModelVersion()).isEqualTo("recall-v1");
    assertThat(gateway.stats.fallbacks(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE)).isEqualTo(1);
  }

  @Test
  void recommend_featuresDown_ranksWithDefaultUserFeaturesFlagged_itemFeaturesComeFromRanking() throws Exception {
    TestGateway gateway = start();
    tiers.userMethod.failure.set(Status.UNAVAILABLE);
    tiers.itemMethod.failure.set(Status.INTERNAL);

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(ids(response)).containsExactly("c19", "c18", "c17");
    assertThat(response.getItems(0).getTitle()).isEqualTo("Title c19");
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE);
    assertThat(tiers.lastRank.get().getUser().getKnown()).isFalse();
    assertThat(tiers.lastRank.get().getUser().getUserId()).isEqualTo("u1");
    assertThat(tiers.lastRank.get().getCandidates(0).hasFeatures()).isFalse();
  }

  @Test
  void recommend_rankingAndItemFeaturesDown_recallOrderWithPopularListTitlesFlaggedBoth() throws Exception {
    TestGateway gateway = startWithPopularList();
    tiers.rankMethod.failure.set(Status.UNAVAILABLE);
    tiers.itemMethod.failure.set(Status.INTERNAL);
    tiers.candidates = 3;

    RecommendResponse response = gateway.stub.recommend(request("u1", 2));

    assertThat(ids(response)).containsExactly("c0", "c1");
    assertThat(response.getItemsList()).extracting(RecommendedItem::getTitle).as("not in the popular list").containsExactly("", "");
    assertThat(response.getDegradedReasonsList())
        .containsExactlyInAnyOrder(
            DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE,
            DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE);
    assertThat(gateway.stats.fallbacks(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE)).isEqualTo(1);
  }

  @Test
  void recommend_recallDownBeforeAnyPopularList_failsUnavailableSayingSo() throws Exception {
    tiers.refreshFailure.set(Status.UNAVAILABLE);
    tiers.recallMethod.failure.set(Status.INTERNAL.withDescription("boom"));
    TestGateway gateway = start();

    assertThatThrownBy(() -> gateway.stub.recommend(request("u1", 3)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("recall tier failed (INTERNAL: boom) and the gateway has no cached popular list yet");
            });
    assertThat(gateway.stats.failedRequests()).isEqualTo(1);
  }

  @Test
  void recommend_recallDown_ranksThePopularListWithoutExcludedOrFilteredItems() throws Exception {
    TestGateway gateway = startWithPopularList();
    tiers.recallMethod.failure.set(Status.UNAVAILABLE);

    RecommendResponse response =
        gateway.stub.recommend(
            request("u1", 3).toBuilder()
                .addExcludeItemIds("p9")
                .setFilter(ItemFilter.newBuilder().addExcludeGenres("comedy"))
                .build());

    // p1 is a comedy, p9 excluded; the fake ranker reverses what it gets.
    assertThat(tiers.lastRank.get().getCandidatesList()).extracting(c -> c.getItemId())
        .containsExactly("p0", "p2", "p3", "p4", "p5", "p6", "p7", "p8");
    assertThat(ids(response)).containsExactly("p8", "p7", "p6");
    assertThat(response.getItems(0).getSourcesList().getFirst().getSource()).isEqualTo(RecallSource.RECALL_SOURCE_POPULAR);
    assertThat(response.getItems(0).getTitle()).isEqualTo("Title p8");
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
    assertThat(response.getModelVersion()).isEqualTo("ranking-v1");
    assertThat(gateway.stats.fallbacks(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE)).isEqualTo(1);
  }

  @Test
  void recommend_everyTierDown_answersThePopularListInOrderWithEveryReason() throws Exception {
    TestGateway gateway = startWithPopularList();
    for (FakeTiers.Method method : List.of(tiers.recallMethod, tiers.userMethod, tiers.itemMethod, tiers.rankMethod)) {
      method.failure.set(Status.UNAVAILABLE);
    }

    RecommendResponse response =
        gateway.stub.recommend(
            request("u1", 3).toBuilder().setFilter(ItemFilter.newBuilder().addIncludeGenres("Drama")).build());

    assertThat(ids(response)).containsExactly("p0", "p2", "p3");
    assertThat(response.getItems(0).getTitle()).as("from the cached features").isEqualTo("Title p0");
    assertThat(response.getDegraded()).isTrue();
    assertThat(response.getDegradedReasonsList())
        .containsExactlyInAnyOrder(
            DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE,
            DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE,
            DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE,
            DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
    assertThat(response.getModelVersion()).isEqualTo("popular-v1");
  }

  @Test
  void recommend_recallDownWithCandidateIds_ranksTheCallersOwnList() throws Exception {
    TestGateway gateway = startWithPopularList();
    tiers.recallMethod.failure.set(Status.UNAVAILABLE);

    RecommendResponse response =
        gateway.stub.recommend(
            request("u1", 5).toBuilder().addCandidateItemIds("x1").addCandidateItemIds("x2").addCandidateItemIds("x1").build());

    assertThat(ids(response)).containsExactly("x2", "x1");
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
  }

  @Test
  void recommend_noCandidates_answersEmptyWithoutRanking() throws Exception {
    TestGateway gateway = start();
    tiers.candidates = 0;

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(response.getItemsList()).isEmpty();
    assertThat(tiers.lastRank.get()).isNull();
  }

  @Test
  void breaker_opensOnFailuresRefusesCallsThenClosesAfterHealthyProbes() throws Exception {
    TestGateway gateway =
        startWithPopularList(
            "--breaker-window", "10", "--breaker-minimum-calls", "5", "--breaker-open-time", "10s",
            "--breaker-half-open-calls", "2", "--retry-max-attempts", "1");
    tiers.recallMethod.failure.set(Status.INTERNAL);

    for (int i = 0; i < 5; i++) {
      assertThat(gateway.stub.recommend(request("u1", 3)).getDegraded()).isTrue();
    }
    assertThat(gateway.stats.breakerState(Downstream.RECALL)).isEqualTo(CircuitBreaker.State.OPEN);
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.stub.recommend(request("u1", 3)).getDegradedReasonsList())
          .containsExactly(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
    }
    assertThat(tiers.recallMethod.calls).as("an open breaker sends nothing").hasValue(5);
    assertThat(gateway.stats.refused(Downstream.RECALL)).isEqualTo(3);

    tiers.recallMethod.failure.set(null);
    gateway.clock.advance(Duration.ofSeconds(11));
    for (int i = 0; i < 2; i++) {
      gateway.stub.recommend(request("u1", 3));
    }

    assertThat(gateway.stats.breakerState(Downstream.RECALL)).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(gateway.stats.breakerOpenings(Downstream.RECALL)).isEqualTo(1);
    assertThat(gateway.stub.recommend(request("u1", 3)).getDegraded()).isFalse();
  }

  @Test
  void retry_unavailableOnce_isRetriedAndNotDegraded() throws Exception {
    TestGateway gateway = start();
    tiers.recallMethod.failNext(1, Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(response.getDegraded()).isFalse();
    assertThat(tiers.recallMethod.calls).hasValue(2);
    assertThat(gateway.stats.retries(Downstream.RECALL)).isEqualTo(1);
  }

  @Test
  void retry_internal_isNotRetried() throws Exception {
    TestGateway gateway = start();
    tiers.rankMethod.failNext(1, Status.INTERNAL);

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
    assertThat(tiers.rankMethod.calls).hasValue(1);
    assertThat(gateway.stats.retries(Downstream.RANKING)).isZero();
  }

  @Test
  void retry_budgetUsedUp_isNotRetried() throws Exception {
    TestGateway gateway = start("--retry-budget-ratio", "0", "--retry-budget-floor", "0");
    tiers.rankMethod.failNext(1, Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
    assertThat(tiers.rankMethod.calls).hasValue(1);
  }

  @Test
  void retry_notFoundOnAPinnedCall_isRetriedOnce_butNotOnAnUnpinnedOne() throws Exception {
    TestGateway gateway = start();
    tiers.rankMethod.failNext(1, Status.NOT_FOUND);

    RecommendResponse unpinned = gateway.stub.recommend(request("u1", 3));
    assertThat(unpinned.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);

    tiers.newest.put("recall", "v1");
    tiers.newest.put("features", "v1");
    tiers.newest.put("ranking", "v1");
    gateway.stub.recommend(request("u1", 3)); // learns the versions
    tiers.rankMethod.failNext(1, Status.NOT_FOUND);
    RecommendResponse pinned = gateway.stub.recommend(request("u1", 3));

    assertThat(pinned.getDegraded()).isFalse();
    assertThat(tiers.lastRank.get().getBundleVersion()).isEqualTo("v1");
    assertThat(gateway.stats.retries(Downstream.RANKING)).isEqualTo(1);
  }

  @Test
  void retry_pinnedVersionMissingEverywhere_fallsBackAfterOneRetry() throws Exception {
    TestGateway gateway = start();
    tiers.newest.put("recall", "v1");
    tiers.newest.put("features", "v1");
    tiers.newest.put("ranking", "v1");
    gateway.stub.recommend(request("u1", 3));
    tiers.rankingMissingVersions.put("v1", true);
    tiers.rankMethod.calls.set(0);

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
    assertThat(tiers.rankMethod.calls).as("the first attempt and one retry").hasValue(2);
    assertThat(tiers.lastRank.get().getBundleVersion()).isEqualTo("v1");
  }

  @Test
  void hedging_slowFirstAttempt_isAnsweredByTheHedge() throws Exception {
    TestGateway gateway = start("--ranking-hedge-delay", "20ms");
    tiers.rankMethod.holdFirst.set(1);
    tiers.rankMethod.hold.set(new CountDownLatch(1));

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(response.getDegraded()).isFalse();
    assertThat(ids(response)).containsExactly("c19", "c18", "c17");
    assertThat(gateway.stats.hedges(Downstream.RANKING)).isEqualTo(1);
    assertThat(tiers.rankMethod.calls).hasValue(2);
  }

  @Test
  void hedging_off_sendsOneAttempt() throws Exception {
    TestGateway gateway = start();

    gateway.stub.recommend(request("u1", 3));

    assertThat(gateway.stats.hedges(Downstream.RANKING)).isZero();
    assertThat(tiers.rankMethod.calls).hasValue(1);
  }

  @Test
  void slowFeatures_timeOutAtTheirCapAndTheAnswerUsesDefaults() throws Exception {
    TestGateway gateway = start("--feature-timeout", "100ms");
    tiers.userMethod.hold.set(new CountDownLatch(1));
    long started = System.nanoTime();

    RecommendResponse response = gateway.stub.withDeadlineAfter(2, TimeUnit.SECONDS).recommend(request("u1", 3));

    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE);
    assertThat(tookMillis).as("the user-feature hop ends at 100 ms; the deadline is 2 s").isLessThan(1_000);
    assertThat(gateway.stats.failures(Downstream.FEATURES)).isEqualTo(1);
  }

  @Test
  void bulkheadFull_usesTheFallbackAtOnce() throws Exception {
    TestGateway gateway = startWithPopularList("--recall-bulkhead", "1");
    tiers.recallMethod.holdFirst.set(1);
    tiers.recallMethod.hold.set(new CountDownLatch(1));
    CompletableFuture<RecommendResponse> blocked =
        CompletableFuture.supplyAsync(() -> gateway.stub.recommend(request("u1", 3)));
    await().atMost(Duration.ofSeconds(10)).until(() -> tiers.recallMethod.calls.get() == 1);

    RecommendResponse second = gateway.stub.recommend(request("u2", 3));

    assertThat(second.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
    assertThat(gateway.stats.refused(Downstream.RECALL)).isEqualTo(1);
    tiers.recallMethod.release();
    assertThat(blocked.get(10, TimeUnit.SECONDS).getDegraded()).isFalse();
  }

  @Test
  void callerCancels_theDownstreamCallsAreCancelled() throws Exception {
    TestGateway gateway = start();
    tiers.recallMethod.hold.set(new CountDownLatch(1));
    var call =
        GatewayServiceGrpc.newFutureStub(gateway.stub.getChannel())
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .recommend(request("u1", 3));
    await().atMost(Duration.ofSeconds(10)).until(() -> tiers.recallMethod.lastContext.get() != null);

    call.cancel(true);

    await().atMost(Duration.ofSeconds(10)).until(() -> tiers.recallMethod.lastContext.get().isCancelled());
  }

  @Test
  void deadlineTooShort_answersThePopularListWithoutCallingAnyTier() throws Exception {
    TestGateway gateway = startWithPopularList("--answer-reserve", "1s");

    RecommendResponse response = gateway.stub.withDeadlineAfter(900, TimeUnit.MILLISECONDS).recommend(request("u1", 3));

    assertThat(ids(response)).containsExactly("p0", "p1", "p2");
    assertThat(response.getDegradedReasonsList())
        .containsExactlyInAnyOrder(
            DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE, DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
    assertThat(tiers.recallMethod.calls).hasValue(0);
    assertThat(tiers.rankMethod.calls).hasValue(0);
  }

  @Test
  void deadlineTooShortWithoutPopularList_failsDeadlineExceededSayingWhy() throws Exception {
    tiers.refreshFailure.set(Status.UNAVAILABLE);
    TestGateway gateway = start("--answer-reserve", "1s");

    assertThatThrownBy(() -> gateway.stub.withDeadlineAfter(900, TimeUnit.MILLISECONDS).recommend(request("u1", 3)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
              assertThat(e.getStatus().getDescription())
                  .startsWith("deadline too short: ")
                  .endsWith("the gateway needs at least 1005 ms to call its tiers, and it has no cached popular list yet");
            });
  }

  @Test
  void recommend_invalidRequests_failInvalidArgumentNamingTheField() throws Exception {
    TestGateway gateway = start("--max-k", "50");
    assertInvalid(gateway, request("", 3), "user_id");
    assertInvalid(gateway, request("u\u0001", 3), "user_id");
    assertInvalid(gateway, request("x".repeat(129), 3), "user_id");
    assertInvalid(gateway, request("u1", 0), "k");
    assertInvalid(gateway, request("u1", 51), "k");
    assertInvalid(gateway, request("u1", 3).toBuilder().setQuery("q".repeat(513)).build(), "query");
    assertInvalid(
        gateway, request("u1", 3).toBuilder().addAllExcludeItemIds(Collections.nCopies(1_001, "i")).build(), "exclude_item_ids");
    assertInvalid(gateway, request("u1", 3).toBuilder().addExcludeItemIds("").build(), "exclude_item_ids[0]");
    assertInvalid(
        gateway,
        request("u1", 3).toBuilder().addAllCandidateItemIds(Collections.nCopies(1_001, "i")).build(),
        "candidate_item_ids");
    assertInvalid(
        gateway,
        request("u1", 3).toBuilder().setFilter(ItemFilter.newBuilder().addIncludeGenres("")).build(),
        "filter.include_genres[0]");
    assertInvalid(gateway, request("u1", 3).toBuilder().putContext("k", "v".repeat(257)).build(), "context");
    assertThat(tiers.lastRecall.get()).isNull();
  }

  private static void assertInvalid(TestGateway gateway, RecommendRequest request, String field) {
    assertThatThrownBy(() -> gateway.stub.recommend(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith(field);
            });
  }

  private static long remaining(FakeTiers.Method method) {
    return method.lastDeadline.get().timeRemaining(TimeUnit.MILLISECONDS);
  }

  private static List<String> ids(RecommendResponse response) {
    return response.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }

  private static RecommendRequest request(String user, int k) {
    return RecommendRequest.newBuilder().setUserId(user).setK(k).build();
  }
}
