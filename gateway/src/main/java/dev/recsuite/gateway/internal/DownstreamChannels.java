package dev.recsuite.gateway.internal;

import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.gateway.GatewayConfig;
import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.security.ClientTlsSettings;
import dev.recsuite.grpc.security.ReloadingCredentials;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's client channels to the internal tiers, one per tier, each balancing over the tier's
 * replicas: the addresses of a {@code host:port,host:port} list or of a DNS name.
 *
 * <ul>
 *   <li>{@code round_robin} over the replicas, with client-side health checking (gRPC's {@code
 *       healthCheckConfig}, served by {@code grpc-services}): each replica's {@code
 *       grpc.health.v1.Health/Watch} for the tier's service; a replica that reports {@code
 *       NOT_SERVING} (it is draining) or whose connection breaks gets no more calls until it is
 *       healthy again.
 *   <li>Outlier ejection ({@code outlier_detection_experimental}) when {@code
 *       --outlier-failure-rate} is positive: a replica failing at least that share of its calls
 *       (timeouts and load shedding included) is taken out for a while, even though its health
 *       check still says {@code SERVING}.
 *   <li>Every {@value #RECONNECT_NUDGE_SECONDS} s the channels' reconnect backoff is reset, so a
 *       replica that comes back is used again within seconds rather than after gRPC's backoff
 *       (up to two minutes).
 * </ul>
 *
 * <p>Every channel carries the {@link Telemetry}'s client interceptors: each call is a client span
 * (child of the request's span) whose trace context travels in the {@code traceparent} header, and
 * a {@code rpc.client.duration} measurement per replica.
 *
 * <p>With {@link ClientTlsSettings}, the channels speak TLS, verifying each replica's certificate
 * and host name against the CA, and present the gateway's client certificate for mutual TLS; the
 * files are checked for changes every reload interval (from {@link #start()}) and changed ones
 * used for new connections. Without, plaintext: the local-development exception.
 *
 * <p>Stopping shuts the channels down after the server has drained (the lifecycle stops in
 * reverse order).
 */
public final class DownstreamChannels implements Managed {

  /** How often a channel's reconnect backoff is reset. */
  static final long RECONNECT_NUDGE_SECONDS = 5;

  private final ManagedChannel recall;
  private final ManagedChannel features;
  private final ManagedChannel ranking;
  private final GatewayTimer timer;
  private final ReloadingCredentials credentials;
  private ScheduledFuture<?> nudges;

  /**
   * Opens the channels (they connect on the first call).
   *
   * @throws IllegalArgumentException if a target is malformed
   */
  public DownstreamChannels(GatewayConfig config, GatewayTimer timer) {
    this(config, timer, Telemetry.noop());
  }

  /**
   * Opens the channels (they connect on the first call), traced and measured by {@code telemetry}.
   *
   * @throws IllegalArgumentException if a target is malformed
   */
  public DownstreamChannels(GatewayConfig config, GatewayTimer timer, Telemetry telemetry) {
    this(config, timer, telemetry, Optional.empty());
  }

  /**
   * Opens the channels (they connect on the first call), traced and measured by {@code telemetry},
   * over TLS when {@code tls} is present.
   *
   * @throws IllegalArgumentException if a target is malformed, or a TLS file is missing or invalid
   *     (the message names it)
   */
  public DownstreamChannels(
      GatewayConfig config, GatewayTimer timer, Telemetry telemetry, Optional<ClientTlsSettings> tls) {
    this.timer = timer;
    this.credentials = tls.map(settings -> ReloadingCredentials.forClient("gateway-downstream", settings)).orElse(null);
    this.recall = open(config.recallTarget(), RecallServiceGrpc.SERVICE_NAME, config, telemetry);
    this.features = open(config.featureTarget(), FeatureServiceGrpc.SERVICE_NAME, config, telemetry);
    this.ranking = open(config.rankingTarget(), RankingServiceGrpc.SERVICE_NAME, config, telemetry);
  }

  private ManagedChannel open(String target, String service, GatewayConfig config, Telemetry telemetry) {
    String grpcTarget = ReplicaList.grpcTarget(target);
    NettyChannelBuilder builder =
        credentials == null
            ? NettyChannelBuilder.forTarget(grpcTarget).usePlaintext()
            : NettyChannelBuilder.forTarget(grpcTarget, credentials.channelCredentials());
    // Answers are handed over on the transport thread: their callbacks only record the attempt
    // (breaker, metrics) and complete a future, so a hop to another executor would only cost.
    return builder
        .directExecutor()
        .intercept(telemetry.clientInterceptors())
        .defaultServiceConfig(
            serviceConfig(service, config.outlierFailureRatePercent(), config.outlierEjection()))
        .build();
  }

  /**
   * The service config of a channel to one tier: load balancing and health checking.
   *
   * @param healthService the service name whose health is watched, e.g. {@code
   *     dev.recsuite.recall.v1.RecallService}
   * @param outlierFailureRatePercent the failure rate that ejects a replica; 0 = no ejection
   * @param ejection the base ejection time
   */
  public static Map<String, Object> serviceConfig(
      String healthService, int outlierFailureRatePercent, Duration ejection) {
    Map<String, Object> roundRobin = Map.of("round_robin", Map.of());
    Object policy;
    if (outlierFailureRatePercent > 0) {
      Map<String, Object> outlier = new LinkedHashMap<>();
      outlier.put("interval", durationJson(Duration.ofSeconds(1)));
      outlier.put("baseEjectionTime", durationJson(ejection));
      outlier.put("maxEjectionTime", durationJson(ejection.multipliedBy(5)));
      // With two replicas one may be ejected, never both: the tier then keeps its last replica.
      outlier.put("maxEjectionPercent", 50.0);
      outlier.put(
          "failurePercentageEjection",
          Map.of(
              "threshold", (double) outlierFailureRatePercent,
              "enforcementPercentage", 100.0,
              "minimumHosts", 2.0,
              "requestVolume", 20.0));
      outlier.put("childPolicy", List.of(roundRobin));
      policy = Map.of("outlier_detection_experimental", outlier);
    } else {
      policy = roundRobin;
    }
    // Numbers are doubles: the service config is JSON, parsed the way gRPC parses JSON.
    return Map.of(
        "loadBalancingConfig", List.of(policy),
        "healthCheckConfig", Map.of("serviceName", healthService));
  }

  /** A protobuf JSON duration, e.g. {@code 1.500000000s}. */
  static String durationJson(Duration duration) {
    return duration.getSeconds() + "." + String.format("%09d", duration.getNano()) + "s";
  }

  public ManagedChannel recall() {
    return recall;
  }

  public ManagedChannel features() {
    return features;
  }

  public ManagedChannel ranking() {
    return ranking;
  }

  @Override
  public void start() {
    if (credentials != null) {
      credentials.start();
    }
    nudges =
        timer
            .executor()
            .scheduleWithFixedDelay(
                () -> List.of(recall, features, ranking).forEach(ManagedChannel::resetConnectBackoff),
                RECONNECT_NUDGE_SECONDS,
                RECONNECT_NUDGE_SECONDS,
                TimeUnit.SECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    if (nudges != null) {
      nudges.cancel(false);
    }
    if (credentials != null) {
      credentials.stop();
    }
    for (ManagedChannel channel : List.of(recall, features, ranking)) {
      channel.shutdown();
    }
    for (ManagedChannel channel : List.of(recall, features, ranking)) {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }
}
