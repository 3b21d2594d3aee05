package dev.recsuite.gateway;

/**
 * When the gateway tries a downstream call again (or hedges it), for one downstream.
 *
 * <p>A call is retried only when it failed with {@code UNAVAILABLE}, with {@code RESOURCE_EXHAUSTED}
 * (the replica shed it; the next attempt goes to another replica), with a {@code CANCELLED} the
 * gateway did not ask for (the replica went away mid-call) or, on a call pinned to a bundle version,
 * with {@code NOT_FOUND} (that replica has not loaded the version yet); only while its hop still has
 * {@code min-call-time} left; and only while the retry budget has a token. The budget is a token
 * bucket per downstream: every call adds {@code budgetRatio} of a token (at most 100 saved), and
 * {@code budgetFloorPerSecond} tokens a second are always available, so retries stay below {@code
 * budgetRatio} × calls + {@code budgetFloorPerSecond} per second and cannot multiply the load of
 * a struggling tier. Hedged attempts spend the same tokens.
 *
 * @param maxAttempts attempts per call including the first, 1..5 (1 = never retry or hedge)
 * @param budgetRatio tokens earned per call, 0..1 (0.1 = retries up to 10 % of calls)
 * @param budgetFloorPerSecond tokens granted per second regardless of traffic, {@code >= 0}
 */
public record RetrySettings(int maxAttempts, double budgetRatio, int budgetFloorPerSecond) {

  /** Default attempts per call: 2 (one retry or one hedge). */
  public static final int DEFAULT_MAX_ATTEMPTS = 2;
  /** Default budget ratio: retries up to 10 % of calls. */
  public static final double DEFAULT_BUDGET_RATIO = 0.1;
  /** Default budget floor: 10 retries a second. */
  public static final int DEFAULT_BUDGET_FLOOR_PER_SECOND = 10;

  /**
   * @throws IllegalArgumentException naming the first value out of range
   */
  public RetrySettings {
    if (maxAttempts < 1 || maxAttempts > 5) {
      throw new IllegalArgumentException("retry-max-attempts: " + maxAttempts + " (expected: 1..5)");
    }
    if (!(budgetRatio >= 0 && budgetRatio <= 1)) {
      throw new IllegalArgumentException("retry-budget-ratio: " + budgetRatio + " (expected: 0..1)");
    }
    if (budgetFloorPerSecond < 0) {
      throw new IllegalArgumentException(
          "retry-budget-floor: " + budgetFloorPerSecond + " (expected: >= 0)");
    }
  }

  /** The defaults: 2 attempts, 10 % of calls plus 10 a second. */
  public static RetrySettings defaults() {
    return new RetrySettings(DEFAULT_MAX_ATTEMPTS, DEFAULT_BUDGET_RATIO, DEFAULT_BUDGET_FLOOR_PER_SECOND);
  }
}
