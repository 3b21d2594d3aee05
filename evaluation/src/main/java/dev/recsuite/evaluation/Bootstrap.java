package dev.recsuite.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of a mean over users (Efron and Tibshirani, 1993): {@code resamples} times,
 * draw as many users as there are, with replacement, and take the mean; the 95% interval runs from
 * the 2.5th to the 97.5th percentile of those means (nearest-rank percentiles). Seeded, so the same
 * values and seed give the same interval. The standard error beside it is the usual normal
 * approximation ({@link Metrics#standardError}).
 *
 * @param resamples number of resamples, {@code >= 1} (the harness uses 1,000)
 * @param seed seed of the resampling
 */
public record Bootstrap(int resamples, long seed) {

  /** The harness default: 1,000 resamples. */
  public static final int DEFAULT_RESAMPLES = 1_000;

  /**
   * @throws IllegalArgumentException if {@code resamples < 1}
   */
  public Bootstrap {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples: " + resamples + " (expected: >= 1)");
    }
  }

  /**
   * The mean of {@code values} with its 95% percentile interval and standard error. No values give
   * an all-zero estimate.
   *
   * @throws NullPointerException if {@code values} is null
   */
  public Estimate estimate(double[] values) {
    int n = values.length;
    double mean = Metrics.mean(values);
    if (n == 0) {
      return new Estimate(0, 0, 0, 0);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      means[r] = sum / n;
    }
    Arrays.sort(means);
    return new Estimate(
        mean, percentile(means, 0.025), percentile(means, 0.975), Metrics.standardError(values));
  }

  /** Nearest-rank percentile of sorted values: the value at rank ceil(p × n), 1-based. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
  }
}
