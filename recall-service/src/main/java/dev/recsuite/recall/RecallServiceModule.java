package dev.recsuite.recall;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleAdminService;
import dev.recsuite.grpc.bundles.BundleWatcher;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import java.time.Clock;
import java.util.Objects;

/**
 * The recall service's object graph: the engines of the loaded bundle versions ({@link
 * ServedBundles}, fed by a {@link BundleWatcher}), the
 * gRPC endpoint, the server and the lifecycle (engine holder first, server last, so the server
 * drains before the engine closes). Loading the bundle happens when the graph is built, so a
 * missing or corrupt bundle fails startup with the bundle's own message. The process's {@link
 * Telemetry} starts first and flushes last; tests override its binding with one over an in-memory
 * SDK.
 */
public final class RecallServiceModule extends AbstractModule {

  /** The service name in logs, health and errors. */
  public static final String SERVICE_NAME = "recall-service";

  private final RecallServiceConfig config;

  /** A module for {@code config}, already validated. */
  public RecallServiceModule(RecallServiceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  protected void configure() {
    bind(RecallServiceConfig.class).toInstance(config);
    bind(ServerSettings.class).toInstance(config.server());
    bind(RecallSettings.class).toInstance(config.recall());
  }

  @Provides
  @Singleton
  Telemetry telemetry(RecallServiceConfig config) {
    return Telemetry.create(SERVICE_NAME, config.telemetry());
  }

  @Provides
  @Singleton
  ServedBundles<RecallEngine> servedBundles(RecallServiceConfig config) {
    return new ServedBundles<>(SERVICE_NAME, Clock.systemUTC(), config.bundles().retention());
  }

  @Provides
  @Singleton
  BundleWatcher<RecallEngine> bundleWatcher(
      RecallServiceConfig config,
      RecallSettings settings,
      ServedBundles<RecallEngine> served,
      Telemetry telemetry) {
    return new BundleWatcher<>(
        SERVICE_NAME,
        new BundleRepository(config.bundles().directory()),
        bundle -> RecallEngine.open(bundle, settings, telemetry.tracer("dev.recsuite.recall")),
        served,
        config.bundles().pollInterval(),
        telemetry,
        Clock.systemUTC());
  }

  @Provides
  @Singleton
  RecallGrpcService recallGrpcService(
      ServedBundles<RecallEngine> engines, RecallServiceConfig config, Telemetry telemetry) {
    return new RecallGrpcService(engines, config.maxCandidates(), telemetry);
  }

  @Provides
  @Singleton
  GrpcServer grpcServer(
      ServerSettings settings,
      Telemetry telemetry,
      RecallGrpcService recall,
      BundleWatcher<RecallEngine> watcher) {
    return GrpcServer.builder(SERVICE_NAME, settings)
        .telemetry(telemetry)
        .nonBlockingHandlers()
        .addService(recall)
        .addAdminService(new BundleAdminService(SERVICE_NAME, watcher))
        .build();
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(
      Telemetry telemetry,
      ServedBundles<RecallEngine> engines,
      BundleWatcher<RecallEngine> watcher,
      GrpcServer server) {
    return Lifecycle.of(telemetry, engines, watcher, server);
  }
}
