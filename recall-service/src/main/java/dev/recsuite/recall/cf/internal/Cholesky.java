package dev.recsuite.recall.cf.internal;

/** In-place Cholesky factorisation and solve for a small dense positive-definite matrix. */
public final class Cholesky {

  private Cholesky() {}

  /**
   * Overwrites the lower triangle of the {@code n × n} row-major {@code a} with L, where {@code a =
   * L·Lᵀ}; the strict upper triangle is left unchanged and unused.
   *
   * @throws IllegalStateException if {@code a} is not (numerically) positive definite
   */
  public static void decompose(double[] a, int n) {
    for (int j = 0; j < n; j++) {
      int jo = j * n;
      double d = a[jo + j];
      for (int p = 0; p < j; p++) {
        d -= a[jo + p] * a[jo + p];
      }
      if (!(d > 0)) {
        throw new IllegalStateException(
            "matrix not positive definite: pivot %d is %s".formatted(j, d));
      }
      double ljj = Math.sqrt(d);
      a[jo + j] = ljj;
      for (int i = j + 1; i < n; i++) {
        int io = i * n;
        double s = a[io + j];
        for (int p = 0; p < j; p++) {
          s -= a[io + p] * a[jo + p];
        }
        a[io + j] = s / ljj;
      }
    }
  }

  /** Solves {@code L·Lᵀ·x = b} in place in {@code b}, for L from {@link #decompose}. */
  public static void solve(double[] l, int n, double[] b) {
    for (int i = 0; i < n; i++) {
      int io = i * n;
      double s = b[i];
      for (int p = 0; p < i; p++) {
        s -= l[io + p] * b[p];
      }
      b[i] = s / l[io + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      for (int p = i + 1; p < n; p++) {
        s -= l[p * n + i] * b[p];
      }
      b[i] = s / l[i * n + i];
    }
  }
}
