package dev.recsuite.recall;

import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleSettings;
import dev.recsuite.grpc.telemetry.TelemetrySettings;
import java.util.Objects;

/**
 * The recall service's configuration, parsed once from the command line and environment by {@link
 * RecallServiceMain} and validated here.
 *
 * @param bundles the bundle root holding one directory per version, and how new ones are followed
 * @param maxCandidates the largest {@code max_candidates} a request may ask for, 1 to {@value
 *     #MAX_MAX_CANDIDATES}
 * @param recall the engine settings (per-source quotas...)
 * @param server where and how the gRPC server listens
 * @param telemetry the metrics endpoint and trace sampling
 */
public record RecallServiceConfig(
    BundleSettings bundles,
    int maxCandidates,
    RecallSettings recall,
    ServerSettings server,
    TelemetrySettings telemetry) {

  /** Default {@link #maxCandidates()}. */
  public static final int DEFAULT_MAX_CANDIDATES = 2_000;
  /** The highest accepted {@link #maxCandidates()}. */
  public static final int MAX_MAX_CANDIDATES = 100_000;

  /**
   * Validates the values.
   *
   * @throws NullPointerException if a value is null
   * @throws IllegalArgumentException if {@code maxCandidates} is out of range
   */
  public RecallServiceConfig {
    Objects.requireNonNull(bundles, "bundles");
    Objects.requireNonNull(recall, "recall");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(telemetry, "telemetry");
    if (maxCandidates < 1 || maxCandidates > MAX_MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          "maxCandidates: %d (expected: 1 to %d)".formatted(maxCandidates, MAX_MAX_CANDIDATES));
    }
  }

  /**
   * A configuration with the default telemetry (no metrics endpoint).
   *
   * @throws NullPointerException if a value is null
   * @throws IllegalArgumentException if {@code maxCandidates} is out of range
   */
  public RecallServiceConfig(
      BundleSettings bundles, int maxCandidates, RecallSettings recall, ServerSettings server) {
    this(bundles, maxCandidates, recall, server, TelemetrySettings.defaults());
  }
}
