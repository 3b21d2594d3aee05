package dev.recsuite.ranking.internal;

import dev.recsuite.ranking.TrainingSet;

/**
 * Weighted per-feature means and scales of a {@link TrainingSet}, the transform {@code z = (x −
 * mean) / scale} every ranking model applies before its weights. The means and scales are rounded
 * to float before use, exactly as they are stored in the model, so that training sees the inputs
 * serving will compute. A feature whose standard deviation is float rounding relative to its mean
 * is constant: it keeps scale 1 (so z is 0 on every training example).
 */
public final class Standardisation {

  /** A standard deviation this small relative to the mean is float rounding: the feature is constant. */
  private static final double CONSTANT_RELATIVE_STDDEV = 1e-6;

  private final double[] means;
  private final double[] scales;
  private final boolean[] constant;
  private final double totalWeight;
  private final double positiveWeight;

  private Standardisation(
      double[] means, double[] scales, boolean[] constant, double totalWeight, double positiveWeight) {
    this.means = means;
    this.scales = scales;
    this.constant = constant;
    this.totalWeight = totalWeight;
    this.positiveWeight = positiveWeight;
  }

  /** The weighted standardisation of every example of {@code examples}; two passes. */
  public static Standardisation of(TrainingSet examples) {
    int n = examples.size();
    int d = examples.featureCount();
    double total = 0;
    double positive = 0;
    double[] sums = new double[d];
    for (int i = 0; i < n; i++) {
      double weight = examples.weight(i);
      total += weight;
      if (examples.positive(i)) {
        positive += weight;
      }
      for (int j = 0; j < d; j++) {
        sums[j] += weight * examples.feature(i, j);
      }
    }
    double[] means = new double[d];
    for (int j = 0; j < d; j++) {
      means[j] = (float) (sums[j] / total);
    }
    double[] squares = new double[d];
    for (int i = 0; i < n; i++) {
      double weight = examples.weight(i);
      for (int j = 0; j < d; j++) {
        double centred = examples.feature(i, j) - means[j];
        squares[j] += weight * centred * centred;
      }
    }
    double[] scales = new double[d];
    boolean[] constant = new boolean[d];
    for (int j = 0; j < d; j++) {
      double stddev = Math.sqrt(squares[j] / total);
      constant[j] = stddev <= CONSTANT_RELATIVE_STDDEV * Math.max(1, Math.abs(means[j]));
      scales[j] = constant[j] ? 1f : (float) stddev;
    }
    return new Standardisation(means, scales, constant, total, positive);
  }

  /** Number of features. */
  public int size() {
    return means.length;
  }

  /** The (float-rounded) mean of feature {@code j}. */
  public double mean(int j) {
    return means[j];
  }

  /** The (float-rounded) scale of feature {@code j}, positive; 1 for a constant feature. */
  public double scale(int j) {
    return scales[j];
  }

  /** Whether feature {@code j} takes one value on every example (its z is always 0). */
  public boolean constant(int j) {
    return constant[j];
  }

  /** Sum of the example weights. */
  public double totalWeight() {
    return totalWeight;
  }

  /** Sum of the weights of the positive examples. */
  public double positiveWeight() {
    return positiveWeight;
  }

  /**
   * Writes the standardised features of example {@code i} into {@code row[0 .. d)} and 1 at {@code
   * row[d]} (the bias column).
   */
  public void row(TrainingSet examples, int i, double[] row) {
    int d = means.length;
    for (int j = 0; j < d; j++) {
      row[j] = (examples.feature(i, j) - means[j]) / scales[j];
    }
    row[d] = 1;
  }
}
