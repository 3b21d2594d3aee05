package dev.recsuite.gateway;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.gateway.internal.DownstreamCaller;
import dev.recsuite.gateway.internal.DownstreamCallers;
import dev.recsuite.gateway.internal.DownstreamChannels;
import dev.recsuite.gateway.internal.FeedbackWriter;
import dev.recsuite.gateway.internal.Downstreams;
import dev.recsuite.gateway.internal.GatewayInstruments;
import dev.recsuite.gateway.internal.GatewayStatsView;
import dev.recsuite.gateway.internal.GatewayTimer;
import dev.recsuite.gateway.internal.PopularList;
import dev.recsuite.gateway.internal.RecommendHandler;
import dev.recsuite.gateway.internal.RecommendRequestValidator;
import dev.recsuite.gateway.internal.RecommendationPipeline;
import dev.recsuite.gateway.internal.ResilienceMetrics;
import dev.recsuite.gateway.internal.TimeBudget;
import dev.recsuite.gateway.internal.VersionPins;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import dev.recsuite.grpc.security.ClientTlsSettings;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Wires the gateway from its {@link GatewayConfig}. Bindings only. Tests override the {@link
 * Downstreams} (in-process tiers), the {@link GrpcServer} (in-process transport) or the {@link
 * Clock} (circuit breakers) with {@code Modules.override}; {@link GatewayStats} exposes the
 * resilience counters. The process's {@link Telemetry} (bound here, overridden by tests with one
 * over an in-memory SDK) traces the server and the channels and carries the breaker, bulkhead and
 * fallback metrics ({@link GatewayInstruments}).
 */
public final class GatewayModule extends AbstractModule {

  private final GatewayConfig config;
  private final Optional<ClientTlsSettings> downstreamTls;

  /** A module whose channels to the tiers are plaintext (local development, tests). */
  public GatewayModule(GatewayConfig config) {
    this(config, Optional.empty());
  }

  /**
   * A module whose channels to the tiers use {@code downstreamTls} (mutual TLS when it has a client
   * certificate); empty = plaintext.
   */
  public GatewayModule(GatewayConfig config, Optional<ClientTlsSettings> downstreamTls) {
    this.config = Objects.requireNonNull(config, "config");
    this.downstreamTls = Objects.requireNonNull(downstreamTls, "downstreamTls");
  }

  @Override
  protected void configure() {
    bind(GatewayConfig.class).toInstance(config);
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(ResilienceMetrics.class).in(Singleton.class);
    bind(GatewayTimer.class).in(Singleton.class);
    bind(VersionPins.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  Telemetry telemetry(GatewayConfig config) {
    return Telemetry.create("gateway", config.telemetry());
  }

  @Provides
  @Singleton
  DownstreamChannels channels(GatewayConfig config, GatewayTimer timer, Telemetry telemetry) {
    return new DownstreamChannels(config, timer, telemetry, downstreamTls);
  }

  @Provides
  @Singleton
  Downstreams downstreams(DownstreamChannels channels) {
    return new Downstreams(
        RecallServiceGrpc.newFutureStub(channels.recall()),
        FeatureServiceGrpc.newFutureStub(channels.features()),
        RankingServiceGrpc.newFutureStub(channels.ranking()));
  }

  @Provides
  @Singleton
  DownstreamCallers callers(
      GatewayConfig config, Clock clock, GatewayTimer timer, ResilienceMetrics metrics, Telemetry telemetry) {
    return new DownstreamCallers(
        caller(config, Downstream.RECALL, clock, timer, metrics, telemetry),
        caller(config, Downstream.FEATURES, clock, timer, metrics, telemetry),
        caller(config, Downstream.RANKING, clock, timer, metrics, telemetry),
        caller(config, Downstream.FEEDBACK, clock, timer, metrics, telemetry));
  }

  private static DownstreamCaller caller(
      GatewayConfig config,
      Downstream downstream,
      Clock clock,
      GatewayTimer timer,
      ResilienceMetrics metrics,
      Telemetry telemetry) {
    return new DownstreamCaller(
        config.policy(downstream), config.minCallTime(), clock, System::nanoTime, timer.executor(), metrics, telemetry);
  }

  @Provides
  @Singleton
  GatewayInstruments instruments(
      Telemetry telemetry, ResilienceMetrics metrics, DownstreamCallers callers, PopularList popular, VersionPins pins) {
    return new GatewayInstruments(telemetry, metrics, callers, popular, pins);
  }

  @Provides
  @Singleton
  PopularList popularList(GatewayConfig config, Downstreams downstreams, GatewayTimer timer) {
    return new PopularList(downstreams, config.popularSize(), config.popularRefresh(), timer);
  }

  @Provides
  @Singleton
  GatewayStats stats(ResilienceMetrics metrics, DownstreamCallers callers, PopularList popular) {
    return new GatewayStatsView(metrics, callers, popular);
  }

  @Provides
  @Singleton
  RecommendHandler handler(
      GatewayConfig config,
      Downstreams downstreams,
      DownstreamCallers callers,
      PopularList popular,
      ResilienceMetrics metrics,
      VersionPins pins,
      Clock clock,
      Telemetry telemetry) {
    return new RecommendHandler(
        new RecommendRequestValidator(config.maxK()),
        new RecommendationPipeline(downstreams, callers, config, pins, popular, metrics),
        config.defaultDeadline(),
        () -> UUID.randomUUID().toString(),
        new FeedbackWriter(
            downstreams,
            callers.feedback(),
            new TimeBudget(config.answerReserve(), config.minCallTime()),
            config.feedback().timeout(),
            clock,
            telemetry));
  }

  @Provides
  @Singleton
  GrpcServer server(GatewayConfig config, Telemetry telemetry, RecommendHandler handler) {
    // Recommend never blocks (an asynchronous pipeline): it runs on the transport threads; the
    // feedback writes wait for the feature tier's store and keep their virtual threads.
    return GrpcServer.builder("gateway", config.server())
        .telemetry(telemetry)
        .nonBlockingHandlers()
        .blockingMethods(GatewayServiceGrpc.getRecordFeedbackMethod(), GatewayServiceGrpc.getStreamFeedbackMethod())
        .addService(handler)
        .build();
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(
      Telemetry telemetry,
      GatewayTimer timer,
      DownstreamChannels channels,
      PopularList popular,
      GatewayInstruments instruments,
      GrpcServer server) {
    // Stopped in reverse: the server drains first, then the refresh stops, then the channels close,
    // and telemetry flushes last.
    return Lifecycle.of(telemetry, timer, channels, popular, instruments, server);
  }
}
