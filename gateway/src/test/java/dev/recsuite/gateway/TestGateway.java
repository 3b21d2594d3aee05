package dev.recsuite.gateway;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.util.Modules;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.gateway.internal.Downstreams;
import dev.recsuite.gateway.internal.RecommendHandler;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * The gateway wired by its own {@link GatewayModule}, configured by parsing {@link GatewayMain}'s
 * options, with the tiers replaced by {@link FakeTiers} and the transport by in-process channels:
 * {@code Modules.override} swaps {@link Downstreams}, the {@link GrpcServer} and the breakers'
 * {@link Clock}.
 */
final class TestGateway {

  final FakeTiers tiers;
  final TestClock clock;
  final GatewayStats stats;
  final GatewayServiceGrpc.GatewayServiceBlockingStub stub;
  /** The asynchronous stub, for the client-streaming StreamFeedback. */
  final GatewayServiceGrpc.GatewayServiceStub async;

  private TestGateway(
      FakeTiers tiers,
      TestClock clock,
      GatewayStats stats,
      GatewayServiceGrpc.GatewayServiceBlockingStub stub,
      GatewayServiceGrpc.GatewayServiceStub async) {
    this.tiers = tiers;
    this.clock = clock;
    this.stats = stats;
    this.stub = stub;
    this.async = async;
  }

  /** Starts a gateway in front of {@code tiers} with the options {@code args}. */
  static TestGateway start(InProcessGrpcExtension grpc, FakeTiers tiers, String... args) throws Exception {
    return start(grpc, tiers, null, args);
  }

  /**
   * Starts a gateway in front of {@code tiers} with the options {@code args}, observed by {@code
   * telemetry} (the module's own when {@code null}).
   */
  static TestGateway start(InProcessGrpcExtension grpc, FakeTiers tiers, Telemetry telemetry, String... args)
      throws Exception {
    ManagedChannel channel = grpc.channel(grpc.startServer(tiers.recall, tiers.features, tiers.ranking));
    Channel downstream =
        telemetry == null ? channel : ClientInterceptors.intercept(channel, telemetry.clientInterceptors());
    Downstreams stubs =
        new Downstreams(
            RecallServiceGrpc.newFutureStub(downstream),
            FeatureServiceGrpc.newFutureStub(downstream),
            RankingServiceGrpc.newFutureStub(downstream));
    List<String> all = new ArrayList<>(List.of("--port", "0"));
    all.addAll(List.of(args));
    GatewayMain main = new GatewayMain();
    new CommandLine(main).parseArgs(all.toArray(String[]::new));
    String serverName = grpc.newServerName();
    TestClock clock = new TestClock();
    Injector injector =
        Guice.createInjector(
            Modules.override(new GatewayModule(main.config()))
                .with(
                    new AbstractModule() {
                      @Override
                      protected void configure() {
                        bind(Downstreams.class).toInstance(stubs);
                        bind(Clock.class).toInstance(clock);
                        if (telemetry != null) {
                          bind(Telemetry.class).toInstance(telemetry);
                        }
                      }

                      @Provides
                      @Singleton
                      GrpcServer server(RecommendHandler handler, Telemetry observed) {
                        return GrpcServer.builder("gateway", InProcessServerBuilder.forName(serverName))
                            .telemetry(observed)
                            .addService(handler)
                            .build();
                      }
                    }));
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    grpc.register((AutoCloseable) () -> {
      tiers.releaseAll();
      lifecycle.stop();
    });
    ManagedChannel client = grpc.channel(serverName);
    return new TestGateway(
        tiers,
        clock,
        injector.getInstance(GatewayStats.class),
        GatewayServiceGrpc.newBlockingStub(client),
        GatewayServiceGrpc.newStub(client));
  }

  /** A clock tests move by hand (the breakers' open time). */
  static final class TestClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    void advance(Duration duration) {
      now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
