package dev.recsuite.cli.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Collects call latencies and failures and summarises them with exact percentiles (nearest rank).
 * Thread-safe. Samples are kept up to a maximum count; later samples still count as answers but
 * are left out of the percentiles, and the summary says how many.
 */
public final class LatencyRecorder {

  /** The error code of a request an open-loop driver did not send because too many were in flight. */
  public static final String DROPPED = "DROPPED";

  private static final int INITIAL_CAPACITY = 1024;

  private final int maxSamples;
  private long[] nanos;
  private int count;
  private long unsampled;
  private long degraded;
  private final SortedMap<String, Long> errors = new TreeMap<>();

  /**
   * @param maxSamples most latencies kept for the percentiles; memory grows with the samples
   *     recorded, 8 bytes each
   * @throws IllegalArgumentException if {@code maxSamples} is not positive
   */
  public LatencyRecorder(int maxSamples) {
    if (maxSamples <= 0) {
      throw new IllegalArgumentException("maxSamples: " + maxSamples + " (expected: > 0)");
    }
    this.maxSamples = maxSamples;
    this.nanos = new long[Math.min(maxSamples, INITIAL_CAPACITY)];
  }

  /** Records the latency of a successful call that was not degraded. */
  public void record(long latencyNanos) {
    record(latencyNanos, false);
  }

  /** Records the latency of a successful call; {@code degraded} answers are also counted apart. */
  public synchronized void record(long latencyNanos, boolean degraded) {
    if (degraded) {
      this.degraded++;
    }
    if (count == maxSamples) {
      unsampled++;
      return;
    }
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, (int) Math.min(maxSamples, 2L * nanos.length));
    }
    nanos[count++] = latencyNanos;
  }

  /** Records a failed call under {@code code}, e.g. {@code DEADLINE_EXCEEDED} or {@link #DROPPED}. */
  public synchronized void recordError(String code) {
    errors.merge(code, 1L, Long::sum);
  }

  /** The number of successful calls recorded so far, sampled or not. */
  public synchronized long ok() {
    return count + unsampled;
  }

  /** The summary of what was recorded over {@code wallNanos} of wall time. */
  public synchronized Summary summary(long wallNanos) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    long ok = count + unsampled;
    return new Summary(
        ok,
        errors.values().stream().mapToLong(Long::longValue).sum(),
        degraded,
        ok == 0 || wallNanos <= 0 ? 0 : ok / (wallNanos / 1e9),
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99),
        percentile(sorted, 99.9),
        count == 0 ? 0 : sorted[count - 1] / 1e6,
        unsampled,
        new TreeMap<>(errors));
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
   * @param errors failed (or dropped) calls
   * @param degraded successful calls whose answer was degraded (a fallback answered part of it)
   * @param throughput successful calls per second of wall time
   * @param unsampled successful calls beyond the recorder's sample limit, not in the percentiles
   * @param errorsByCode failed calls by status code, in code order
   */
  public record Summary(
      long ok,
      long errors,
      long degraded,
      double throughput,
      double p50,
      double p90,
      double p99,
      double p999,
      double max,
      long unsampled,
      Map<String, Long> errorsByCode) {

    /** Copies {@code errorsByCode}, sorted by code. */
    public Summary {
      errorsByCode = Collections.unmodifiableMap(new TreeMap<>(errorsByCode));
    }

    /** The percentiles on one line: {@code p50 4.61, p90 9.99, p99 20.42, p99.9 28.51, max 40.02}. */
    public String latencies() {
      return String.format(
          Locale.ROOT, "p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f", p50, p90, p99, p999, max);
    }

    /** The errors by code, e.g. {@code DEADLINE_EXCEEDED 3, DROPPED 12}, or {@code none}. */
    public String errorBreakdown() {
      return errorsByCode.isEmpty()
          ? "none"
          : errorsByCode.entrySet().stream()
              .map(e -> e.getKey() + " " + e.getValue())
              .collect(Collectors.joining(", "));
    }

    /** One line for the terminal. */
    public String format() {
      return String.format(
          Locale.ROOT,
          "ok %d (degraded %d), errors %d (%s), %.0f req/s, latency ms: %s%s",
          ok,
          degraded,
          errors,
          errorBreakdown(),
          throughput,
          latencies(),
          unsampled == 0 ? "" : " (" + unsampled + " answers beyond the sample limit not in the percentiles)");
    }
  }
}
