package dev.recsuite.cli.internal;

import java.util.Arrays;
import java.util.Locale;

/** Collects call latencies and summarises them with exact percentiles (nearest rank). */
public final class LatencyRecorder {

  private final long[] nanos;
  private int count;
  private long errors;

  /** @param capacity most latencies recorded */
  public LatencyRecorder(int capacity) {
    this.nanos = new long[capacity];
  }

  public synchronized void record(long latencyNanos) {
    if (count < nanos.length) {
      nanos[count++] = latencyNanos;
    }
  }

  public synchronized void recordError() {
    errors++;
  }

  /** The summary of what was recorded over {@code wallNanos} of wall time. */
  public synchronized Summary summary(long wallNanos) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    return new Summary(
        count,
        errors,
        count == 0 ? 0 : count / (wallNanos / 1e9),
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99),
        percentile(sorted, 99.9),
        count == 0 ? 0 : sorted[count - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1e6;
  }

  /**
   * Latency figures in milliseconds.
   *
   * @param ok successful calls
   * @param errors failed calls
   * @param throughput successful calls per second of wall time
   */
  public record Summary(
      long ok, long errors, double throughput, double p50, double p90, double p99, double p999, double max) {

    /** One line for the terminal. */
    public String format() {
      return String.format(
          Locale.ROOT,
          "ok %d, errors %d, %.0f req/s, latency ms: p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f",
          ok, errors, throughput, p50, p90, p99, p999, max);
    }
  }
}
