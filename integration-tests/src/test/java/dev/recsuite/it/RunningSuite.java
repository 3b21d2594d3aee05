package dev.recsuite.it;

import com.google.inject.Injector;
import com.google.inject.Guice;
import com.google.inject.Module;
import dev.recsuite.feature.FeatureServiceMain;
import dev.recsuite.feature.FeatureServiceModule;
import dev.recsuite.gateway.GatewayMain;
import dev.recsuite.gateway.GatewayModule;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.ranking.RankingServiceMain;
import dev.recsuite.ranking.RankingServiceModule;
import dev.recsuite.recall.RecallServiceMain;
import dev.recsuite.recall.RecallServiceModule;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The four services as real Netty servers on ephemeral loopback ports in this JVM, configured by
 * parsing the same command-line options their processes take and wired by their own Guice
 * modules. Close it to stop them in reverse order.
 */
final class RunningSuite implements AutoCloseable {

  private final List<Lifecycle> lifecycles = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private int featurePort;
  private int recallPort;
  private int rankingPort;
  private int gatewayPort;

  private RunningSuite() {}

  /** Starts every tier on the newest bundle under {@code bundles}. */
  static RunningSuite start(Path bundles) throws Exception {
    RunningSuite suite = new RunningSuite();
    try {
      String dir = bundles.toString();
      FeatureServiceMain feature = parse(new FeatureServiceMain(), "--port", "0", "--bundle-dir", dir);
      suite.featurePort = suite.startTier(new FeatureServiceModule(feature.config()));
      RecallServiceMain recall = parse(new RecallServiceMain(), "--port", "0", "--bundle-dir", dir);
      suite.recallPort = suite.startTier(new RecallServiceModule(recall.config()));
      RankingServiceMain ranking = parse(new RankingServiceMain(), "--port", "0", "--bundle-dir", dir);
      suite.rankingPort = suite.startTier(new RankingServiceModule(ranking.config()));
      GatewayMain gateway =
          parse(
              new GatewayMain(),
              "--port", "0",
              "--recall-target", "127.0.0.1:" + suite.recallPort,
              "--feature-target", "127.0.0.1:" + suite.featurePort,
              "--ranking-target", "127.0.0.1:" + suite.rankingPort);
      suite.gatewayPort = suite.startTier(new GatewayModule(gateway.config()));
      return suite;
    } catch (Exception | Error e) {
      suite.close();
      throw e;
    }
  }

  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private int startTier(Module module) throws Exception {
    Injector injector = Guice.createInjector(module);
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    lifecycles.add(lifecycle);
    return injector.getInstance(GrpcServer.class).port();
  }

  int gatewayPort() {
    return gatewayPort;
  }

  int recallPort() {
    return recallPort;
  }

  int featurePort() {
    return featurePort;
  }

  int rankingPort() {
    return rankingPort;
  }

  /** A plaintext channel to a port of this suite, closed with the suite. */
  ManagedChannel channel(int port) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Lifecycle lifecycle : lifecycles.reversed()) {
      lifecycle.stop();
    }
  }
}
