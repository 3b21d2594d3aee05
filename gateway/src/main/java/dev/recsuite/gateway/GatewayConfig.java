package dev.recsuite.gateway;

import dev.recsuite.grpc.ServerSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's configuration, validated once at start.
 *
 * @param server where the public API listens and its limits
 * @param recallTarget gRPC target of the recall tier, e.g. {@code 127.0.0.1:50052} or {@code
 *     dns:///recall:50052}
 * @param featureTarget gRPC target of the feature tier
 * @param rankingTarget gRPC target of the ranking tier
 * @param recallCandidates how many candidates recall is asked for (1..2,000)
 * @param maxK the largest {@code k} a request may ask for (1..1,000)
 * @param defaultDeadline the time budget of a request whose caller set no deadline
 */
public record GatewayConfig(
    ServerSettings server,
    String recallTarget,
    String featureTarget,
    String rankingTarget,
    int recallCandidates,
    int maxK,
    Duration defaultDeadline) {

  /** Default number of recall candidates per request. */
  public static final int DEFAULT_RECALL_CANDIDATES = 500;
  /** Default largest {@code k}. */
  public static final int DEFAULT_MAX_K = 100;
  /** Default budget of a request without a caller deadline. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);

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
    if (defaultDeadline.isNegative() || defaultDeadline.isZero()) {
      throw new IllegalArgumentException(
          "default-deadline: " + defaultDeadline + " (expected: > 0)");
    }
  }

  private static void requireTarget(String name, String target) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(name + ": empty (expected: a gRPC target such as host:port)");
    }
  }
}
