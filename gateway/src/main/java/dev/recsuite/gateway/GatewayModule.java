package dev.recsuite.gateway;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.gateway.internal.DownstreamCaller;
import dev.recsuite.gateway.internal.DownstreamCallers;
import dev.recsuite.gateway.internal.DownstreamChannels;
import dev.recsuite.gateway.internal.Downstreams;
import dev.recsuite.gateway.internal.GatewayStatsView;
import dev.recsuite.gateway.internal.GatewayTimer;
import dev.recsuite.gateway.internal.PopularList;
import dev.recsuite.gateway.internal.RecommendHandler;
import dev.recsuite.gateway.internal.RecommendRequestValidator;
import dev.recsuite.gateway.internal.RecommendationPipeline;
import dev.recsuite.gateway.internal.ResilienceMetrics;
import dev.recsuite.gateway.internal.VersionPins;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import java.time.Clock;
import java.util.UUID;

/**
 * Wires the gateway from its {@link GatewayConfig}. Bindings only. Tests override the {@link
 * Downstreams} (in-process tiers), the {@link GrpcServer} (in-process transport) or the {@link
 * Clock} (circuit breakers) with {@code Modules.override}; {@link GatewayStats} exposes the
 * resilience counters.
 */
public final class GatewayModule extends AbstractModule {

  private final GatewayConfig config;

  public GatewayModule(GatewayConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(GatewayConfig.class).toInstance(config);
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(ResilienceMetrics.class).in(Singleton.class);
    bind(GatewayTimer.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  DownstreamChannels channels(GatewayConfig config, GatewayTimer timer) {
    return new DownstreamChannels(config, timer);
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
  DownstreamCallers callers(GatewayConfig config, Clock clock, GatewayTimer timer, ResilienceMetrics metrics) {
    return new DownstreamCallers(
        caller(config, Downstream.RECALL, clock, timer, metrics),
        caller(config, Downstream.FEATURES, clock, timer, metrics),
        caller(config, Downstream.RANKING, clock, timer, metrics));
  }

  private static DownstreamCaller caller(
      GatewayConfig config, Downstream downstream, Clock clock, GatewayTimer timer, ResilienceMetrics metrics) {
    return new DownstreamCaller(
        config.policy(downstream), config.minCallTime(), clock, System::nanoTime, timer.executor(), metrics);
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
      ResilienceMetrics metrics) {
    return new RecommendHandler(
        new RecommendRequestValidator(config.maxK()),
        new RecommendationPipeline(downstreams, callers, config, new VersionPins(), popular, metrics),
        config.defaultDeadline(),
        () -> UUID.randomUUID().toString());
  }

  @Provides
  @Singleton
  GrpcServer server(GatewayConfig config, RecommendHandler handler) {
    return GrpcServer.builder("gateway", config.server()).addService(handler).build();
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(GatewayTimer timer, DownstreamChannels channels, PopularList popular, GrpcServer server) {
    // Stopped in reverse: the server drains first, then the refresh stops, then the channels close.
    return Lifecycle.of(timer, channels, popular, server);
  }
}
