package dev.recsuite.cli.internal;

/**
 * The fixed send schedule of an open-loop run: request {@code i} (from 0) is due at {@code start +
 * i / rate}, whatever happened to the requests before it. Latency is measured from that intended
 * time, not from the moment the request actually left, so a stalled server or client cannot hide
 * the requests it delayed (coordinated omission).
 *
 * <p>Times are computed from the index, never accumulated, so rounding does not drift over a long
 * run: request 1,000,000 at 300 req/s is due exactly 3,333.33 s after the start.
 */
public final class OpenLoopSchedule {

  private static final double NANOS_PER_SECOND = 1e9;

  private final long startNanos;
  private final double ratePerSecond;

  /**
   * @param startNanos when request 0 is due, on the driver's {@link NanoClock}
   * @param ratePerSecond requests per second
   * @throws IllegalArgumentException if {@code ratePerSecond} is not a positive finite number
   */
  public OpenLoopSchedule(long startNanos, double ratePerSecond) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate: " + ratePerSecond + " (expected: > 0 requests/s)");
    }
    this.startNanos = startNanos;
    this.ratePerSecond = ratePerSecond;
  }

  /** The requests of a run of {@code seconds} at this rate: {@code floor(rate × seconds)}. */
  public static long requestsIn(double ratePerSecond, double seconds) {
    return (long) Math.floor(ratePerSecond * seconds);
  }

  /** When request 0 is due, on the driver's clock. */
  public long startNanos() {
    return startNanos;
  }

  /** Requests per second. */
  public double ratePerSecond() {
    return ratePerSecond;
  }

  /**
   * When request {@code index} is due.
   *
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public long intendedNanos(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    return startNanos + Math.round(index * NANOS_PER_SECOND / ratePerSecond);
  }

  /**
   * How many requests are due at {@code nowNanos}: the count of indexes {@code i} with {@code
   * intendedNanos(i) <= nowNanos}; 0 before the start.
   */
  public long dueBy(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    // The estimate can be one off either way after rounding; settle it against intendedNanos.
    long count = (long) Math.floor((nowNanos - startNanos) * ratePerSecond / NANOS_PER_SECOND) + 1;
    while (count > 0 && intendedNanos(count - 1) > nowNanos) {
      count--;
    }
    while (intendedNanos(count) <= nowNanos) {
      count++;
    }
    return count;
  }

  @Override
  public String toString() {
    return "OpenLoopSchedule[" + ratePerSecond + " req/s]";
  }
}
