package dev.recsuite.grpc;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client connection may do to a server: how many calls it may hold open at once (HTTP/2
 * concurrent streams), how often it may ping, and how long it may live. These are the defences
 * against one connection hogging a server (stream floods, ping floods, idle connections that pile
 * up) and they make long-lived clients re-resolve DNS, so that replicas added by a scale-up get
 * traffic.
 *
 * @param maxConcurrentCallsPerConnection the most calls one connection may have open at once
 *     (HTTP/2 {@code SETTINGS_MAX_CONCURRENT_STREAMS}); a client that wants more waits for a stream
 *     to free up
 * @param permitKeepAliveTime the most frequent keep-alive ping a client may send; a client that
 *     pings more often, or pings while it has no call open, gets {@code GOAWAY} ({@code
 *     ENHANCE_YOUR_CALM})
 * @param maxConnectionIdle a connection without a call for this long is closed gracefully; {@link
 *     Duration#ZERO} = never
 * @param maxConnectionAge every connection is closed gracefully ({@code GOAWAY}) after this long
 *     (gRPC adds ±10 % jitter), so clients reconnect and re-resolve; {@link Duration#ZERO} = never
 * @param maxConnectionAgeGrace how long calls still open on an aged connection may finish before
 *     it is cut
 */
public record ConnectionPolicy(
    int maxConcurrentCallsPerConnection,
    Duration permitKeepAliveTime,
    Duration maxConnectionIdle,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace) {

  /**
   * The default limit of calls open on one connection: 1,000. Above the default server-wide limit
   * of calls in flight ({@value ServerSettings#DEFAULT_MAX_CONCURRENT_CALLS}), so the gateway's one
   * connection per replica is never held back by it; it bounds what a single client can pile up.
   */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION = 1_000;

  /** The default shortest keep-alive ping interval a client may use: 1 minute. */
  public static final Duration DEFAULT_PERMIT_KEEP_ALIVE_TIME = Duration.ofMinutes(1);

  /** The default idle time after which a connection is closed: 5 minutes. */
  public static final Duration DEFAULT_MAX_CONNECTION_IDLE = Duration.ofMinutes(5);

  /**
   * The default connection age: 10 minutes. Long enough to cost nothing measurable (one TLS
   * handshake per client and replica every 10 minutes), short enough that the gateway spreads its
   * calls to replicas added by an autoscaler within minutes.
   */
  public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(10);

  /**
   * The default grace of an aged connection: 30 s, far above any unary call's deadline (the
   * gateway's default is 2 s); a feedback stream older than the age plus this is cut and must be
   * resumed, as after any disconnect.
   */
  public static final Duration DEFAULT_MAX_CONNECTION_AGE_GRACE = Duration.ofSeconds(30);

  /**
   * HTTP/2 {@code RST_STREAM} frames one connection may send per {@value #RST_WINDOW_SECONDS} s
   * before the server closes it: the defence against the "rapid reset" flood (CVE-2023-44487).
   * Legitimate cancellations (deadlines, hedging) stay orders of magnitude below it.
   */
  public static final int MAX_RST_FRAMES_PER_WINDOW = 10_000;

  /** The window of {@link #MAX_RST_FRAMES_PER_WINDOW}, in seconds. */
  public static final int RST_WINDOW_SECONDS = 10;

  /**
   * Validates the policy.
   *
   * @throws IllegalArgumentException naming a value out of range, e.g. {@code
   *     "maxConcurrentCallsPerConnection: 0 (expected: > 0)"}
   * @throws NullPointerException if a duration is null
   */
  public ConnectionPolicy {
    if (maxConcurrentCallsPerConnection <= 0) {
      throw new IllegalArgumentException(
          "maxConcurrentCallsPerConnection: " + maxConcurrentCallsPerConnection + " (expected: > 0)");
    }
    requireNonNegative("permitKeepAliveTime", permitKeepAliveTime);
    requireNonNegative("maxConnectionIdle", maxConnectionIdle);
    requireNonNegative("maxConnectionAge", maxConnectionAge);
    requireNonNegative("maxConnectionAgeGrace", maxConnectionAgeGrace);
  }

  /** The defaults: 1,000 calls per connection, pings at most every minute, idle 5 min, age 10 min + 30 s. */
  public static ConnectionPolicy defaults() {
    return new ConnectionPolicy(
        DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
        DEFAULT_PERMIT_KEEP_ALIVE_TIME,
        DEFAULT_MAX_CONNECTION_IDLE,
        DEFAULT_MAX_CONNECTION_AGE,
        DEFAULT_MAX_CONNECTION_AGE_GRACE);
  }

  private static void requireNonNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
  }
}
