package dev.recsuite.it;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.util.Modules;
import dev.recsuite.feature.FeatureGrpcService;
import dev.recsuite.feature.FeatureServiceConfig;
import dev.recsuite.feature.FeatureServiceMain;
import dev.recsuite.feature.FeatureServiceModule;
import dev.recsuite.gateway.GatewayConfig;
import dev.recsuite.gateway.GatewayMain;
import dev.recsuite.gateway.GatewayModule;
import dev.recsuite.gateway.GatewayStats;
import dev.recsuite.gateway.internal.DownstreamChannels;
import dev.recsuite.gateway.internal.RecommendHandler;
import dev.recsuite.gateway.internal.ReplicaList;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.RankingServiceConfig;
import dev.recsuite.ranking.RankingServiceMain;
import dev.recsuite.ranking.RankingServiceModule;
import dev.recsuite.ranking.internal.RankingGrpcService;
import dev.recsuite.recall.RecallGrpcService;
import dev.recsuite.recall.RecallServiceMain;
import dev.recsuite.recall.RecallServiceModule;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The four services as real Netty servers on ephemeral loopback ports in this JVM, configured by
 * parsing the same command-line options their processes take and wired by their own Guice
 * modules. Close it to stop them in reverse order.
 *
 * <p>For fault injection, {@link #builder} starts several replicas of a tier (the gateway gets them
 * as a {@code host:port,host:port} list) and gives every replica a test-only {@link Faults}
 * interceptor; a {@link Replica} can be killed (as a crash), stopped gracefully (SIGTERM: health
 * {@code NOT_SERVING}, drain, exit) or restarted on the same port. The interceptor is added by
 * overriding the tier module's {@code GrpcServer} binding; nothing in the services knows about it.
 *
 * <p>{@link Builder#telemetry} replaces each tier's {@link Telemetry} (e.g. SDKs sharing one
 * in-memory span exporter); without it every tier builds its own from its options, as a process
 * does.
 *
 * <p>The feature service runs without a feedback store (its default) unless {@link
 * Builder#featureArgs} choose one; replicas in one JVM cannot share an embedded store's directory
 * (RocksDB locks it).
 */
final class RunningSuite implements AutoCloseable {

  /** The tiers, in start order. */
  enum Tier {
    FEATURES,
    RECALL,
    RANKING,
    GATEWAY
  }

  private final Path bundles;
  private final List<String> gatewayArgs;
  private final List<String> tierArgs;
  private final List<String> featureArgs;
  private final Function<Tier, Telemetry> telemetry;
  private final Map<Tier, List<Replica>> replicas = new EnumMap<>(Tier.class);
  private final List<ManagedChannel> channels = new ArrayList<>();

  private RunningSuite(
      Path bundles,
      List<String> gatewayArgs,
      List<String> tierArgs,
      List<String> featureArgs,
      Function<Tier, Telemetry> telemetry) {
    this.bundles = bundles;
    this.gatewayArgs = List.copyOf(gatewayArgs);
    this.tierArgs = List.copyOf(tierArgs);
    this.featureArgs = List.copyOf(featureArgs);
    this.telemetry = telemetry;
  }

  private static List<String> plus(List<String> list, String... more) {
    List<String> all = new ArrayList<>(list);
    all.addAll(List.of(more));
    return all;
  }

  /** Starts one replica of every tier on the newest bundle under {@code bundles}. */
  static RunningSuite start(Path bundles) throws Exception {
    return builder(bundles).start();
  }

  /** A suite with several replicas per tier and extra gateway options. */
  static Builder builder(Path bundles) {
    return new Builder(bundles);
  }

  /** Configures a {@link RunningSuite}. */
  static final class Builder {
    private final Path bundles;
    private final Map<Tier, Integer> counts = new EnumMap<>(Tier.class);
    private final List<String> gatewayArgs = new ArrayList<>();
    private final List<String> tierArgs = new ArrayList<>();
    private final List<String> featureArgs = new ArrayList<>();
    private Function<Tier, Telemetry> telemetry;

    private Builder(Path bundles) {
      this.bundles = bundles;
      for (Tier tier : Tier.values()) {
        counts.put(tier, 1);
      }
    }

    /** Runs {@code count} replicas of {@code tier}. */
    Builder replicas(Tier tier, int count) {
      counts.put(tier, count);
      return this;
    }

    /** Adds gateway options, e.g. {@code "--breaker-open-time", "1s"}. */
    Builder gatewayArgs(String... args) {
      gatewayArgs.addAll(List.of(args));
      return this;
    }

    /** Adds options of the three internal tiers, e.g. {@code "--bundle-poll-interval", "200ms"}. */
    Builder tierArgs(String... args) {
      tierArgs.addAll(List.of(args));
      return this;
    }

    /**
     * Adds options of the feature service only, e.g. {@code "--feedback-store", "embedded",
     * "--feedback-dir", dir}.
     */
    Builder featureArgs(String... args) {
      featureArgs.addAll(List.of(args));
      return this;
    }

    /** Gives each tier (every replica of it) the {@link Telemetry} {@code perTier} returns. */
    Builder telemetry(Function<Tier, Telemetry> perTier) {
      this.telemetry = perTier;
      return this;
    }

    /** Starts the tiers in order: features, recall, ranking, gateway. */
    RunningSuite start() throws Exception {
      RunningSuite suite = new RunningSuite(bundles, gatewayArgs, tierArgs, featureArgs, telemetry);
      try {
        for (Tier tier : Tier.values()) {
          List<Replica> list = new ArrayList<>();
          suite.replicas.put(tier, list);
          for (int i = 0; i < counts.get(tier); i++) {
            Replica replica = suite.new Replica(tier, i);
            replica.start(0);
            list.add(replica);
          }
        }
        return suite;
      } catch (Exception | Error e) {
        suite.close();
        throw e;
      }
    }
  }

  /** One server of a tier, with its fault interceptor. */
  final class Replica {
    final Tier tier;
    final int index;
    final Faults faults = new Faults();
    final VersionLog versions = new VersionLog();
    private volatile int port;
    private volatile GrpcServer server;
    private volatile Lifecycle lifecycle;
    private volatile Injector injector;

    private Replica(Tier tier, int index) {
      this.tier = tier;
      this.index = index;
    }

    int port() {
      return port;
    }

    GrpcServer server() {
      return server;
    }

    Injector injector() {
      return injector;
    }

    private void start(int onPort) throws Exception {
      Injector created = Guice.createInjector(module(tier, onPort, faults, versions));
      Lifecycle started = created.getInstance(Lifecycle.class);
      started.start();
      injector = created;
      lifecycle = started;
      server = created.getInstance(GrpcServer.class);
      port = server.port();
    }

    /** Stops at once, as a crash would: in-flight calls are cut, health is not updated first. */
    void kill() {
      server.shutdownNow();
      lifecycle.stop();
    }

    /** Stops as on SIGTERM: health NOT_SERVING, in-flight calls finish, then it exits. */
    void stop() {
      lifecycle.stop();
    }

    /** A graceful stop, then a new instance on the same port (same faults). */
    void restart() throws Exception {
      stop();
      start(port);
    }

    @Override
    public String toString() {
      return tier + "#" + index + "@" + port;
    }
  }

  private Module module(Tier tier, int port, Faults faults, VersionLog versions) {
    Module module = tierModule(tier, port, faults, versions);
    if (telemetry == null) {
      return module;
    }
    Telemetry given = telemetry.apply(tier);
    return Modules.override(module)
        .with(
            new AbstractModule() {
              @Override
              protected void configure() {
                bind(Telemetry.class).toInstance(given);
              }
            });
  }

  private Module tierModule(Tier tier, int port, Faults faults, VersionLog versions) {
    String dir = bundles.toString();
    String[] common = {"--port", Integer.toString(port), "--shutdown-grace", "5s"};
    String[] tierCommon = new String[common.length + tierArgs.size()];
    System.arraycopy(common, 0, tierCommon, 0, common.length);
    for (int i = 0; i < tierArgs.size(); i++) {
      tierCommon[common.length + i] = tierArgs.get(i);
    }
    return switch (tier) {
      case FEATURES -> {
        List<String> args = plus(featureArgs, "--bundle-dir", dir);
        FeatureServiceMain main = parse(new FeatureServiceMain(), tierCommon, args.toArray(String[]::new));
        yield Modules.override(new FeatureServiceModule(main.config()))
            .with(
                new AbstractModule() {
                  @Provides
                  @Singleton
                  GrpcServer server(FeatureServiceConfig config, Telemetry telemetry, FeatureGrpcService service) {
                    return GrpcServer.builder("feature-service", config.server()).telemetry(telemetry).intercept(faults, versions).addService(service).build();
                  }
                });
      }
      case RECALL -> {
        RecallServiceMain main = parse(new RecallServiceMain(), tierCommon, "--bundle-dir", dir);
        yield Modules.override(new RecallServiceModule(main.config()))
            .with(
                new AbstractModule() {
                  @Provides
                  @Singleton
                  GrpcServer server(ServerSettings settings, Telemetry telemetry, RecallGrpcService service) {
                    return GrpcServer.builder("recall-service", settings).telemetry(telemetry).intercept(faults, versions).addService(service).build();
                  }
                });
      }
      case RANKING -> {
        RankingServiceMain main = parse(new RankingServiceMain(), tierCommon, "--bundle-dir", dir);
        yield Modules.override(new RankingServiceModule(main.config()))
            .with(
                new AbstractModule() {
                  @Provides
                  @Singleton
                  GrpcServer server(RankingServiceConfig config, Telemetry telemetry, RankingGrpcService service) {
                    return GrpcServer.builder("ranking-service", config.server()).telemetry(telemetry).intercept(faults, versions).addService(service).build();
                  }
                });
      }
      case GATEWAY -> {
        List<String> args = new ArrayList<>(List.of(common));
        args.addAll(
            List.of(
                "--recall-target", targets(Tier.RECALL),
                "--feature-target", targets(Tier.FEATURES),
                "--ranking-target", targets(Tier.RANKING)));
        args.addAll(gatewayArgs);
        GatewayMain main = parse(new GatewayMain(), new String[0], args.toArray(String[]::new));
        yield Modules.override(new GatewayModule(main.config()))
            .with(
                new AbstractModule() {
                  @Provides
                  @Singleton
                  GrpcServer server(GatewayConfig config, Telemetry telemetry, RecommendHandler handler) {
                    return GrpcServer.builder("gateway", config.server()).telemetry(telemetry).intercept(faults).addService(handler).build();
                  }
                });
      }
    };
  }

  private String targets(Tier tier) {
    return replicas.get(tier).stream().map(r -> "127.0.0.1:" + r.port()).collect(Collectors.joining(","));
  }

  private static <T> T parse(T command, String[] common, String... args) {
    String[] all = new String[common.length + args.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(args, 0, all, common.length, args.length);
    new CommandLine(command).parseArgs(all);
    return command;
  }

  List<Replica> replicas(Tier tier) {
    return replicas.get(tier);
  }

  Replica replica(Tier tier, int index) {
    return replicas.get(tier).get(index);
  }

  int gatewayPort() {
    return replica(Tier.GATEWAY, 0).port();
  }

  int recallPort() {
    return replica(Tier.RECALL, 0).port();
  }

  int featurePort() {
    return replica(Tier.FEATURES, 0).port();
  }

  int rankingPort() {
    return replica(Tier.RANKING, 0).port();
  }

  /** The telemetry of the first replica of {@code tier}, e.g. for its metrics port. */
  Telemetry telemetry(Tier tier) {
    return replica(tier, 0).injector().getInstance(Telemetry.class);
  }

  /** The resilience counters of the first gateway replica. */
  GatewayStats gatewayStats() {
    return replica(Tier.GATEWAY, 0).injector().getInstance(GatewayStats.class);
  }

  /** A plaintext channel to a port of this suite, closed with the suite. */
  ManagedChannel channel(int port) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  /**
   * A channel over every gateway replica, balanced and health-checked the way the gateway reaches
   * its own tiers (what a client or a load balancer in front of the gateways would do).
   */
  ManagedChannel gatewayChannel() {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(ReplicaList.grpcTarget(targets(Tier.GATEWAY)))
            .usePlaintext()
            .defaultServiceConfig(
                DownstreamChannels.serviceConfig(GatewayServiceGrpc.SERVICE_NAME, 0, Duration.ofSeconds(10)))
            .build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    List<Tier> order = new ArrayList<>(List.of(Tier.values()));
    for (Tier tier : order.reversed()) {
      for (Replica replica : replicas.getOrDefault(tier, List.of()).reversed()) {
        if (replica.lifecycle != null) {
          replica.faults.heal();
          replica.lifecycle.stop();
        }
      }
    }
  }
}
