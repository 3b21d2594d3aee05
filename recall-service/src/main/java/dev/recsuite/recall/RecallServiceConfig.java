package dev.recsuite.recall;

import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleSettings;
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
 */
public record RecallServiceConfig(
    BundleSettings bundles, int maxCandidates, RecallSettings recall, ServerSettings server) {

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
    if (maxCandidates < 1 || maxCandidates > MAX_MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          "maxCandidates: %d (expected: 1 to %d)".formatted(maxCandidates, MAX_MAX_CANDIDATES));
    }
  }
}
