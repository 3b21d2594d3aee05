package dev.recsuite.grpc;

import dev.recsuite.grpc.security.ServerSecurity;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Immutable settings of one gRPC server: where it listens, how large inbound messages and metadata
 * may be, how long a graceful shutdown may drain in-flight calls, and how many calls it serves at
 * once before it sheds load.
 *
 * <p>Services usually get it from {@link ServerOptions#toSettings()}; tests use {@link
 * #defaults()}.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0} (in a pod)
 * @param port the TCP port, {@code 0} for an ephemeral port
 * @param maxInboundMessageBytes the largest request message accepted, in bytes
 * @param maxInboundMetadataBytes the largest request metadata (headers) accepted, in bytes
 * @param shutdownGrace how long in-flight calls may run after shutdown begins
 * @param maxConcurrentCalls how many calls of the service's own methods may be in flight at once;
 *     a call beyond it is answered {@code RESOURCE_EXHAUSTED} at once instead of queueing (load
 *     shedding); {@code 0} turns the limit off. Health and reflection are never limited.
 * @param drainDelay how long the server keeps serving after it reports {@code NOT_SERVING} at the
 *     start of a graceful shutdown, so that health-watching clients move away first; skipped when
 *     no client is connected
 * @param connections what one client connection may do: concurrent calls, keep-alive pings, idle
 *     time and age
 * @param security TLS (plaintext when empty: local development only) and, with mutual TLS, which
 *     client identities may call and which may call admin methods
 * @param healthPort a port on which {@code grpc.health.v1.Health} alone is also served in
 *     plaintext, for probes that cannot speak TLS (Kubernetes'); empty = none
 */
public record ServerSettings(
    String host,
    int port,
    int maxInboundMessageBytes,
    int maxInboundMetadataBytes,
    Duration shutdownGrace,
    int maxConcurrentCalls,
    Duration drainDelay,
    ConnectionPolicy connections,
    ServerSecurity security,
    OptionalInt healthPort) {

  /** The default bind address: loopback only, so nothing is exposed by accident. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default limit of an inbound message: 4 MiB (gRPC's own default). */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** The default limit of inbound metadata: 8 KiB (gRPC's own default). */
  public static final int DEFAULT_MAX_INBOUND_METADATA_BYTES = 8 * 1024;

  /** The default shutdown grace: 20 s, below Kubernetes' default 30 s termination grace. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);

  /**
   * The default concurrency limit: 512 calls in flight. Far above what one process on a few cores
   * serves at its best latency, so it only cuts in when calls would otherwise pile up until their
   * deadlines.
   */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 512;

  /**
   * The default drain delay: 500 ms. After SIGTERM the server reports {@code NOT_SERVING} but keeps
   * serving that long, so that clients watching its health (the gateway does) move their new calls
   * to other replicas before it stops accepting any.
   */
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofMillis(500);

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException if a value is out of range; the message names it, e.g. {@code
   *     "port: 70000 (expected: 0..65535)"}
   * @throws NullPointerException if {@code host} or {@code shutdownGrace} is null
   */
  public ServerSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (host.isBlank()) {
      throw new IllegalArgumentException(
          "host: \"" + host + "\" (expected: a host name or address)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (maxInboundMessageBytes <= 0) {
      throw new IllegalArgumentException(
          "maxInboundMessageBytes: " + maxInboundMessageBytes + " (expected: > 0)");
    }
    if (maxInboundMetadataBytes <= 0) {
      throw new IllegalArgumentException(
          "maxInboundMetadataBytes: " + maxInboundMetadataBytes + " (expected: > 0)");
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace: " + shutdownGrace + " (expected: >= 0)");
    }
    if (maxConcurrentCalls < 0) {
      throw new IllegalArgumentException(
          "maxConcurrentCalls: " + maxConcurrentCalls + " (expected: >= 0, 0 = no limit)");
    }
    Objects.requireNonNull(drainDelay, "drainDelay");
    if (drainDelay.isNegative()) {
      throw new IllegalArgumentException("drainDelay: " + drainDelay + " (expected: >= 0)");
    }
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(healthPort, "healthPort");
    if (healthPort.isPresent() && (healthPort.getAsInt() < 0 || healthPort.getAsInt() > 65535)) {
      throw new IllegalArgumentException("healthPort: " + healthPort.getAsInt() + " (expected: 0..65535)");
    }
    if (healthPort.isPresent() && healthPort.getAsInt() != 0 && healthPort.getAsInt() == port) {
      throw new IllegalArgumentException(
          "healthPort: " + healthPort.getAsInt() + " (expected: another port than the server's)");
    }
  }

  /**
   * Settings with the default connection policy, plaintext and no health port.
   *
   * @throws IllegalArgumentException if a value is out of range; the message names it
   * @throws NullPointerException if {@code host}, {@code shutdownGrace} or {@code drainDelay} is
   *     null
   */
  public ServerSettings(
      String host,
      int port,
      int maxInboundMessageBytes,
      int maxInboundMetadataBytes,
      Duration shutdownGrace,
      int maxConcurrentCalls,
      Duration drainDelay) {
    this(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        drainDelay,
        ConnectionPolicy.defaults(),
        ServerSecurity.plaintext(),
        OptionalInt.empty());
  }

  /**
   * Settings with the default drain delay ({@link #DEFAULT_DRAIN_DELAY}).
   *
   * @throws IllegalArgumentException if a value is out of range; the message names it
   * @throws NullPointerException if {@code host} or {@code shutdownGrace} is null
   */
  public ServerSettings(
      String host,
      int port,
      int maxInboundMessageBytes,
      int maxInboundMetadataBytes,
      Duration shutdownGrace,
      int maxConcurrentCalls) {
    this(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        DEFAULT_DRAIN_DELAY);
  }

  /**
   * Settings with the default concurrency limit ({@value #DEFAULT_MAX_CONCURRENT_CALLS}).
   *
   * @throws IllegalArgumentException if a value is out of range; the message names it
   * @throws NullPointerException if {@code host} or {@code shutdownGrace} is null
   */
  public ServerSettings(
      String host,
      int port,
      int maxInboundMessageBytes,
      int maxInboundMetadataBytes,
      Duration shutdownGrace) {
    this(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        DEFAULT_MAX_CONCURRENT_CALLS);
  }

  /**
   * Returns the defaults with an ephemeral port: loopback, port 0, 4 MiB, 8 KiB, 20 s, 512 calls,
   * the default connection policy, plaintext, no health port.
   */
  public static ServerSettings defaults() {
    return new ServerSettings(
        DEFAULT_HOST,
        0,
        DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
        DEFAULT_MAX_INBOUND_METADATA_BYTES,
        DEFAULT_SHUTDOWN_GRACE,
        DEFAULT_MAX_CONCURRENT_CALLS,
        DEFAULT_DRAIN_DELAY);
  }

  /**
   * Returns a copy listening on {@code port}; {@code 0} picks an ephemeral port.
   *
   * @throws IllegalArgumentException if {@code port} is outside 0..65535
   */
  public ServerSettings withPort(int port) {
    return new ServerSettings(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        drainDelay,
        connections,
        security,
        healthPort);
  }

  /**
   * Returns a copy with another concurrency limit; {@code 0} turns load shedding off.
   *
   * @throws IllegalArgumentException if {@code maxConcurrentCalls} is negative
   */
  public ServerSettings withMaxConcurrentCalls(int maxConcurrentCalls) {
    return new ServerSettings(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        drainDelay,
        connections,
        security,
        healthPort);
  }

  /**
   * Returns a copy with another security: TLS and client identities.
   *
   * @throws NullPointerException if {@code security} is null
   */
  public ServerSettings withSecurity(ServerSecurity security) {
    return new ServerSettings(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        drainDelay,
        connections,
        security,
        healthPort);
  }

  /**
   * Returns a copy with another connection policy.
   *
   * @throws NullPointerException if {@code connections} is null
   */
  public ServerSettings withConnections(ConnectionPolicy connections) {
    return new ServerSettings(
        host,
        port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        drainDelay,
        connections,
        security,
        healthPort);
  }

  /**
   * Returns a copy serving plaintext health checks on {@code port} too ({@code 0}: an ephemeral
   * port).
   *
   * @throws IllegalArgumentException if {@code port} is out of range or the server's own port
   */
  public ServerSettings withHealthPort(int port) {
    return new ServerSettings(
        host,
        this.port,
        maxInboundMessageBytes,
        maxInboundMetadataBytes,
        shutdownGrace,
        maxConcurrentCalls,
        drainDelay,
        connections,
        security,
        OptionalInt.of(port));
  }

  /** Returns {@code host:port} as configured (the port may still be 0 before the server starts). */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
