package dev.recsuite.grpc.telemetry;

import dev.recsuite.grpc.ServerSettings;
import picocli.CommandLine.Option;

/**
 * The telemetry options every service shares, as a picocli mixin: {@code --metrics-port} (the
 * Prometheus scrape endpoint, off unless given) and {@code --trace-sample-ratio}. With {@code
 * dev.recsuite.grpc.EnvironmentDefaults} each also reads {@code <PREFIX>_METRICS_PORT} and {@code
 * <PREFIX>_TRACE_SAMPLE_RATIO}.
 *
 * <pre>{@code
 * @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.RECALL);
 * @Mixin final TelemetryOptions telemetry = new TelemetryOptions();
 * ...
 * TelemetrySettings settings = telemetry.toSettings(server.toSettings());
 * }</pre>
 */
public final class TelemetryOptions {

  @Option(
      names = "--metrics-port",
      paramLabel = "<port>",
      description =
          "Port of the Prometheus scrape endpoint (GET /metrics) on the --host address; 0 picks a"
              + " free port; unset = no endpoint.")
  private Integer metricsPort;

  @Option(
      names = "--trace-sample-ratio",
      paramLabel = "<ratio>",
      defaultValue = "" + TelemetrySettings.DEFAULT_TRACE_SAMPLE_RATIO,
      description =
          "Share of the traces starting here that are recorded (0..1); calls that arrive with a"
              + " trace context follow the caller's decision. Spans are exported only when"
              + " OTEL_EXPORTER_OTLP_ENDPOINT is set.")
  private double traceSampleRatio = TelemetrySettings.DEFAULT_TRACE_SAMPLE_RATIO;

  /** Creates the options: no scrape endpoint, the default sample ratio. */
  public TelemetryOptions() {}

  /**
   * Returns the parsed options as validated settings; the scrape endpoint binds the server's host.
   *
   * @param server the service's server settings, for the address to bind
   * @throws IllegalArgumentException if a value is out of range, e.g. {@code "trace-sample-ratio:
   *     1.5 (expected: 0..1)"}
   */
  public TelemetrySettings toSettings(ServerSettings server) {
    return new TelemetrySettings(
        server.host(),
        metricsPort == null ? TelemetrySettings.METRICS_OFF : requirePort(metricsPort),
        traceSampleRatio);
  }

  private static int requirePort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics-port: " + port + " (expected: 0..65535)");
    }
    return port;
  }

  @Override
  public String toString() {
    return "TelemetryOptions[metricsPort=" + metricsPort + ", traceSampleRatio=" + traceSampleRatio + "]";
  }
}
