package dev.recsuite.cli;

import dev.recsuite.cli.internal.ClosedLoopDriver;
import dev.recsuite.cli.internal.LatencyRecorder;
import dev.recsuite.cli.internal.NanoClock;
import dev.recsuite.cli.internal.OpenLoopDriver;
import dev.recsuite.cli.internal.RequestSender;
import dev.recsuite.cli.internal.RunLength;
import dev.recsuite.cli.internal.UserIds;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.grpc.DurationConverter;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recsuite bench}: load on {@code Recommend} against a running gateway, closed loop ({@code
 * --concurrency}: each worker sends when its previous answer arrived) or open loop ({@code --rate}:
 * a fixed schedule, latency measured from each request's intended send time), for {@code
 * --requests} or {@code --duration}; users from a bundle or from a file of ids. Prints throughput,
 * p50/p90/p99/p99.9/max latency and errors by status code; exits 1 when any call failed.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Load on Recommend against a running gateway: closed loop (--concurrency) or open loop (--rate).",
      "Reports req/s, latency percentiles (ms) and errors by status code; exit code 1 if any call failed."
    })
public final class BenchCommand implements Callable<Integer> {

  private static final int DEFAULT_REQUESTS = 3000;
  private static final int MAX_SAMPLES = 50_000_000;

  @Spec CommandSpec spec;

  @Option(names = "--target", defaultValue = "127.0.0.1:50051", description = "Gateway address (any gRPC target).")
  String target;

  @Option(
      names = "--bundles",
      defaultValue = ".recsuite/bundles",
      description = "Bundle root whose newest bundle's users are sent (unless --users is given).")
  Path bundles;

  @Option(names = "--users", paramLabel = "<file>", description = "File of user ids, one a line (# comments allowed), instead of --bundles.")
  Path usersFile;

  @Option(
      names = "--export-users",
      paramLabel = "<file>",
      description = "Write the users (shuffled by --seed) to this file and exit without sending: a ghz data file (JSON array of requests with -k) if it ends in .json, else one id a line.")
  Path exportUsers;

  @Option(names = "--concurrency", defaultValue = "1", description = "Closed loop: requests in flight (1 = sequential). Ignored with --rate.")
  int concurrency;

  @Option(
      names = "--rate",
      paramLabel = "<req/s>",
      description = "Open loop: send this many requests per second on a fixed schedule, whatever the answers do.")
  Double rate;

  @Option(
      names = "--max-in-flight",
      defaultValue = "1000",
      description = "Open loop: most requests outstanding; a request due beyond it is not sent and counts as a DROPPED error.")
  int maxInFlight;

  @Option(names = "--requests", description = "Measured requests (default " + DEFAULT_REQUESTS + " unless --duration is given).")
  Integer requests;

