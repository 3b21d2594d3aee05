package dev.recsuite.it.fuzz;

import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.evaluation.LocalSuite;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The four services as their processes wire them ({@link LocalSuite}: their own Guice modules,
 * configured by parsing their command-line options), on ephemeral loopback ports in this JVM, for
 * the fuzz tests: the feature service with an embedded feedback store, so that feedback writes run
 * for real. Close it to stop them in reverse order.
 */
final class FuzzSuite implements AutoCloseable {

  private final LocalSuite suite;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

  private FuzzSuite(LocalSuite suite) {
    this.suite = suite;
  }

  /** Starts features, recall, ranking and gateway on the newest bundle under {@code bundles}. */
  static FuzzSuite start(Path bundles, Path feedbackDir) throws Exception {
    return new FuzzSuite(
        LocalSuite.start(
            new BundleRepository(bundles).openLatest(),
            List.of("--feedback-store", "embedded", "--feedback-dir", feedbackDir.toString()),
            // Generous hops: on a loaded machine a slow tier must not degrade an answer, since
            // the fuzz test takes a degraded answer for a tier failing on what the gateway sent.
            List.of(
                "--recall-timeout", "5s", "--recall-slow-call", "5s",
                "--feature-timeout", "5s", "--feature-slow-call", "5s",
                "--ranking-timeout", "5s", "--ranking-slow-call", "5s",
                "--feedback-timeout", "5s", "--feedback-slow-call", "5s")));
  }

  String featureTarget() {
    return suite.featureTarget();
  }

  String recallTarget() {
    return suite.recallTarget();
  }

  String rankingTarget() {
    return suite.rankingTarget();
  }

  String gatewayTarget() {
    return suite.gatewayTarget();
  }

  /** A plaintext channel to a target of this suite, closed with the suite. */
  ManagedChannel channel(String target) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    suite.close();
  }
}
