package dev.recsuite.ranking;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.ranking.internal.RankingGrpcService;
import java.util.Objects;

/**
 * The ranking service's object graph: the newest bundle's model in a {@link CurrentModel}, the
 * gRPC service, the server (Netty, as configured) and the {@link Lifecycle}. Creating the {@link
 * Lifecycle} loads the model, so a missing or corrupt {@code ranker.pb} fails assembly with the
 * bundle's message.
 */
public final class RankingServiceModule extends AbstractModule {

  /** The server name in logs and health checks. */
  static final String SERVICE_NAME = "ranking-service";

  private final RankingServiceConfig config;

  /**
   * @throws NullPointerException if {@code config} is null
   */
  public RankingServiceModule(RankingServiceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  protected void configure() {
    bind(RankingServiceConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  BundleRepository bundleRepository(RankingServiceConfig config) {
    return new BundleRepository(config.bundleDir());
  }

  @Provides
  @Singleton
  CurrentModel currentModel(BundleRepository bundles) {
    return new CurrentModel(ServingModel.load(bundles.openLatest()));
  }

  @Provides
  @Singleton
  RankingGrpcService rankingGrpcService(CurrentModel model, RankingServiceConfig config) {
    return new RankingGrpcService(model, config.maxBatch());
  }

  @Provides
  @Singleton
  GrpcServer grpcServer(RankingServiceConfig config, RankingGrpcService service) {
    return GrpcServer.builder(SERVICE_NAME, config.server()).addService(service).build();
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(GrpcServer server) {
    return Lifecycle.of(server);
  }
}
