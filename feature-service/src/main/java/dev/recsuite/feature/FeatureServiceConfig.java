package dev.recsuite.feature;

import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleSettings;
import dev.recsuite.grpc.telemetry.TelemetrySettings;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of the feature service, parsed once at start.
 *
 * @param bundles the root holding bundle versions ({@code <root>/<version>/}) and how new ones are
 *     followed
 * @param maxBatch the most item ids one {@code GetItemFeatures} call may ask for
 * @param server where and how the gRPC server listens
 * @param telemetry the metrics endpoint and trace sampling
 * @param feedback the feedback store that {@code RecordEvents} writes to and whose online activity
 *     is merged into the features; empty turns real-time feedback off ({@code --feedback-store
 *     none})
 */
public record FeatureServiceConfig(
    BundleSettings bundles,
    int maxBatch,
    ServerSettings server,
    TelemetrySettings telemetry,
    Optional<FeedbackStoreConfig> feedback) {

  /** The default of {@link #maxBatch()}: 2,000 ids, four times the gateway's usual 500 candidates. */
  public static final int DEFAULT_MAX_BATCH = 2_000;

  /**
   * The largest accepted {@link #maxBatch()}: beyond it a response would approach gRPC's default 4
   * MiB message limit on the client side (an item's features are about 100 bytes).
   */
  public static final int MAX_MAX_BATCH = 20_000;

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException if {@code maxBatch} is outside {@code 1..}{@value
   *     #MAX_MAX_BATCH}; the message names it, e.g. {@code "maxBatch: 0 (expected: 1..20000)"}
   * @throws NullPointerException if an argument is null
   */
  public FeatureServiceConfig {
    Objects.requireNonNull(bundles, "bundles");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(feedback, "feedback");
    if (maxBatch < 1 || maxBatch > MAX_MAX_BATCH) {
      throw new IllegalArgumentException(
          "maxBatch: " + maxBatch + " (expected: 1.." + MAX_MAX_BATCH + ")");
    }
  }

  /**
   * A configuration without a feedback store.
   *
   * @throws IllegalArgumentException if {@code maxBatch} is out of range
   * @throws NullPointerException if an argument is null
   */
  public FeatureServiceConfig(
      BundleSettings bundles, int maxBatch, ServerSettings server, TelemetrySettings telemetry) {
    this(bundles, maxBatch, server, telemetry, Optional.empty());
  }

  /**
   * A configuration with the default telemetry (no metrics endpoint) and without a feedback store.
   *
   * @throws IllegalArgumentException if {@code maxBatch} is out of range
   * @throws NullPointerException if {@code bundles} or {@code server} is null
   */
  public FeatureServiceConfig(BundleSettings bundles, int maxBatch, ServerSettings server) {
    this(bundles, maxBatch, server, TelemetrySettings.defaults());
  }

  /** This configuration with {@code store} as its feedback store. */
  public FeatureServiceConfig withFeedback(FeedbackStoreConfig store) {
    return new FeatureServiceConfig(bundles, maxBatch, server, telemetry, Optional.of(store));
  }
}