  @Option(names = "--duration", converter = DurationConverter.class, description = "Measure for this long instead of a count, e.g. 30s or 2m.")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5000",
      description =
          "Unmeasured requests first, in the same mode: the client's own JIT warm-up (a few hundred leave"
              + " this JVM compiling during the measurement, which inflates the tail it reports).")
  int warmup;

  @Option(names = {"-k", "--k"}, defaultValue = "10", description = "Items per request.")
  int k;

  @Option(names = "--deadline-ms", defaultValue = "5000", description = "Deadline of each call.")
  long deadlineMillis;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the order in which users are sent.")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    validate();
    List<String> users =
        UserIds.shuffled(usersFile != null ? UserIds.fromFile(usersFile) : UserIds.fromBundle(bundles), seed);
    if (exportUsers != null) {
      UserIds.write(exportUsers, users, k);
      out.printf("Wrote %d user ids to %s%n", users.size(), exportUsers);
      out.flush();
      return 0;
    }
    RunLength length =
        duration != null ? RunLength.duration(duration) : RunLength.requests(requests != null ? requests : DEFAULT_REQUESTS);
    // Answers are recorded and the next request sent on the transport thread: the driver shares
    // the machine with the servers it measures, so it spends no thread hand-off per answer.
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().directExecutor().build();
    try {
      RequestSender sender = sender(GatewayServiceGrpc.newStub(channel), users);
      out.printf(
          "Recommend k=%d to %s, %d users from %s, deadline %d ms%n",
          k, target, users.size(), usersFile != null ? usersFile : "the newest bundle under " + bundles, deadlineMillis);
      boolean failed = rate != null ? runOpenLoop(out, sender, length) : runClosedLoop(out, sender, length);
      out.flush();
      return failed ? 1 : 0;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void validate() {
    if (requests != null && duration != null) {
      throw new ParameterException(spec.commandLine(), "--requests and --duration exclude each other: give one");
    }
    if (requests != null && requests <= 0) {
      throw new ParameterException(spec.commandLine(), "--requests: " + requests + " (expected: > 0)");
    }
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new ParameterException(spec.commandLine(), "--duration: " + duration + " (expected: > 0)");
    }
    if (rate != null && (!(rate > 0) || rate.isInfinite())) {
      throw new ParameterException(spec.commandLine(), "--rate: " + rate + " (expected: > 0 requests/s)");
    }
    if (concurrency <= 0) {
      throw new ParameterException(spec.commandLine(), "--concurrency: " + concurrency + " (expected: > 0)");
    }
    if (maxInFlight <= 0) {
      throw new ParameterException(spec.commandLine(), "--max-in-flight: " + maxInFlight + " (expected: > 0)");
    }
    if (warmup < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup: " + warmup + " (expected: >= 0)");
    }
  }

  private boolean runOpenLoop(PrintWriter out, RequestSender sender, RunLength length) throws InterruptedException {
    long count = length.requestsAt(rate);
    if (count == 0) {
      throw new ParameterException(spec.commandLine(), "--rate " + rate + " " + length + " sends no request");
    }
    out.printf(
        Locale.ROOT,
        "open loop at %.1f req/s, %d requests (%s, at most %d in flight), after %d warm-up requests%n",
        rate, count, length, maxInFlight, warmup);
    out.flush();
    Duration drain = Duration.ofMillis(deadlineMillis).plusSeconds(5);
    if (warmup > 0) {
      OpenLoopDriver warm = new OpenLoopDriver(NanoClock.system(), rate, maxInFlight);
      warm.dispatch(warmup, sender, new LatencyRecorder(warmup));
      warm.awaitIdle(drain);
    }
    OpenLoopDriver driver = new OpenLoopDriver(NanoClock.system(), rate, maxInFlight);
    LatencyRecorder recorder = new LatencyRecorder(MAX_SAMPLES);
    long started = System.nanoTime();
    driver.dispatch(count, sender, recorder);
    boolean idle = driver.awaitIdle(drain);
    long wall = System.nanoTime() - started;
    LatencyRecorder.Summary summary = recorder.summary(wall);
    LatencyRecorder.Summary lag = driver.scheduleLag(wall);
    printCounts(out, summary, count);
    out.printf(
        Locale.ROOT,
        "throughput %.1f req/s over %.2f s (offered %.1f req/s)%n",
        summary.throughput(), wall / 1e9, rate);
    out.println("latency ms from the intended send time: " + summary.latencies());
    out.printf(
        Locale.ROOT,
        "send lag ms (client behind its schedule): p50 %.2f, p99 %.2f, max %.2f%n",
        lag.p50(), lag.p99(), lag.max());
    if (!idle) {
      out.printf("%d requests still unanswered after waiting %d ms%n", driver.inFlight(), drain.toMillis());
    }
    return summary.errors() > 0 || !idle;
  }

  private boolean runClosedLoop(PrintWriter out, RequestSender sender, RunLength length) throws InterruptedException {
    out.printf("closed loop, concurrency %d, %s, after %d warm-up requests%n", concurrency, length, warmup);
    out.flush();
    ClosedLoopDriver driver = new ClosedLoopDriver(NanoClock.system(), concurrency);
    if (warmup > 0) {
      driver.run(RunLength.requests(warmup), sender, new LatencyRecorder(warmup));
    }
    LatencyRecorder recorder = new LatencyRecorder(MAX_SAMPLES);
    long started = System.nanoTime();
    driver.run(length, sender, recorder);
    long wall = System.nanoTime() - started;
    LatencyRecorder.Summary summary = recorder.summary(wall);
    printCounts(out, summary, summary.ok() + summary.errors());
    out.printf(Locale.ROOT, "throughput %.1f req/s over %.2f s%n", summary.throughput(), wall / 1e9);
    out.println("latency ms: " + summary.latencies());
    return summary.errors() > 0;
  }

  private static void printCounts(PrintWriter out, LatencyRecorder.Summary summary, long requests) {
    out.printf(
        "requests %d: ok %d (degraded %d), errors %d: %s%n",
        requests, summary.ok(), summary.degraded(), summary.errors(), summary.errorBreakdown());
    if (summary.unsampled() > 0) {
      out.printf("(%d answers beyond the sample limit are not in the percentiles)%n", summary.unsampled());
    }
  }

  private RequestSender sender(GatewayServiceGrpc.GatewayServiceStub gateway, List<String> users) {
    List<RecommendRequest> requests =
        users.stream().map(user -> RecommendRequest.newBuilder().setUserId(user).setK(k).build()).toList();
    return index -> {
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      gateway
          .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
          .recommend(
              requests.get((int) (index % requests.size())),
              new StreamObserver<>() {
                private boolean degraded;

                @Override
                public void onNext(RecommendResponse response) {
                  degraded = response.getDegraded();
                }

                @Override
                public void onError(Throwable failure) {
                  answer.completeExceptionally(failure);
                }

                @Override
                public void onCompleted() {
                  answer.complete(degraded);
                }
              });
      return answer;
    };
  }
}
