package dev.recsuite.cli;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.cli.internal.HealthWaiter;
import dev.recsuite.cli.internal.RecommendationTable;
import dev.recsuite.cli.internal.ServiceProcess;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.feature.FeatureServiceMain;
import dev.recsuite.gateway.GatewayMain;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.ranking.RankingServiceMain;
import dev.recsuite.recall.RecallServiceMain;
import dev.recsuite.trainer.DataOptions;
import dev.recsuite.trainer.TrainingPipeline;
import dev.recsuite.trainer.TrainingResult;
import dev.recsuite.trainer.TrainerSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recsuite up}: trains a bundle (unless one for the same data exists), starts the four
 * services as separate processes on loopback, waits until each is healthy, prints recommendations
 * for an example user and keeps the suite running until Ctrl-C, which stops every process cleanly
 * (SIGTERM, in reverse start order).
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Train a bundle if needed, start the whole suite locally and ask it for a recommendation.")
public final class UpCommand implements Callable<Integer> {

  private static final List<String> SERVICE_JVM_OPTIONS =
      List.of(
          "-Xmx1g",
          "-XX:+UseParallelGC",
          "--add-modules=jdk.incubator.vector",
          "--sun-misc-unsafe-memory-access=allow",
          "--enable-native-access=ALL-UNNAMED");

  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Option(names = "--work-dir", defaultValue = ".recsuite", description = "Where bundles, feedback events and logs go.")
  Path workDir;

  @Option(names = "--retrain", description = "Train a new bundle even if one for the same data exists.")
  boolean retrain;

  @Option(names = {"-u", "--user"}, description = "Example user to recommend for (default: the first user of the data).")
  String user;

  @Option(names = {"-k", "--k"}, defaultValue = "10", description = "How many items to show.")
  int k;

  @Option(names = "--base-port", defaultValue = "50051",
      description = "Gateway port; recall, feature and ranking take the next three. 0 picks four free ports.")
  int basePort;

  @Option(names = "--startup-timeout", defaultValue = "120", description = "Seconds to wait for each service to become healthy.")
  int startupTimeoutSeconds;

  @Option(names = "--exit", description = "Stop the suite after printing the example instead of running until Ctrl-C.")
  boolean exitAfterExample;

  private int gatewayPort;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path bundles = workDir.resolve("bundles").toAbsolutePath().normalize();
    Path logs = workDir.resolve("logs").toAbsolutePath().normalize();

    Bundle bundle = bundleFor(bundles, out);
    String exampleUser = user != null ? user : firstUser(bundle);

