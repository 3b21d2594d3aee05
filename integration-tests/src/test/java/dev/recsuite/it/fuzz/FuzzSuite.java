package dev.recsuite.it.fuzz;

import com.google.inject.Guice;
import com.google.inject.Injector;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The four services as their processes wire them (their own Guice modules, configured by parsing
 * their command-line options), on ephemeral loopback ports in this JVM, for the fuzz tests: the
 * feature service with an embedded feedback store, so that feedback writes run for real. Close it
 * to stop them in reverse order.
 */
final class FuzzSuite implements AutoCloseable {

  private final List<Lifecycle> started = new ArrayList<>();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private int featurePort;
  private int recallPort;
  private int rankingPort;
  private int gatewayPort;

  private FuzzSuite() {}

  /** Starts features, recall, ranking and gateway on the newest bundle under {@code bundles}. */
  static FuzzSuite start(Path bundles, Path feedbackDir) throws Exception {
    FuzzSuite suite = new FuzzSuite();
    try {
      String dir = bundles.toString();
      String[] common = {"--port", "0", "--shutdown-grace", "1s"};
      FeatureServiceMain features =
          parse(new FeatureServiceMain(), common, "--bundle-dir", dir, "--feedback-store", "embedded", "--feedback-dir", feedbackDir.toString());
      suite.featurePort = suite.startModule(new FeatureServiceModule(features.config()));
      RecallServiceMain recall = parse(new RecallServiceMain(), common, "--bundle-dir", dir);
      suite.recallPort = suite.startModule(new RecallServiceModule(recall.config()));
      RankingServiceMain ranking = parse(new RankingServiceMain(), common, "--bundle-dir", dir);
      suite.rankingPort = suite.startModule(new RankingServiceModule(ranking.config()));
      GatewayMain gateway =
          parse(
              new GatewayMain(),
              common,
              "--recall-target", "127.0.0.1:" + suite.recallPort,
              "--feature-target", "127.0.0.1:" + suite.featurePort,
              "--ranking-target", "127.0.0.1:" + suite.rankingPort,
              // Generous hops: on a loaded machine a slow tier must not degrade an answer, since
              // the fuzz test takes a degraded answer for a tier failing on what the gateway sent.
              "--recall-timeout", "5s", "--recall-slow-call", "5s",
              "--feature-timeout", "5s", "--feature-slow-call", "5s",
              "--ranking-timeout", "5s", "--ranking-slow-call", "5s",
              "--feedback-timeout", "5s", "--feedback-slow-call", "5s");
      suite.gatewayPort = suite.startModule(new GatewayModule(gateway.config()));
      return suite;
    } catch (Exception | Error e) {
      suite.close();
      throw e;
    }
  }

  private int startModule(Module module) throws Exception {
    Injector injector = Guice.createInjector(module);
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    started.add(lifecycle);
    return injector.getInstance(GrpcServer.class).port();
  }

  private static <T> T parse(T command, String[] common, String... args) {
    String[] all = new String[common.length + args.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(args, 0, all, common.length, args.length);
    new CommandLine(command).parseArgs(all);
    return command;
  }

  int featurePort() {
    return featurePort;
  }

  int recallPort() {
    return recallPort;
  }

  int rankingPort() {
    return rankingPort;
  }

  int gatewayPort() {
    return gatewayPort;
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
    for (Lifecycle lifecycle : started.reversed()) {
      lifecycle.stop();
    }
  }
}
