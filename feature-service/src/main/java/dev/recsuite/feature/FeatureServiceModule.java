package dev.recsuite.feature;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.feature.internal.CatalogueGenres;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feedback.StoreType;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.bundles.BundleAdminService;
import dev.recsuite.grpc.bundles.BundleWatcher;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import java.time.Clock;
import java.util.Objects;

/**
 * The feature service's object graph: the stores of the loaded bundle versions, the watcher that
 * loads new ones, the feedback store ({@link ManagedFeedbackStore}, whose item genres come from the
 * newest served bundle), the handler and the gRPC server, started in that order and stopped in
 * reverse by a {@link Lifecycle}, so the server drains before the feedback store closes; the
 * process's {@link Telemetry} first (so it flushes last). Tests override the {@link Telemetry}
 * binding with one over an in-memory SDK, or the {@link ManagedFeedbackStore} with one of their own.
 */
public final class FeatureServiceModule extends AbstractModule {

  /** The service name in logs, health and startup errors. */
  public static final String SERVICE_NAME = "feature-service";

  private final FeatureServiceConfig config;

  /**
   * Creates the module.
   *
   * @param config the validated configuration
   * @throws NullPointerException if {@code config} is null
   */
  public FeatureServiceModule(FeatureServiceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  protected void configure() {
    bind(FeatureServiceConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  Telemetry telemetry(FeatureServiceConfig config) {
    return Telemetry.create(SERVICE_NAME, config.telemetry());
  }

  @Provides
  @Singleton
  ServedBundles<FeatureStore> servedBundles(FeatureServiceConfig config) {
    return new ServedBundles<>(SERVICE_NAME, Clock.systemUTC(), config.bundles().retention());
  }

  @Provides
  @Singleton
  BundleWatcher<FeatureStore> bundleWatcher(
      FeatureServiceConfig config, ServedBundles<FeatureStore> served, Telemetry telemetry) {
    return new BundleWatcher<>(
        SERVICE_NAME,
        new BundleRepository(config.bundles().directory()),
        FeatureStore::load,
        served,
        config.bundles().pollInterval(),
        telemetry,
        Clock.systemUTC());
  }

  @Provides
  @Singleton
  ManagedFeedbackStore feedbackStore(FeatureServiceConfig config, ServedBundles<FeatureStore> served) {
    return config
        .feedback()
        .map(store -> ManagedFeedbackStore.opening(store, Clock.systemUTC(), new CatalogueGenres(served)))
        .orElseGet(ManagedFeedbackStore::off);
  }

  @Provides
  @Singleton
  FeatureGrpcService featureGrpcService(
      ServedBundles<FeatureStore> features,
      FeatureServiceConfig config,
      Telemetry telemetry,
      ManagedFeedbackStore feedback) {
    return new FeatureGrpcService(features, config.maxBatch(), telemetry, feedback);
  }

  @Provides
  @Singleton
  GrpcServer grpcServer(
      FeatureServiceConfig config,
      Telemetry telemetry,
      FeatureGrpcService service,
      BundleWatcher<FeatureStore> watcher) {
    // RecordEvents writes: never from anonymous callers where credentials are configured, and
    // only from --allowed-clients (the gateway) when that list is set.
    GrpcServer.Builder server =
        GrpcServer.builder(SERVICE_NAME, config.server())
            .telemetry(telemetry)
            .addService(service)
            .writeMethods(FeatureServiceGrpc.getRecordEventsMethod())
            .addAdminService(new BundleAdminService(SERVICE_NAME, watcher));
    if (readsStayInProcess(config)) {
      // The lookups then read memory (the bundle's tables, RocksDB's memtable and caches): on the
      // event loop they save a thread hand-off per call, half the service's CPU under load
      // (docs/BENCHMARKS.md). Writes wait for the store's sync and stay on virtual threads.
      server.nonBlockingHandlers().blockingMethods(FeatureServiceGrpc.getRecordEventsMethod());
    }
    return server.build();
  }

  /** Whether the lookups never wait for a network: no feedback store, or the embedded one. */
  private static boolean readsStayInProcess(FeatureServiceConfig config) {
    return config.feedback().map(store -> store.type() != StoreType.REDIS).orElse(true);
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(
      Telemetry telemetry,
      ServedBundles<FeatureStore> served,
      BundleWatcher<FeatureStore> watcher,
      ManagedFeedbackStore feedback,
      GrpcServer server) {
    return Lifecycle.of(telemetry, served, watcher, feedback, server);
  }
}
