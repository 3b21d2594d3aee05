package dev.recsuite.gateway;

import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.telemetry.TelemetrySettings;
import dev.recsuite.gateway.internal.ReplicaList;
import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's configuration, validated once at start.
 *
 * @param server where the public API listens and its limits
 * @param recallTarget the recall tier: {@code host:port}, a list {@code host:port,host:port} of
 *     replicas, or a gRPC target such as {@code dns:///recall:50052} (every address a name resolves
 *     to is a replica)
 * @param featureTarget the feature tier, in the same forms
 * @param rankingTarget the ranking tier, in the same forms
 * @param recallCandidates how many candidates recall is asked for (1..2,000)
 * @param maxK the largest {@code k} a request may ask for (1..1,000)
 * @param defaultDeadline the time budget of a request whose caller set no deadline
 * @param answerReserve the time the gateway keeps for itself to assemble the answer; downstream
 *     calls share what is left of the deadline ({@code >= 0})
 * @param minCallTime a downstream call, retry or hedge starts only if its hop has at least this
 *     much time left; a request with less than this left after the reserve is answered from the
 *     cached popular list at once ({@code > 0})
 * @param recall the policy of calls to the recall tier
 * @param features the policy of calls to the feature tier
 * @param ranking the policy of calls to the ranking tier
 * @param feedback the policy of feedback writes ({@code RecordEvents} on the feature tier): its own
 *     breaker, bulkhead and timeout; retried on {@code UNAVAILABLE}, which is safe because writes
 *     are idempotent by event id
 * @param freshHistory whether a request asks the feature tier for the user's features before
 *     recall, so that recall gets the user's fresh (recorded feedback) items as recent items and
 *     the disliked ones; false calls both at once (recall then sees only the bundle's history)
 * @param popularRefresh how often the cached popular list (the fallback when recall fails) is
 *     refreshed from recall ({@code > 0})
 * @param popularSize how many items the cached popular list holds (1..2,000)
 * @param outlierFailureRatePercent a replica failing at least this share of its calls (over 1 s,
 *     20 calls at least, with at least two replicas) is ejected from the balancing for {@code
 *     outlierEjection}; {@code 0} turns outlier ejection off (0..100)
 * @param outlierEjection how long an outlier replica is ejected (grows with repeated ejections, up
 *     to five times this) ({@code > 0})
 * @param telemetry the metrics endpoint and trace sampling (the gateway's ratio decides for the
 *     whole request: the tiers follow it)
 */
public record GatewayConfig(
    ServerSettings server,
    String recallTarget,
    String featureTarget,
    String rankingTarget,
    int recallCandidates,
    int maxK,
    Duration defaultDeadline,
    Duration answerReserve,
    Duration minCallTime,
    DownstreamPolicy recall,
    DownstreamPolicy features,
    DownstreamPolicy ranking,
    DownstreamPolicy feedback,
    boolean freshHistory,
    Duration popularRefresh,
    int popularSize,
    int outlierFailureRatePercent,
    Duration outlierEjection,
    TelemetrySettings telemetry) {

  /** Default number of recall candidates per request. */
  public static final int DEFAULT_RECALL_CANDIDATES = 500;
  /** Default largest {@code k}. */
  public static final int DEFAULT_MAX_K = 100;
  /** Default budget of a request without a caller deadline. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);
  /** Default time the gateway keeps to assemble the answer: 10 ms. */
  public static final Duration DEFAULT_ANSWER_RESERVE = Duration.ofMillis(10);
  /** Default least time worth starting a downstream call with: 5 ms. */
  public static final Duration DEFAULT_MIN_CALL_TIME = Duration.ofMillis(5);
  /** Default refresh interval of the cached popular list: 30 s. */
  public static final Duration DEFAULT_POPULAR_REFRESH = Duration.ofSeconds(30);
  /** Default size of the cached popular list: 500 items. */
  public static final int DEFAULT_POPULAR_SIZE = 500;
  /** Default failure rate that ejects a replica: 50 %. */
  public static final int DEFAULT_OUTLIER_FAILURE_RATE_PERCENT = 50;
  /** Default ejection time of an outlier replica: 10 s. */
  public static final Duration DEFAULT_OUTLIER_EJECTION = Duration.ofSeconds(10);

  /**
   * @throws IllegalArgumentException naming the first invalid value
   */
  public GatewayConfig {
    Objects.requireNonNull(server, "server");
    requireTarget("recall-target", recallTarget);
    requireTarget("feature-target", featureTarget);
    requireTarget("ranking-target", rankingTarget);
    if (recallCandidates < 1 || recallCandidates > 2_000) {
      throw new IllegalArgumentException(
          "recall-candidates: " + recallCandidates + " (expected: 1..2000)");
    }
    if (maxK < 1 || maxK > 1_000) {
      throw new IllegalArgumentException("max-k: " + maxK + " (expected: 1..1000)");
    }
    requirePositive("default-deadline", defaultDeadline);
    Objects.requireNonNull(answerReserve, "answerReserve");
    if (answerReserve.isNegative()) {
      throw new IllegalArgumentException("answer-reserve: " + answerReserve + " (expected: >= 0)");
    }
    requirePositive("min-call-time", minCallTime);
    requirePolicy(recall, Downstream.RECALL);
    requirePolicy(features, Downstream.FEATURES);
    requirePolicy(ranking, Downstream.RANKING);
    requirePolicy(feedback, Downstream.FEEDBACK);
    requirePositive("popular-refresh", popularRefresh);
    if (popularSize < 1 || popularSize > 2_000) {
      throw new IllegalArgumentException("popular-size: " + popularSize + " (expected: 1..2000)");
    }
    if (outlierFailureRatePercent < 0 || outlierFailureRatePercent > 100) {
      throw new IllegalArgumentException(
          "outlier-failure-rate: " + outlierFailureRatePercent + " (expected: 0..100, 0 = off)");
    }
    requirePositive("outlier-ejection", outlierEjection);
    Objects.requireNonNull(telemetry, "telemetry");
  }

  /** The policy of calls to {@code downstream}. */
  public DownstreamPolicy policy(Downstream downstream) {
    return switch (downstream) {
      case RECALL -> recall;
      case FEATURES -> features;
      case RANKING -> ranking;
      case FEEDBACK -> feedback;
    };
  }

  private static void requirePolicy(DownstreamPolicy policy, Downstream expected) {
    Objects.requireNonNull(policy, expected.label());
    if (policy.downstream() != expected) {
      throw new IllegalArgumentException(
          expected.label() + " policy: for " + policy.downstream() + " (expected: " + expected + ")");
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  /**
   * A target is a gRPC target ({@code dns:///name:port}, {@code host:port}) or a comma-separated
   * list of {@code host:port} replicas.
   */
  private static void requireTarget(String name, String target) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(name + ": empty (expected: a gRPC target such as host:port)");
    }
    if (ReplicaList.isList(target)) {
      try {
        ReplicaList.parse(target);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
    }
  }
}
