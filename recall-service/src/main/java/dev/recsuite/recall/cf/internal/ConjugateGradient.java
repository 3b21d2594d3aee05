package dev.recsuite.recall.cf.internal;

import java.util.Arrays;

/**
 * Approximately solves one row's normal equations {@code (G + Σ_e (c_e - 1) y_e y_eᵀ) x = Σ_e c_e
 * y_e}, where {@code G = YᵀY + λI} and e runs over the row's observed entries, by a few
 * conjugate-gradient steps from the row's current value (Takács, Pilászy and Tikk 2011).
 *
 * <p>The matrix is never formed: a product with it costs one {@code k × k} product with G plus two
 * length-k passes per observed entry, {@code O(k² + n·k)}. Two layout choices make those passes
 * fast. The row's {@code y_e}, scattered over a large array, are first copied next to each other
 * ({@code n × k}), so that the {@code cgSteps + 1} products read them from cache rather than
 * memory. And they are copied transposed too ({@code k × n}), so that the n dot products {@code
 * y_e·v}, reductions the JIT does not vectorise, become k element-wise passes of length n, which it
 * does. Rows too long for the scratch use the scattered rows and plain dot products instead. The
 * vectors of the iteration are doubles (see {@link Vectors} for why).
 *
 * <p>One instance per thread: it holds the scratch, so solving allocates nothing. The arithmetic
 * depends only on the inputs (never on the thread), which keeps training reproducible.
 */
public final class ConjugateGradient {

  /** Upper bound of each gathered copy, in floats (4 MiB). */
  private static final int MAX_GATHERED = 1 << 20;

  private final int k;
  private final int steps;
  private final int maxGathered;
  private final double[] x;
  private final double[] residual;
  private final double[] direction;
  private final double[] product;
  private final double[] dots;
  private final float[] rows;
  private final float[] columns;

  /**
   * A solver for {@code k}-dimensional rows doing {@code steps} steps per solve, with scratch for
   * rows of up to {@code longestRow} entries (longer ones still work, more slowly).
   */
  public ConjugateGradient(int k, int steps, int longestRow) {
    this.k = k;
    this.steps = steps;
    this.maxGathered = Math.min(longestRow, MAX_GATHERED / k);
    this.x = new double[k];
    this.residual = new double[k];
    this.direction = new double[k];
    this.product = new double[k];
    this.dots = new double[maxGathered];
    this.rows = new float[maxGathered * k];
    this.columns = new float[maxGathered * k];
  }

  /**
   * Improves {@code target[targetOffset, targetOffset + k)} in place.
   *
   * @param gram {@code YᵀY + λI}, {@code k × k} row-major
   * @param y the fixed side's factors, row-major
   * @param indices rows of {@code y} observed by this row, at {@code [from, to)}
   * @param extraConfidence {@code c - 1} of each observed entry, at {@code [from, to)}
   */
  public void solve(
      float[] target,
      int targetOffset,
      float[] gram,
      float[] y,
      int[] indices,
      float[] extraConfidence,
      int from,
      int to) {
    int n = to - from;
    boolean gathered = n <= maxGathered;
    // The entries' rows of y: gathered copies (entry e at e·k), or in place (at index·k).
    float[] ys = gathered ? rows : y;
    if (gathered) {
      for (int e = 0; e < n; e++) {
        System.arraycopy(y, indices[from + e] * k, rows, e * k, k);
      }
      for (int e = 0; e < n; e++) {
        int eo = e * k;
        for (int j = 0; j < k; j++) {
          columns[j * n + e] = rows[eo + j];
        }
      }
    }
    double[] r = residual;
    double[] p = direction;
    double[] ap = product;
    for (int j = 0; j < k; j++) {
      x[j] = target[targetOffset + j];
    }
    // r = b - A·x, in one pass over the entries: each contributes (c - (c - 1)·yᵀx)·y.
    Vectors.multiplySymmetric(gram, x, r, k);
    for (int j = 0; j < k; j++) {
      r[j] = -r[j];
    }
    if (gathered) {
      gatheredDots(x, n);
    }
    for (int e = 0; e < n; e++) {
      int yo = gathered ? e * k : indices[from + e] * k;
      double extra = extraConfidence[from + e];
      double yx = gathered ? dots[e] : Vectors.dot(y, yo, x, k);
      Vectors.axpy(1 + extra - extra * yx, ys, yo, r, k);
    }
    System.arraycopy(r, 0, p, 0, k);
    double rs = Vectors.dot(r, r, k);
    for (int step = 0; step < steps && rs > 0; step++) {
      Vectors.multiplySymmetric(gram, p, ap, k);
      if (gathered) {
        gatheredDots(p, n);
      }
      for (int e = 0; e < n; e++) {
        int yo = gathered ? e * k : indices[from + e] * k;
        double yp = gathered ? dots[e] : Vectors.dot(y, yo, p, k);
        Vectors.axpy(extraConfidence[from + e] * yp, ys, yo, ap, k);
      }
      double pap = Vectors.dot(p, ap, k);
      if (!(pap > 0)) {
        break; // rounding made the curvature vanish; x is as good as it gets
      }
      double alpha = rs / pap;
      for (int j = 0; j < k; j++) {
        x[j] += alpha * p[j];
        r[j] -= alpha * ap[j];
      }
      double rsNext = Vectors.dot(r, r, k);
      double beta = rsNext / rs;
      for (int j = 0; j < k; j++) {
        p[j] = r[j] + beta * p[j];
      }
      rs = rsNext;
    }
    for (int j = 0; j < k; j++) {
      target[targetOffset + j] = (float) x[j];
    }
  }

  /** {@code dots[e] = y_e · v} for the n gathered rows, as k passes over the transposed copy. */
  private void gatheredDots(double[] v, int n) {
    Arrays.fill(dots, 0, n, 0.0);
    for (int j = 0; j < k; j++) {
      Vectors.axpy(v[j], columns, j * n, dots, n);
    }
  }
}
