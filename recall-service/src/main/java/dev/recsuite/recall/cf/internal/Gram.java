package dev.recsuite.recall.cf.internal;

/**
 * The Gram matrix {@code VᵀV} of a row-major {@code rows × k} factor matrix V, accumulated in
 * double. Each entry is summed over the rows in row order whatever the number of workers, so the
 * result is the same bits on one thread or many.
 */
public final class Gram {

  /** Output rows per block: small enough to balance the triangle, large enough to reuse V. */
  private static final int GRAIN = 4;

  private Gram() {}

  /**
   * Returns {@code VᵀV} as a full symmetric {@code k × k} row-major array.
   *
   * @throws IllegalArgumentException if {@code k <= 0} or {@code v.length} is not a multiple of k
   */
  public static double[] compute(float[] v, int k, Workers workers) {
    if (k <= 0) {
      throw new IllegalArgumentException("factors: " + k + " (expected: > 0)");
    }
    if (v.length % k != 0) {
      throw new IllegalArgumentException(
          "factor array: length %d (expected: a multiple of factors %d)".formatted(v.length, k));
    }
    int rows = v.length / k;
    double[] g = new double[k * k];
    // Each block owns output rows [from, to) of the upper triangle: no shared writes.
    workers.forEachBlock(
        k,
        GRAIN,
        () -> null,
        (unused, from, to) -> {
          for (int r = 0; r < rows; r++) {
            int ro = r * k;
            for (int a = from; a < to; a++) {
              double va = v[ro + a];
              if (va == 0) {
                continue;
              }
              int ga = a * k;
              for (int b = a; b < k; b++) {
                g[ga + b] += va * v[ro + b];
              }
            }
          }
        });
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < a; b++) {
        g[a * k + b] = g[b * k + a];
      }
    }
    return g;
  }

  /** {@code g + lambda·I} in float, the form the conjugate-gradient solver multiplies by. */
  public static float[] toFloatPlusDiagonal(double[] g, int k, double lambda) {
    float[] out = new float[k * k];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) g[i];
    }
    for (int a = 0; a < k; a++) {
      out[a * k + a] = (float) (g[a * k + a] + lambda);
    }
    return out;
  }
}
