package dev.recsuite.gateway.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket that bounds retries and hedges of one downstream: every call deposits {@code
 * ratio} of a token (at most {@value #MAX_SAVED} tokens are kept), and {@code floorPerSecond}
 * tokens a second are granted whatever the traffic (at most one second's worth kept). A retry
 * spends one token, from the floor first. So retries stay below {@code ratio} × calls + {@code
 * floorPerSecond} a second: when a tier fails hard, the gateway does not multiply its load.
 * Thread-safe.
 */
public final class RetryBudget {

  /** The most tokens saved from calls, so a long quiet period does not allow a retry storm. */
  static final double MAX_SAVED = 100;

  private static final double NANOS_PER_SECOND = 1e9;

  private final double ratio;
  private final int floorPerSecond;
  private final LongSupplier nanoTime;
  private double saved;
  private double floor;
  private long refilledAt;

  /**
   * @param ratio tokens deposited per call, 0..1
   * @param floorPerSecond tokens granted per second, {@code >= 0}
   * @param nanoTime the clock, {@code System::nanoTime} outside tests
   */
  public RetryBudget(double ratio, int floorPerSecond, LongSupplier nanoTime) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0..1)");
    }
    if (floorPerSecond < 0) {
      throw new IllegalArgumentException("floorPerSecond: " + floorPerSecond + " (expected: >= 0)");
    }
    this.ratio = ratio;
    this.floorPerSecond = floorPerSecond;
    this.nanoTime = nanoTime;
    this.floor = floorPerSecond;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Records a call (a first attempt), earning {@code ratio} of a token. */
  public synchronized void deposit() {
    saved = Math.min(MAX_SAVED, saved + ratio);
  }

  /** Spends a token for a retry or a hedge; {@code false} when the budget is used up. */
  public synchronized boolean tryWithdraw() {
    long now = nanoTime.getAsLong();
    floor = Math.min(floorPerSecond, floor + (now - refilledAt) / NANOS_PER_SECOND * floorPerSecond);
    refilledAt = now;
    if (floor >= 1) {
      floor -= 1;
      return true;
    }
    if (saved >= 1) {
      saved -= 1;
      return true;
    }
    return false;
  }
}
