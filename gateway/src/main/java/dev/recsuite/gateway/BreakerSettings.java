package dev.recsuite.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds of one downstream's circuit breaker (Resilience4j, count-based sliding window).
 *
 * <p>The breaker opens when, over the last {@code window} calls (and once at least {@code
 * minimumCalls} were made), the share of failed calls reaches {@code failureRatePercent} or the
 * share of slow calls reaches {@code slowCallRatePercent}; what counts as slow is the downstream's
 * {@link DownstreamPolicy#slowCall()}. While open, calls are refused at once (the gateway answers
 * with the fallback). After {@code openDuration} the next calls are let through as {@code
 * halfOpenCalls} probes: if they are healthy by the same thresholds the breaker closes, otherwise it
 * opens again.
 *
 * <p>Failures are {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED}, {@code
 * INTERNAL}, {@code UNKNOWN}, {@code DATA_LOSS}, {@code UNIMPLEMENTED} and a {@code CANCELLED} the
 * gateway did not ask for (a replica that went away); other statuses mean the tier answered.
 *
 * @param failureRatePercent failure rate that opens the breaker, 1..100
 * @param slowCallRatePercent slow-call rate that opens the breaker, 1..100
 * @param window number of recent calls the rates are computed over, {@code >= 1}
 * @param minimumCalls calls needed in the window before the breaker may open, 1..{@code window}
 * @param openDuration how long the breaker stays open before it lets probes through, {@code > 0}
 * @param halfOpenCalls number of probe calls in the half-open state, {@code >= 1}
 */
public record BreakerSettings(
    int failureRatePercent,
    int slowCallRatePercent,
    int window,
    int minimumCalls,
    Duration openDuration,
    int halfOpenCalls) {

  /** Default failure rate that opens a breaker: 50 %. */
  public static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
  /** Default slow-call rate that opens a breaker: 80 %. */
  public static final int DEFAULT_SLOW_CALL_RATE_PERCENT = 80;
  /** Default window: the last 40 calls. */
  public static final int DEFAULT_WINDOW = 40;
  /** Default minimum number of calls before a breaker may open: 20. */
  public static final int DEFAULT_MINIMUM_CALLS = 20;
  /** Default time a breaker stays open: 5 s. */
  public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(5);
  /** Default number of half-open probes: 5. */
  public static final int DEFAULT_HALF_OPEN_CALLS = 5;

  /**
   * @throws IllegalArgumentException naming the first value out of range, e.g. {@code
   *     "breaker-window: 0 (expected: >= 1)"}
   */
  public BreakerSettings {
    Objects.requireNonNull(openDuration, "openDuration");
    requirePercent("breaker-failure-rate", failureRatePercent);
    requirePercent("breaker-slow-call-rate", slowCallRatePercent);
    if (window < 1) {
      throw new IllegalArgumentException("breaker-window: " + window + " (expected: >= 1)");
    }
    if (minimumCalls < 1 || minimumCalls > window) {
      throw new IllegalArgumentException(
          "breaker-minimum-calls: " + minimumCalls + " (expected: 1..breaker-window = 1.." + window + ")");
    }
    if (openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("breaker-open-time: " + openDuration + " (expected: > 0)");
    }
    if (halfOpenCalls < 1) {
      throw new IllegalArgumentException(
          "breaker-half-open-calls: " + halfOpenCalls + " (expected: >= 1)");
    }
  }

  /** The defaults: 50 % failures or 80 % slow calls over 40 calls (20 at least), 5 s open, 5 probes. */
  public static BreakerSettings defaults() {
    return new BreakerSettings(
        DEFAULT_FAILURE_RATE_PERCENT,
        DEFAULT_SLOW_CALL_RATE_PERCENT,
        DEFAULT_WINDOW,
        DEFAULT_MINIMUM_CALLS,
        DEFAULT_OPEN_DURATION,
        DEFAULT_HALF_OPEN_CALLS);
  }

  private static void requirePercent(String name, int value) {
    if (value < 1 || value > 100) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: 1..100)");
    }
  }
}
