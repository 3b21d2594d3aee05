package dev.recsuite.ranking.internal;

/** Solves small dense symmetric positive-definite systems by Cholesky factorisation. */
public final class Cholesky {

  private Cholesky() {}

  /**
   * Solves {@code a · x = b} for symmetric positive-definite {@code a} (only the lower triangle is
   * read). Neither argument is modified.
   *
   * @throws IllegalArgumentException if the dimensions disagree
   * @throws ArithmeticException if {@code a} is not positive definite (to working precision)
   */
  public static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    if (a.length != n) {
      throw new IllegalArgumentException("a: " + a.length + " rows (expected: " + n + ")");
    }
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            throw new ArithmeticException(
                "matrix not positive definite: pivot " + i + " is " + sum + " (expected: > 0)");
          }
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * y[k];
      }
      y[i] = sum / l[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < n; k++) {
        sum -= l[k][i] * x[k];
      }
      x[i] = sum / l[i][i];
    }
    return x;
  }
}
