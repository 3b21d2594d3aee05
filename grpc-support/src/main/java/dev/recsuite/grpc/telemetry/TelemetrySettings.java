package dev.recsuite.grpc.telemetry;

import java.util.Objects;

/**
 * How a service exposes its telemetry: where its Prometheus scrape endpoint listens (if anywhere)
 * and what share of the traces that start in it are sampled. Everything else (OTLP endpoint,
 * headers, resource attributes) comes from the standard {@code OTEL_*} environment variables; see
 * {@link Telemetry#create}.
 *
 * @param metricsHost the address the scrape endpoint binds, the gRPC server's {@code --host}
 * @param metricsPort the scrape endpoint's port: {@value #METRICS_OFF} for no endpoint, {@code 0}
 *     for an ephemeral port ({@link Telemetry#metricsPort()} tells which), else 1..65535
 * @param traceSampleRatio the share of the traces starting in this process that are recorded and
 *     exported (0..1); a call that arrives with a trace context follows its caller's decision
 */
public record TelemetrySettings(String metricsHost, int metricsPort, double traceSampleRatio) {

  /** {@link #metricsPort()} of a service without a scrape endpoint. */
  public static final int METRICS_OFF = -1;

  /**
   * The default {@link #traceSampleRatio()}: one trace in ten. Cheap enough to leave on (see
   * docs/OPERATIONS.md for the measured cost), enough to show where slow requests spend their time
   * at any real request rate; raise it to 1 to follow every request while debugging.
   */
  public static final double DEFAULT_TRACE_SAMPLE_RATIO = 0.1;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the bad value, e.g. {@code "metrics-port: 70000
   *     (expected: 0..65535, or -1 for no endpoint)"}
   * @throws NullPointerException if {@code metricsHost} is null
   */
  public TelemetrySettings {
    Objects.requireNonNull(metricsHost, "metricsHost");
    if (metricsHost.isBlank()) {
      throw new IllegalArgumentException(
          "metricsHost: \"" + metricsHost + "\" (expected: a host name or address)");
    }
    if (metricsPort < METRICS_OFF || metricsPort > 65535) {
      throw new IllegalArgumentException(
          "metrics-port: " + metricsPort + " (expected: 0..65535, or -1 for no endpoint)");
    }
    if (!(traceSampleRatio >= 0 && traceSampleRatio <= 1)) {
      throw new IllegalArgumentException(
          "trace-sample-ratio: " + traceSampleRatio + " (expected: 0..1)");
    }
  }

  /** No scrape endpoint, the default sample ratio, loopback. */
  public static TelemetrySettings defaults() {
    return new TelemetrySettings("127.0.0.1", METRICS_OFF, DEFAULT_TRACE_SAMPLE_RATIO);
  }

  /** Whether the service serves a Prometheus scrape endpoint. */
  public boolean metricsEnabled() {
    return metricsPort != METRICS_OFF;
  }

  /**
   * Returns a copy with the scrape endpoint on {@code port} ({@code 0} = ephemeral, {@value
   * #METRICS_OFF} = none).
   *
   * @throws IllegalArgumentException if {@code port} is out of range
   */
  public TelemetrySettings withMetricsPort(int port) {
    return new TelemetrySettings(metricsHost, port, traceSampleRatio);
  }
}
