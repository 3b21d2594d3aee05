package dev.recsuite.ranking;

import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleSettings;
import dev.recsuite.grpc.telemetry.TelemetrySettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The ranking service's configuration, parsed once from the command line and environment by
 * {@link RankingServiceMain} and validated here.
 *
 * @param server where the gRPC server listens, its limits and shutdown grace
 * @param bundles the root holding bundle versions as sub-directories, and how new ones are followed
 * @param maxBatch the most candidates one request may carry, 1 to {@value #MAX_MAX_BATCH}
 * @param telemetry the metrics endpoint and trace sampling
 */
public record RankingServiceConfig(
    ServerSettings server, BundleSettings bundles, int maxBatch, TelemetrySettings telemetry) {

  /** Default {@link #maxBatch()}: 2,000, four times the gateway's usual 500 candidates. */
  public static final int DEFAULT_MAX_BATCH = 2_000;

  /** Largest accepted {@link #maxBatch()}. */
  public static final int MAX_MAX_BATCH = 100_000;

  /**
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code maxBatch} is out of range, naming the flag and value
   */
  public RankingServiceConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(bundles, "bundles");
    Objects.requireNonNull(telemetry, "telemetry");
    if (maxBatch < 1 || maxBatch > MAX_MAX_BATCH) {
      throw new IllegalArgumentException(
          "--max-batch: %d (expected: 1..%d)".formatted(maxBatch, MAX_MAX_BATCH));
    }
  }

  /**
   * A configuration with the default telemetry (no metrics endpoint).
   *
   * @throws NullPointerException if {@code server} or {@code bundles} is null
   * @throws IllegalArgumentException if {@code maxBatch} is out of range
   */
  public RankingServiceConfig(ServerSettings server, BundleSettings bundles, int maxBatch) {
    this(server, bundles, maxBatch, TelemetrySettings.defaults());
  }

  /** The defaults with the given bundle root: loopback on an ephemeral port, batches of 2,000. */
  public static RankingServiceConfig defaults(Path bundleDir) {
    return new RankingServiceConfig(ServerSettings.defaults(), BundleSettings.of(bundleDir), DEFAULT_MAX_BATCH);
  }
}
