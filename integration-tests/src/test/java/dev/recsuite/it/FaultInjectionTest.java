package dev.recsuite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.gateway.Downstream;
import dev.recsuite.gateway.GatewayStats;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.it.RunningSuite.Replica;
import dev.recsuite.it.RunningSuite.Tier;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Channel;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on the real suite (every tier a real Netty server on loopback, wired by its own
 * Guice module, with a test-only {@link Faults} interceptor): a bounded load runs against the
 * gateway while a test kills, slows, breaks or restarts tiers, and every scenario asserts its
 * counts of ok, degraded and failed requests. One small synthetic bundle is trained for the class.
 * Each scenario's table goes to the log and to {@code target/fault-injection.md}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultInjectionTest {

  private static final int K = 10;
  private static final int CONCURRENCY = 8;

  @TempDir static Path bundles;

  private final ScenarioReport report = ScenarioReport.inTarget();

  @BeforeAll
  static void trainOneSmallBundle() throws Exception {
    new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC())
        .train(SyntheticData.generate(SyntheticSpec.defaults().withSize(300, 400, 30)), bundles, "synthetic");
  }

  /**
   * Scenario 1: two ranking replicas, one killed (shutdownNow, as a crash) a third into the run.
   * Bound: a request can only lose its ranking call if that call was in flight on the killed
   * replica, so at most {@value #CONCURRENCY} answers (one per load worker) can be affected, and
   * those are retried on the survivor or answered in recall order: none fails.
   */
  @Test
  void rankingReplicaKilledMidRun_noRequestFails_andTheSurvivorTakesTheLoad() throws Exception {
    try (RunningSuite suite = RunningSuite.builder(bundles).replicas(Tier.RANKING, 2).start()) {
      Channel channel = suite.channel(suite.gatewayPort());
      warmUp(suite, channel);
      Replica killed = suite.replica(Tier.RANKING, 0);
      Replica survivor = suite.replica(Tier.RANKING, 1);
      // Ranking calls take 30 ms more, so that some are in flight on the replica when it dies.
      killed.faults.delay(Duration.ofMillis(30));
      survivor.faults.delay(Duration.ofMillis(30));

      Load load = Load.start(channel, 600, CONCURRENCY, Duration.ofSeconds(2), tenItems());
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 200);
      await().atMost(Duration.ofSeconds(10)).until(() -> killed.server().stats().callsInFlight() > 0);
      int inFlightAtKill = killed.server().stats().callsInFlight();
      int sentAtKill = load.sent();
      long survivorBefore = survivor.faults.calls();
      killed.kill();
      // Calls that arrived just before the kill may still pass the interceptor on their way out;
      // count from a little later on: from then on, nothing may reach the dead replica.
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= sentAtKill + 50);
      long killedLater = killed.faults.calls();
      Load.Result result = load.await();
      survivor.faults.heal();
      report.add(
          "1. ranking: 1 of 2 replicas killed (ranking calls in flight on it: " + inFlightAtKill + ", retried: "
              + suite.gatewayStats().retries(Downstream.RANKING) + ")",
          result);

      assertThat(result.failed()).as("failed requests").isZero();
      assertThat(result.degraded()).as("degraded: at most one per worker in flight at the kill").isLessThanOrEqualTo(CONCURRENCY);
      assertThat(survivor.faults.calls() - survivorBefore)
          .as("the survivor ranks every request sent after the kill")
          .isGreaterThanOrEqualTo(600 - sentAtKill - CONCURRENCY);
      assertThat(killed.faults.calls()).as("nothing reaches the killed replica").isEqualTo(killedLater);
      assertThat(result.p99Millis()).isLessThan(2_000);
      assertThat(inFlightAtKill).isPositive();
    }
  }

  /**
   * Scenario 2: feature-service slowed far beyond its budget (3 s against a hop of at most 300 ms
   * and a 1 s request deadline): every answer is degraded (default user features; item features
   * come from the ranking tier's bundle), none fails, all
   * within the deadline, and the feature breaker opens so that later requests do not even wait.
   */
  @Test
  void featuresSlow_answersAreDegradedWithinTheDeadline_andTheBreakerOpens() throws Exception {
    try (RunningSuite suite =
        RunningSuite.builder(bundles)
            .gatewayArgs("--breaker-window", "20", "--breaker-minimum-calls", "10", "--breaker-open-time", "60s")
            .start()) {
      Channel channel = suite.channel(suite.gatewayPort());
      warmUp(suite, channel);
      Replica features = suite.replica(Tier.FEATURES, 0);
      GatewayStats stats = suite.gatewayStats();

      features.faults.delay(Duration.ofSeconds(3));
      Load.Result result = Load.start(channel, 400, CONCURRENCY, Duration.ofSeconds(1), tenItems()).await();
      features.faults.heal();
      report.add("2. features: +3 s delay, deadline 1 s", result);

      assertThat(result.failed()).as("failed requests").isZero();
      assertThat(result.degraded()).as("every answer uses default user features").isEqualTo(400);
      assertThat(result.reasons())
          .containsEntry(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE, 400)
          // Item features come from the ranking tier's bundle, not from the slow feature tier.
          .doesNotContainKey(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE)
          .doesNotContainKey(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE)
          .doesNotContainKey(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
      assertThat(result.maxMillis()).as("within the 1 s deadline").isLessThan(1_000);
      assertThat(result.p99Millis()).as("one feature hop of at most ~250 ms").isLessThan(800);
      assertThat(result.p50Millis()).as("once open, the breaker answers at once").isLessThan(150);
      assertThat(stats.breakerState(Downstream.FEATURES)).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(stats.breakerOpenings(Downstream.FEATURES)).isEqualTo(1);
      assertThat(stats.refused(Downstream.FEATURES)).as("calls refused by the open breaker").isPositive();
      assertThat(stats.fallbacks(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE)).isEqualTo(400);
    }
  }

  /**
   * Scenario 3: recall answers UNAVAILABLE for a burst: its breaker opens and popular-list answers
   * flow; once recall recovers, half-open probes close the breaker and answers are whole again.
   */
  @Test
  void recallErrorBurst_breakerOpensFallbackFlows_thenProbesCloseIt() throws Exception {
    try (RunningSuite suite =
        RunningSuite.builder(bundles)
            .gatewayArgs(
                "--breaker-window", "20", "--breaker-minimum-calls", "10", "--breaker-open-time", "1s",
                "--breaker-half-open-calls", "3")
            .start()) {
      Channel channel = suite.channel(suite.gatewayPort());
      warmUp(suite, channel);
      Replica recall = suite.replica(Tier.RECALL, 0);
      GatewayStats stats = suite.gatewayStats();

      recall.faults.fail(Status.UNAVAILABLE.withDescription("injected"));
      long recallCallsBefore = recall.faults.calls();
      Load.Result burst = Load.start(channel, 300, CONCURRENCY, Duration.ofSeconds(2), tenItems()).await();
      long recallCallsDuringBurst = recall.faults.calls() - recallCallsBefore;
      report.add("3a. recall: UNAVAILABLE burst", burst);

      assertThat(burst.failed()).as("failed requests").isZero();
      assertThat(burst.degraded()).isEqualTo(300);
      assertThat(burst.reasons()).containsEntry(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE, 300);
      assertThat(stats.breakerOpenings(Downstream.RECALL)).isPositive();
      assertThat(stats.refused(Downstream.RECALL)).as("calls the open breaker never sent").isPositive();
      assertThat(recallCallsDuringBurst).as("recall calls during the burst").isLessThan(300);

      recall.faults.heal();
      GatewayServiceGrpc.GatewayServiceBlockingStub probe = GatewayServiceGrpc.newBlockingStub(channel);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                probe.withDeadlineAfter(2, TimeUnit.SECONDS).recommend(request("1"));
                return stats.breakerState(Downstream.RECALL) == CircuitBreaker.State.CLOSED;
              });
      Load.Result recovered = Load.start(channel, 300, CONCURRENCY, Duration.ofSeconds(2), tenItems()).await();
      report.add("3b. recall: recovered (breaker closed by probes)", recovered);

      assertThat(recovered.failed()).isZero();
      assertThat(recovered.degraded()).isZero();
      assertThat(recovered.ok()).isEqualTo(300);
      assertThat(stats.breakerState(Downstream.RECALL)).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  /** Scenario 4: recall, features and ranking all gone: every request gets the popular list, flagged. */
  @Test
  void everyDownstreamDown_everyRequestGetsThePopularListFlagged() throws Exception {
    try (RunningSuite suite = RunningSuite.builder(bundles).start()) {
      Channel channel = suite.channel(suite.gatewayPort());
      warmUp(suite, channel);
      for (Tier tier : List.of(Tier.RECALL, Tier.FEATURES, Tier.RANKING)) {
        suite.replica(tier, 0).kill();
      }

      Load.Result result =
          Load.start(
                  channel,
                  400,
                  CONCURRENCY,
                  Duration.ofSeconds(1),
                  tenItems().andThen(FaultInjectionTest::allPopular))
              .await();
      report.add("4. recall, features, ranking all down", result);

      assertThat(result.failed()).as("failed requests").isZero();
      assertThat(result.degraded()).isEqualTo(400);
      assertThat(result.reasons())
          .containsEntry(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE, 400)
          .containsEntry(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE, 400);
      assertThat(result.p99Millis()).isLessThan(1_000);
    }
  }

  /**
   * Scenario 5: two replicas of every tier, the gateway included (the load balances over both
   * gateways with health checking), and a rolling restart of each tier under load: every replica
   * in turn is stopped gracefully (health NOT_SERVING, in-flight calls finish), started again on
   * the same port, and taken back into rotation before the next one goes. Not one request fails.
   */
  @Test
  void rollingRestartOfEveryTierUnderLoad_noRequestFails() throws Exception {
    try (RunningSuite suite =
        RunningSuite.builder(bundles)
            .replicas(Tier.FEATURES, 2)
            .replicas(Tier.RECALL, 2)
            .replicas(Tier.RANKING, 2)
            .replicas(Tier.GATEWAY, 2)
            .start()) {
      Channel channel = suite.gatewayChannel();
      warmUp(suite, channel);
      List<Load.Outcome> all = new ArrayList<>();

      for (Tier tier : Tier.values()) {
        List<Load.Outcome> tierOutcomes = new ArrayList<>();
        for (Replica replica : suite.replicas(tier)) {
          Load load = Load.start(channel, 250, CONCURRENCY, Duration.ofSeconds(2), tenItems());
          await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 50);
          assertThat(load.completed()).as("%s restarts under load", replica).isLessThan(250);
          replica.restart();
          long servedBefore = replica.faults.calls();
          load.await();
          tierOutcomes.addAll(load.outcomes());
          // Back in rotation before the next replica goes: for an internal tier, every gateway
          // has sent it calls again (each gateway reconnects on its own); for a gateway, the
          // client has.
          List<Channel> probes =
              tier == Tier.GATEWAY
                  ? List.of(channel)
                  : suite.replicas(Tier.GATEWAY).stream().map(g -> (Channel) suite.channel(g.port())).toList();
          for (Channel via : probes) {
            GatewayServiceGrpc.GatewayServiceBlockingStub probe = GatewayServiceGrpc.newBlockingStub(via);
            long before = replica.faults.calls();
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () -> {
                      RecommendResponse response =
                          probe.withDeadlineAfter(2, TimeUnit.SECONDS).recommend(request("7"));
                      assertThat(response.getItemsCount()).isEqualTo(K);
                      return replica.faults.calls() > Math.max(before, servedBefore);
                    });
          }
        }
        Load.Result result = Load.Result.of(tierOutcomes);
        report.add("5. rolling restart: " + tier.name().toLowerCase(Locale.ROOT) + " (2 of 2 replicas, one after the other)", result);
        assertThat(result.failed()).as("failed requests while restarting %s", tier).isZero();
        all.addAll(tierOutcomes);
      }

      Load.Result total = Load.Result.of(all);
      report.add("5. rolling restart: all four tiers", total);
      assertThat(total.failed()).as("failed requests").isZero();
      // Not required, but a drained replica should not even degrade answers; allow a stray one.
      assertThat(total.degraded()).as("degraded answers").isLessThanOrEqualTo(total.sent() / 100);
      assertThat(total.sent()).isEqualTo(8 * 250);
    }
  }

  /**
   * Sends requests until the popular list is loaded and every replica of every tier has served
   * calls (all health checks answered); every one of them must be a whole answer.
   */
  private static void warmUp(RunningSuite suite, Channel channel) {
    GatewayServiceGrpc.GatewayServiceBlockingStub stub = GatewayServiceGrpc.newBlockingStub(channel);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (int i = 0; i < 10; i++) {
                RecommendResponse response =
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).recommend(request(Integer.toString(1 + i)));
                assertThat(response.getDegraded()).as("warm-up answer %s", response).isFalse();
              }
              boolean everyReplicaServed =
                  List.of(Tier.values()).stream()
                      .flatMap(tier -> suite.replicas(tier).stream())
                      .allMatch(replica -> replica.faults.calls() > 0);
              boolean popularLists =
                  suite.replicas(Tier.GATEWAY).stream()
                      .allMatch(gateway -> gateway.injector().getInstance(GatewayStats.class).popularListSize() > 0);
              return everyReplicaServed && popularLists;
            });
  }

  private static RecommendRequest request(String user) {
    return RecommendRequest.newBuilder().setUserId(user).setK(K).build();
  }

  private static Consumer<RecommendResponse> tenItems() {
    return response -> {
      if (response.getItemsCount() != K) {
        throw new AssertionError("expected " + K + " items: " + response);
      }
    };
  }

  private static void allPopular(RecommendResponse response) {
    for (RecommendedItem item : response.getItemsList()) {
      if (item.getSourcesList().stream().map(SourceScore::getSource).noneMatch(RecallSource.RECALL_SOURCE_POPULAR::equals)) {
        throw new AssertionError("not from the popular list: " + item);
      }
    }
  }
}
