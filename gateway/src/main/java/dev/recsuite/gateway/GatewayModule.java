package dev.recsuite.gateway;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.gateway.internal.DownstreamChannels;
import dev.recsuite.gateway.internal.Downstreams;
import dev.recsuite.gateway.internal.RecommendHandler;
import dev.recsuite.gateway.internal.RecommendRequestValidator;
import dev.recsuite.gateway.internal.RecommendationPipeline;
import dev.recsuite.gateway.internal.VersionPins;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import java.util.UUID;

/** Wires the gateway from its {@link GatewayConfig}. Bindings only. */
public final class GatewayModule extends AbstractModule {

  private final GatewayConfig config;

  public GatewayModule(GatewayConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(GatewayConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  DownstreamChannels channels(GatewayConfig config) {
    return new DownstreamChannels(config.recallTarget(), config.featureTarget(), config.rankingTarget());
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
  RecommendHandler handler(GatewayConfig config, Downstreams downstreams) {
    return new RecommendHandler(
        new RecommendRequestValidator(config.maxK()),
        new RecommendationPipeline(downstreams, config.recallCandidates(), new VersionPins()),
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
  Lifecycle lifecycle(DownstreamChannels channels, GrpcServer server) {
    return Lifecycle.of(channels, server);
  }
}
