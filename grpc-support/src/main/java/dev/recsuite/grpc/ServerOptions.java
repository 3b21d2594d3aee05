package dev.recsuite.grpc;

import dev.recsuite.grpc.security.ServerSecurity;
import dev.recsuite.grpc.security.TlsOptions;
import java.time.Duration;
import java.util.OptionalInt;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The server options every service shares, as a picocli mixin: {@code --host}, {@code --port},
 * {@code --max-inbound-message-bytes}, {@code --max-inbound-metadata-bytes}, {@code
 * --shutdown-grace}, {@code --drain-delay}, {@code --max-concurrent-calls} (load shedding), the
 * per-connection limits ({@code --max-concurrent-calls-per-connection}, {@code
 * --permit-keep-alive-time}, {@code --max-connection-idle}, {@code --max-connection-age}, {@code
 * --max-connection-age-grace}), {@code --health-port} and the TLS options of {@link TlsOptions}.
 *
 * <p>Each service gives its own default port by initialising the mixin field; picocli keeps that
 * instance and shows the port as the option's default:
 *
 * <pre>{@code
 * @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.RECALL);
 * ...
 * ServerSettings settings = server.toSettings();
 * }</pre>
 *
 * <p>With {@link EnvironmentDefaults} every option also reads an environment variable, e.g. {@code
 * RECALL_PORT}.
 */
public final class ServerOptions {

  @Option(
      names = "--host",
      paramLabel = "<host>",
      defaultValue = ServerSettings.DEFAULT_HOST,
      description = "Address to bind; 0.0.0.0 listens on every interface (needed in a container).")
  private String host = ServerSettings.DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "<port>",
      description = "TCP port to listen on; 0 picks a free port.")
  private int port;

  @Option(
      names = "--max-inbound-message-bytes",
      paramLabel = "<bytes>",
      defaultValue = "" + ServerSettings.DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
      description = "Largest request message accepted; larger ones fail with RESOURCE_EXHAUSTED.")
  private int maxInboundMessageBytes = ServerSettings.DEFAULT_MAX_INBOUND_MESSAGE_BYTES;

  @Option(
      names = "--max-inbound-metadata-bytes",
      paramLabel = "<bytes>",
      defaultValue = "" + ServerSettings.DEFAULT_MAX_INBOUND_METADATA_BYTES,
      description = "Largest request metadata (headers) accepted.")
  private int maxInboundMetadataBytes = ServerSettings.DEFAULT_MAX_INBOUND_METADATA_BYTES;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "<duration>",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description =
          "How long in-flight calls may finish after SIGTERM before they are cancelled,"
              + " e.g. 20s or 500ms.")
  private Duration shutdownGrace = ServerSettings.DEFAULT_SHUTDOWN_GRACE;

  @Option(
      names = "--drain-delay",
      paramLabel = "<duration>",
      defaultValue = "500ms",
      converter = DurationConverter.class,
      description =
          "After SIGTERM, how long the server keeps serving while reporting NOT_SERVING, so that"
              + " health-checking clients move to other replicas first; then --shutdown-grace applies.")
  private Duration drainDelay = ServerSettings.DEFAULT_DRAIN_DELAY;

  @Option(
      names = "--max-concurrent-calls",
      paramLabel = "<calls>",
      defaultValue = "" + ServerSettings.DEFAULT_MAX_CONCURRENT_CALLS,
      description =
          "Most calls served at once; more are answered RESOURCE_EXHAUSTED at once (load"
              + " shedding). 0 turns the limit off.")
  private int maxConcurrentCalls = ServerSettings.DEFAULT_MAX_CONCURRENT_CALLS;

  @Option(
      names = "--max-concurrent-calls-per-connection",
      paramLabel = "<calls>",
      defaultValue = "" + ConnectionPolicy.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
      description =
          "Most calls one client connection may have open at once (HTTP/2 concurrent streams); more"
              + " wait in the client.")
  private int maxConcurrentCallsPerConnection = ConnectionPolicy.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION;

  @Option(
      names = "--permit-keep-alive-time",
      paramLabel = "<duration>",
      defaultValue = "1m",
      converter = DurationConverter.class,
      description =
          "Most frequent keep-alive ping a client may send; one that pings more often, or without a call"
              + " open, is disconnected (GOAWAY ENHANCE_YOUR_CALM).")
  private Duration permitKeepAliveTime = ConnectionPolicy.DEFAULT_PERMIT_KEEP_ALIVE_TIME;

  @Option(
      names = "--max-connection-idle",
      paramLabel = "<duration>",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "A connection without a call for this long is closed gracefully; 0 = never.")
  private Duration maxConnectionIdle = ConnectionPolicy.DEFAULT_MAX_CONNECTION_IDLE;

  @Option(
      names = "--max-connection-age",
      paramLabel = "<duration>",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "Connections are closed gracefully after this long (±10 % jitter), so clients reconnect and"
              + " re-resolve DNS and new replicas get traffic; 0 = never.")
  private Duration maxConnectionAge = ConnectionPolicy.DEFAULT_MAX_CONNECTION_AGE;

  @Option(
      names = "--max-connection-age-grace",
      paramLabel = "<duration>",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long calls still open on an aged connection may finish before it is cut.")
  private Duration maxConnectionAgeGrace = ConnectionPolicy.DEFAULT_MAX_CONNECTION_AGE_GRACE;

  @Option(
      names = "--health-port",
      paramLabel = "<port>",
      description =
          "Also serve grpc.health.v1.Health alone, in plaintext, on this port: for probes that cannot"
              + " speak TLS (Kubernetes' gRPC probes). Unset = health only on --port.")
  private Integer healthPort;

  @Mixin private final TlsOptions tls = new TlsOptions();

  /** Creates the options with port 0 (ephemeral) as the default port; for tests and tools. */
  public ServerOptions() {
    this(0);
  }

  /**
   * Creates the options with the service's default port.
   *
   * @param defaultPort the port used when neither {@code --port} nor its environment variable is
   *     given, e.g. {@link DefaultPorts#RECALL}
   * @throws IllegalArgumentException if {@code defaultPort} is outside 0..65535
   */
  public ServerOptions(int defaultPort) {
    if (defaultPort < 0 || defaultPort > 65535) {
      throw new IllegalArgumentException("defaultPort: " + defaultPort + " (expected: 0..65535)");
    }
    this.port = defaultPort;
  }

  /**
   * Returns the parsed options as validated settings.
   *
   * @throws IllegalArgumentException if a value is out of range, e.g. {@code "port: 70000
   *     (expected: 0..65535)"}
   */
  public ServerSettings toSettings() {
    return new ServerSettings(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        drainDelay,
        new ConnectionPolicy(
            maxConcurrentCallsPerConnection,
            permitKeepAliveTime,
            maxConnectionIdle,
            maxConnectionAge,
            maxConnectionAgeGrace),
        tls.toSettings().map(ServerSecurity::of).orElseGet(ServerSecurity::plaintext),
        healthPort == null ? OptionalInt.empty() : OptionalInt.of(healthPort));
  }

  @Override
  public String toString() {
    // Not via toSettings(): toString must not throw for values that fail validation.
    return "ServerOptions[host=%s, port=%d, maxInboundMessageBytes=%d, maxInboundMetadataBytes=%d,"
            .formatted(host, port, maxInboundMessageBytes, maxInboundMetadataBytes)
        + " shutdownGrace="
        + shutdownGrace
        + ", maxConcurrentCalls="
        + maxConcurrentCalls
        + "]";
  }
}
