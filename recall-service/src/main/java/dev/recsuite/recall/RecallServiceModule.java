package dev.recsuite.recall;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerSettings;
import java.util.Objects;

/**
 * The recall service's object graph: the newest bundle's engine in a {@link CurrentEngine}, the
 * gRPC endpoint, the server and the lifecycle (engine holder first, server last, so the server
 * drains before the engine closes). Loading the bundle happens when the graph is built, so a
 * missing or corrupt bundle fails startup with the bundle's own message.
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
  BundleRepository bundleRepository(RecallServiceConfig config) {
    return new BundleRepository(config.bundleDir());
  }

  @Provides
  @Singleton
  CurrentEngine currentEngine(BundleRepository bundles, RecallSettings settings) {
    return new CurrentEngine(RecallEngine.open(bundles.openLatest(), settings));
  }

  @Provides
  @Singleton
  RecallGrpcService recallGrpcService(CurrentEngine engines, RecallServiceConfig config) {
    return new RecallGrpcService(engines, config.maxCandidates());
  }

  @Provides
  @Singleton
  GrpcServer grpcServer(ServerSettings settings, RecallGrpcService recall) {
    return GrpcServer.builder(SERVICE_NAME, settings).addService(recall).build();
  }

  @Provides
  @Singleton
  Lifecycle lifecycle(CurrentEngine engines, GrpcServer server) {
    return Lifecycle.of(engines, server);
  }
}