    List<ServiceProcess> started = new ArrayList<>();
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stopAll =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            stopInReverse(started, out);
          }
        };
    Thread hook = Thread.ofPlatform().name("recsuite-up-stop").unstarted(stopAll);
    Runtime.getRuntime().addShutdownHook(hook);

    int[] ports = basePort == 0 ? freePorts(4) : new int[] {basePort, basePort + 1, basePort + 2, basePort + 3};
    gatewayPort = ports[0];
    String bundleDir = bundles.toString();
    // Real-time feedback with no server to install: the embedded store, kept under the work dir.
    start(
        started, out, logs, "feature-service", ports[2], FeatureServiceMain.class, "--bundle-dir", bundleDir,
        "--feedback-store", "embedded", "--feedback-dir", workDir.resolve("feedback").toAbsolutePath().normalize().toString());
    start(started, out, logs, "recall-service", ports[1], RecallServiceMain.class, "--bundle-dir", bundleDir);
    start(started, out, logs, "ranking-service", ports[3], RankingServiceMain.class, "--bundle-dir", bundleDir);
    HealthWaiter waiter = new HealthWaiter(Clock.systemUTC());
    awaitHealthy(waiter, started, out);
    // The gateway last, once the tiers serve: it fetches its popular list from recall at start, and
    // its first requests find every tier reachable instead of in connection backoff.
    start(
        started, out, logs, "gateway", ports[0], GatewayMain.class,
        "--recall-target", "127.0.0.1:" + ports[1],
        "--feature-target", "127.0.0.1:" + ports[2],
        "--ranking-target", "127.0.0.1:" + ports[3]);
    awaitHealthy(waiter, started.subList(started.size() - 1, started.size()), out);

    out.println();
    out.print(RecommendationTable.render(exampleUser, recommend(exampleUser)));
    out.println();
    String targetOption = gatewayPort == 50051 ? "" : " --target 127.0.0.1:" + gatewayPort;
    out.printf("The suite is up: gateway on 127.0.0.1:%d. In another terminal:%n", gatewayPort);
    out.printf("  ./recsuite recommend%s --user %s%n", targetOption, exampleUser);
    out.printf("  ./recsuite recommend%s --user someone-new --query \"space adventure\"%n", targetOption);
    out.flush();

    if (exitAfterExample) {
      stopAll.run();
      Runtime.getRuntime().removeShutdownHook(hook);
      return 0;
    }
    out.println("Press Ctrl-C to stop every service.");
    out.flush();
    while (started.stream().allMatch(ServiceProcess::isAlive)) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
    }
    if (stopped.get()) {
      // Ctrl-C or SIGTERM: the shutdown hook is stopping the services.
      return 0;
    }
    ServiceProcess dead = started.stream().filter(p -> !p.isAlive()).findFirst().orElseThrow();
    spec.commandLine().getErr().printf(
        "%s exited unexpectedly with code %d; stopping the others. Last log lines:%n%s%n",
        dead.name(), dead.exitCode(), dead.logTail(15));
    stopAll.run();
    return 1;
  }

  private Bundle bundleFor(Path bundles, PrintWriter out) throws Exception {
    BundleRepository repository = new BundleRepository(bundles);
    Optional<String> latest = repository.latestVersion();
    if (!retrain && latest.isPresent()) {
      Bundle existing = repository.open(latest.get());
      if (existing.manifest().getDataSource().getLocation().equals(data.location())) {
        out.printf("Using bundle %s (same data; --retrain to train anew)%n", existing.version());
        out.flush();
        return existing;
      }
    }
    out.printf("Training a bundle on %s ...%n", data.synthetic() ? "the embedded synthetic data" : data.location());
    out.flush();
    Dataset dataset = data.load();
    TrainingResult result =
        new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC()).train(dataset, bundles, data.label());
    BundleManifest manifest = result.manifest();
    out.printf("Trained bundle %s in %.1f s (%d users, %d items, %d interactions)%n",
        manifest.getVersion(), result.elapsed().toMillis() / 1000.0,
        manifest.getCounts().getUsers(), manifest.getCounts().getItems(), manifest.getCounts().getInteractions());
    out.flush();
    return repository.open(result.version());
  }

  private void awaitHealthy(HealthWaiter waiter, List<ServiceProcess> processes, PrintWriter out) {
    for (ServiceProcess process : processes) {
      waiter.awaitServing(process, Duration.ofSeconds(startupTimeoutSeconds));
      out.printf("  %-16s healthy on 127.0.0.1:%d (pid %d, log %s)%n",
          process.name(), process.port(), process.pid(), process.logFile());
      out.flush();
    }
  }

  private static String firstUser(Bundle bundle) {
    UserDirectory users = bundle.read(BundleFiles.USERS, UserDirectory.parser());
    return users.getUsersCount() == 0 ? "new-user" : users.getUsers(0).getId();
  }

  private void start(
      List<ServiceProcess> started, PrintWriter out, Path logs, String name, int port, Class<?> main, String... args)
      throws Exception {
    List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(port)));
    arguments.addAll(List.of(args));
    ServiceProcess process = ServiceProcess.start(name, port, main.getName(), SERVICE_JVM_OPTIONS, arguments, logs);
    started.add(process);
    out.printf("  started %-16s pid %d%n", name, process.pid());
    out.flush();
  }

  private RecommendResponse recommend(String userId) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
    try {
      return GatewayServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .recommend(RecommendRequest.newBuilder().setUserId(userId).setK(k).build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Free loopback ports, found by binding port 0 (another process could take one in between). */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static void stopInReverse(List<ServiceProcess> started, PrintWriter out) {
    for (ServiceProcess process : started.reversed()) {
      try {
        boolean clean = process.stop(Duration.ofSeconds(25));
        out.printf("  stopped %-16s%s%n", process.name(), clean ? "" : " (killed after the grace period)");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    out.flush();
  }
}
