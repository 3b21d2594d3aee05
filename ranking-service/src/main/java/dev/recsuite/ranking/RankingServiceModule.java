package dev.recsuite.ranking;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.bundles.BundleAdminService;
import dev.recsuite.grpc.bundles.BundleWatcher;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.internal.RankingGrpcService;
import java.time.Clock;
import java.util.Objects;

/**
 * The ranking service's object graph: the models of the loaded bundle versions ({@link
 * ServedBundles}, fed by a {@link BundleWatcher}), the
 * gRPC service, the server (Netty, as configured) and the {@link Lifecycle}. Creating the {@link
 * Lifecycle} loads the model, so a missing or corrupt {@code ranker.pb} fails assembly with the
 * bundle's message. The process's {@link Telemetry} starts first and flushes last; tests override
 * its binding with one over an in-memory SDK.
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
  Telemetry telemetry(RankingServiceConfig config) {
    return Telemetry.create(SERVICE_NAME, config.telemetry());
  }

  @Provides
  @Singleton
  ServedBundles<ServingModel> servedBundles(RankingServiceConfig config) {
    return new ServedBundles<>(SERVICE_NAME, Clock.systemUTC(), config.bundles().retention());
  }

  @Provides
  @Singleton
  BundleWatcher<ServingModel> bundleWatcher(
      RankingServiceConfig config, ServedBundles<ServingModel> served, Telemetry telemetry) {
    return new BundleWatcher<>(
        SERVICE_NAME,
        new BundleRepository(config.bundles().directory()),
        ServingModel::load,
        served,
        config.bundles().pollInterval(),
        telemetry,
        Clock.systemUTC());
  }

  @Provides
  @Singleton
  RankingGrpcService rankingGrpcService(
      ServedBundles<ServingModel> models, RankingServiceConfig config, Telemetry telemetry) {
    return new RankingGrpcService(models, config.maxBatch(), telemetry);
  }

  @Provides
  @Singleton
  GrpcServer grpcServer(
      RankingServiceConfig config,
      Telemetry telemetry,
      RankingGrpcService service,
      BundleWatcher<ServingModel> watcher) {
    return GrpcServer.builder(SERVICE_NAME, config.server())
        .telemetry(telemetry)
        .nonBlockingHandlers()
        .addService(service)
        .addAdminService(new BundleAdminService(SERVICE_NAME, watcher))
        .build();
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(
      Telemetry telemetry,
      ServedBundles<ServingModel> served,
      BundleWatcher<ServingModel> watcher,
      GrpcServer server) {
    return Lifecycle.of(telemetry, served, watcher, server);
  }
}
