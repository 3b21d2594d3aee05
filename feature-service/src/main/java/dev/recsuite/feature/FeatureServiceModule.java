package dev.recsuite.feature;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.feature.internal.CurrentFeatures;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature service's object graph: the store of the newest bundle under {@link
 * FeatureServiceConfig#bundleDir()}, the handler and the gRPC server, started and stopped by a
 * {@link Lifecycle}.
 */
public final class FeatureServiceModule extends AbstractModule {

  /** The service name in logs, health and startup errors. */
  public static final String SERVICE_NAME = "feature-service";

  private static final Logger log = LoggerFactory.getLogger(FeatureServiceModule.class);

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

  /**
   * Loads the newest published bundle under the configured root.
   *
   * @throws InvalidBundleException if there is none or it is missing, corrupt or inconsistent
   */
  @Provides
  @Singleton
  CurrentFeatures currentFeatures(FeatureServiceConfig config) {
    Bundle bundle = new BundleRepository(config.bundleDir()).openLatest();
    FeatureStore store = FeatureStore.load(bundle);
    log.info(
        "Serving features of bundle {} from {}: {} users, {} items",
        store.version(),
        bundle.directory(),
        store.userCount(),
        store.itemCount());
    return new CurrentFeatures(store);
  }

  @Provides
  @Singleton
  FeatureGrpcService featureGrpcService(CurrentFeatures features, FeatureServiceConfig config) {
    return new FeatureGrpcService(features, config.maxBatch());
  }

  @Provides
  @Singleton
  GrpcServer grpcServer(FeatureServiceConfig config, FeatureGrpcService service) {
    return GrpcServer.builder(SERVICE_NAME, config.server()).addService(service).build();
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(GrpcServer server) {
    return Lifecycle.of(server);
  }
}
