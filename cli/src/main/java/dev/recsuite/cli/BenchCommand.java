package dev.recsuite.cli;

import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.cli.internal.LatencyRecorder;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recsuite bench}: closed-loop latency of {@code Recommend} against a running gateway, with
 * user ids taken from the newest bundle. Each of {@code --concurrency} workers sends its next
 * request when the previous answer arrives.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Measure Recommend latency against a running gateway (closed loop).")
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--target", defaultValue = "127.0.0.1:50051", description = "Gateway address.")
  String target;

  @Option(names = "--bundles", defaultValue = ".recsuite/bundles", description = "Bundle root to take user ids from.")
  Path bundles;

  @Option(names = "--requests", defaultValue = "3000", description = "Measured requests.")
  int requests;

  @Option(names = "--warmup", defaultValue = "500", description = "Unmeasured requests first (JIT warm-up).")
  int warmup;

  @Option(names = "--concurrency", defaultValue = "1", description = "Requests in flight (1 = sequential).")
  int concurrency;

  @Option(names = {"-k", "--k"}, defaultValue = "10", description = "Items per request.")
  int k;

  @Option(names = "--deadline-ms", defaultValue = "5000", description = "Deadline of each call.")
  long deadlineMillis;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> users = userIds();
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      GatewayServiceGrpc.GatewayServiceBlockingStub gateway = GatewayServiceGrpc.newBlockingStub(channel);
      run(gateway, users, warmup, new LatencyRecorder(Math.max(1, warmup)));
      LatencyRecorder recorder = new LatencyRecorder(requests);
      long started = System.nanoTime();
      run(gateway, users, requests, recorder);
      LatencyRecorder.Summary summary = recorder.summary(System.nanoTime() - started);
      out.printf("Recommend k=%d, %d requests, concurrency %d, %d distinct users, target %s%n",
          k, requests, concurrency, users.size(), target);
      out.println(summary.format());
      out.flush();
      return summary.errors() == 0 ? 0 : 1;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void run(
      GatewayServiceGrpc.GatewayServiceBlockingStub gateway, List<String> users, int count, LatencyRecorder recorder)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-", 0).factory())) {
      for (int w = 0; w < concurrency; w++) {
        workers.execute(
            () -> {
              for (int i; (i = next.getAndIncrement()) < count; ) {
                RecommendRequest request =
                    RecommendRequest.newBuilder().setUserId(users.get(i % users.size())).setK(k).build();
                long t = System.nanoTime();
                try {
                  gateway.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).recommend(request);
                  recorder.record(System.nanoTime() - t);
                } catch (StatusRuntimeException e) {
                  recorder.recordError();
                }
              }
            });
      }
    }
  }

  private List<String> userIds() {
    UserDirectory directory = new BundleRepository(bundles).openLatest().read(BundleFiles.USERS, UserDirectory.parser());
    List<String> ids = new ArrayList<>(directory.getUsersCount());
    directory.getUsersList().forEach(user -> ids.add(user.getId()));
    if (ids.isEmpty()) {
      throw new IllegalStateException("the bundle under " + bundles + " has no users");
    }
    return ids;
  }
}
