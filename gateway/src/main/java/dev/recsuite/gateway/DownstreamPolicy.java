package dev.recsuite.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * The resilience policy of the gateway's calls to one downstream tier.
 *
 * <p><b>Time budget.</b> Each hop gets {@code min(available × share, timeout)}, where {@code
 * available} is the time left until the request's deadline minus the gateway's {@code
 * answer-reserve}: recall and user features when the request starts, item features once recall has
 * answered, ranking (share 1) with whatever is left. So the gateway always answers within the
 * caller's deadline, and one slow tier cannot use up the time of the others.
 *
 * @param downstream the tier
 * @param share the fraction of the available time one call may use, in (0, 1]
 * @param timeout the longest one call may take, whatever the deadline, {@code > 0}
 * @param slowCall calls slower than this count as slow for the breaker, {@code > 0}
 * @param bulkhead the most calls in flight to this tier at once; more are refused at once and the
 *     request uses the fallback, {@code >= 1}
 * @param hedgeDelay when positive, a second attempt is sent to another replica if the first has
 *     not answered after this long (within the retry budget and {@code maxAttempts}); zero turns
 *     hedging off (the default)
 * @param breaker the circuit breaker's thresholds
 * @param retry when calls are retried or hedged
 */
public record DownstreamPolicy(
    Downstream downstream,
    double share,
    Duration timeout,
    Duration slowCall,
    int bulkhead,
    Duration hedgeDelay,
    BreakerSettings breaker,
    RetrySettings retry) {

  /**
   * @throws IllegalArgumentException naming the first value out of range, e.g. {@code
   *     "recall-timeout: PT0S (expected: > 0)"}
   */
  public DownstreamPolicy {
    Objects.requireNonNull(downstream, "downstream");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(slowCall, "slowCall");
    Objects.requireNonNull(hedgeDelay, "hedgeDelay");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(retry, "retry");
    String prefix = optionPrefix(downstream);
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException(prefix + "-share: " + share + " (expected: > 0 and <= 1)");
    }
    requirePositive(prefix + "-timeout", timeout);
    requirePositive(prefix + "-slow-call", slowCall);
    if (bulkhead < 1) {
      throw new IllegalArgumentException(prefix + "-bulkhead: " + bulkhead + " (expected: >= 1)");
    }
    if (hedgeDelay.isNegative()) {
      throw new IllegalArgumentException(
          prefix + "-hedge-delay: " + hedgeDelay + " (expected: >= 0, 0 = no hedging)");
    }
  }

  /** Whether a second attempt is sent when the first is slow. */
  public boolean hedging() {
    return !hedgeDelay.isZero();
  }

  /**
   * The prefix of the downstream's command-line options: {@code recall}, {@code feature}, {@code
   * ranking}, {@code feedback}.
   */
  static String optionPrefix(Downstream downstream) {
    return switch (downstream) {
      case RECALL -> "recall";
      case FEATURES -> "feature";
      case RANKING -> "ranking";
      case FEEDBACK -> "feedback";
    };
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
