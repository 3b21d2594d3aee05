package dev.recsuite.evaluation;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.recsuite.core.bundle.Bundle;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The four services (feature, recall, ranking, gateway) as real Netty servers on ephemeral
 * loopback ports in this JVM, serving exactly one bundle. Each tier is configured by parsing the
 * command-line options its process takes and wired by its own Guice module, so what runs here is
 * what {@code recsuite up} runs, minus the process boundary:
 *
 * <pre>{@code
 * try (LocalSuite suite = LocalSuite.start(bundle, GatewayConfig.DEFAULT_RECALL_CANDIDATES)) {
 *   ManagedChannel channel = NettyChannelBuilder.forTarget(suite.gatewayTarget()).usePlaintext().build();
 *   ...
 * }
 * }</pre>
 *
 * <p>The services load the newest bundle under a bundle root; to make them serve {@code bundle}
 * whatever else lies beside it, the suite gives them a private root holding only a symbolic link
 * to it, removed on {@link #close()}. Closing stops the tiers in reverse start order.
 */
public final class LocalSuite implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalSuite.class);

  private final List<Lifecycle> lifecycles = new ArrayList<>();
  private final Path root;
  private int featurePort;
  private int recallPort;
  private int rankingPort;
  private int gatewayPort;

  private LocalSuite(Path root) {
    this.root = root;
  }

  /**
   * Starts every tier on {@code bundle}, the gateway configured for evaluation: generous hop
   * budgets (a busy machine gives slow answers rather than degraded ones that would not compare)
   * and {@code --max-k 1000} (the sampled protocol asks for every candidate).
   *
   * @param recallCandidates the gateway's {@code --recall-candidates}
   * @throws IOException if the private bundle root cannot be made
   * @throws Exception if a tier fails to start (the message names it); the tiers already started
   *     are stopped
   */
  public static LocalSuite start(Bundle bundle, int recallCandidates) throws Exception {
    return start(
        bundle,
        List.of(),
        List.of(
            "--recall-candidates", Integer.toString(recallCandidates),
            "--max-k", "1000",
            "--recall-timeout", "20s",
            "--feature-timeout", "20s",
            "--ranking-timeout", "20s",
            "--recall-slow-call", "20s",
            "--feature-slow-call", "20s",
            "--ranking-slow-call", "20s"));
  }

  /**
   * Starts every tier on {@code bundle}, with more command-line options for the feature service
   * (e.g. its feedback store) and for the gateway (e.g. hop budgets) than the ports and the bundle
   * root the suite sets itself.
   *
   * @throws IOException if the private bundle root cannot be made
   * @throws Exception if an option is invalid or a tier fails to start (the message names it); the
   *     tiers already started are stopped
   */
  public static LocalSuite start(Bundle bundle, List<String> featureOptions, List<String> gatewayOptions)
      throws Exception {
    Objects.requireNonNull(bundle, "bundle");
    Path root = Files.createTempDirectory("recsuite-eval-suite-");
    Files.createSymbolicLink(root.resolve(bundle.version()), bundle.directory().toAbsolutePath());
    LocalSuite suite = new LocalSuite(root);
    long started = System.nanoTime();
    try {
      List<String> server = List.of("--port", "0", "--shutdown-grace", "1s");
      List<String> common = new ArrayList<>(server);
      common.addAll(List.of("--bundle-dir", root.toString()));
      suite.featurePort =
          suite.startTier(new FeatureServiceModule(parse(new FeatureServiceMain(), common, featureOptions).config()));
      suite.recallPort = suite.startTier(new RecallServiceModule(parse(new RecallServiceMain(), common, List.of()).config()));
      suite.rankingPort =
          suite.startTier(new RankingServiceModule(parse(new RankingServiceMain(), common, List.of()).config()));
      List<String> targets = new ArrayList<>(server);
      targets.addAll(
          List.of(
              "--recall-target", "127.0.0.1:" + suite.recallPort,
              "--feature-target", "127.0.0.1:" + suite.featurePort,
              "--ranking-target", "127.0.0.1:" + suite.rankingPort));
      suite.gatewayPort = suite.startTier(new GatewayModule(parse(new GatewayMain(), targets, gatewayOptions).config()));
      log.info(
          "local suite on bundle {} started in {} ms: gateway 127.0.0.1:{}, recall :{}, features :{}, ranking :{}",
          bundle.version(), (System.nanoTime() - started) / 1_000_000, suite.gatewayPort, suite.recallPort,
          suite.featurePort, suite.rankingPort);
      return suite;
    } catch (Exception | Error e) {
      suite.close();
      throw e;
    }
  }

  private static <T> T parse(T command, List<String> common, List<String> options) {
    List<String> all = new ArrayList<>(common);
    all.addAll(options);
    new CommandLine(command).parseArgs(all.toArray(String[]::new));
    return command;
  }

  private int startTier(Module module) throws Exception {
    Injector injector = Guice.createInjector(module);
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    lifecycles.add(lifecycle);
    return injector.getInstance(GrpcServer.class).port();
  }

  /** The gateway's gRPC target, {@code 127.0.0.1:<port>}. */
  public String gatewayTarget() {
    return "127.0.0.1:" + gatewayPort;
  }

  /** The recall tier's gRPC target. */
  public String recallTarget() {
    return "127.0.0.1:" + recallPort;
  }

  /** The feature tier's gRPC target. */
  public String featureTarget() {
    return "127.0.0.1:" + featurePort;
  }

  /** The ranking tier's gRPC target. */
  public String rankingTarget() {
    return "127.0.0.1:" + rankingPort;
  }

  /** Stops the tiers in reverse start order and removes the private bundle root. Idempotent. */
  @Override
  public void close() {
    for (Lifecycle lifecycle : lifecycles.reversed()) {
      lifecycle.stop();
    }
    lifecycles.clear();
    if (!Files.exists(root)) {
      return;
    }
    try (var children = Files.list(root)) {
      for (Path child : children.toList()) {
        Files.deleteIfExists(child); // the symbolic link only, never the bundle it points to
      }
      Files.deleteIfExists(root);
    } catch (IOException e) {
      log.warn("cannot remove the suite's private bundle root {}: {}", root, e.toString());
    }
  }
}
