package dev.recsuite.recall.cf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConjugateGradientTest {

  private static final int K = 6;
  private static final int ITEMS = 40;
  private static final double LAMBDA = 0.3;

  private final SplittableRandom random = new SplittableRandom(13L);
  private final float[] y = randomArray(ITEMS * K);
  private final int[] observed = {2, 9, 17, 33};
  private final float[] extra = {4, 1, 2.5f, 8};

  @Test
  void solve_withAsManyStepsAsFactors_matchesTheCholeskySolution() {
    float[] x = randomArray(K);

    new ConjugateGradient(K, K, 4).solve(x, 0, gramPlusLambda(), y, observed, extra, 0, 4);

    double[] expected = choleskySolution();
    for (int j = 0; j < K; j++) {
      assertThat((double) x[j]).isCloseTo(expected[j], within(1e-4));
    }
  }

  @Test
  void solve_eachFurtherStep_getsCloser() {
    double[] expected = choleskySolution();
    float[] start = randomArray(K);
    double previous = distance(start, expected);
    for (int steps = 1; steps <= 3; steps++) {
      float[] x = start.clone();

      new ConjugateGradient(K, steps, 4).solve(x, 0, gramPlusLambda(), y, observed, extra, 0, 4);

      double now = distance(x, expected);
      assertThat(now).isLessThan(previous);
      previous = now;
    }
  }

  @Test
  void solve_rowTooLongForTheScratch_takesTheUngatheredPathToTheSameResult() {
    float[] start = randomArray(K);
    float[] gathered = start.clone();
    float[] scattered = start.clone();

    new ConjugateGradient(K, 3, 4).solve(gathered, 0, gramPlusLambda(), y, observed, extra, 0, 4);
    new ConjugateGradient(K, 3, 2).solve(scattered, 0, gramPlusLambda(), y, observed, extra, 0, 4);

    assertThat(scattered).containsExactly(gathered, within(1e-5f));
    assertThat(scattered).isNotEqualTo(start);
  }

  @Test
  void solve_touchesOnlyItsRow() {
    float[] rows = randomArray(3 * K);
    float[] before = rows.clone();

    new ConjugateGradient(K, 3, 4).solve(rows, K, gramPlusLambda(), y, observed, extra, 0, 4);

    for (int j = 0; j < K; j++) {
      assertThat(rows[j]).isEqualTo(before[j]);
      assertThat(rows[2 * K + j]).isEqualTo(before[2 * K + j]);
    }
    assertThat(rows).isNotEqualTo(before);
  }

  private float[] gramPlusLambda() {
    return Gram.toFloatPlusDiagonal(Gram.compute(y, K, Workers.sequential()), K, LAMBDA);
  }

  /** The normal equations formed explicitly, in double, solved by Cholesky. */
  private double[] choleskySolution() {
    double[] a = Gram.compute(y, K, Workers.sequential());
    double[] b = new double[K];
    for (int r = 0; r < K; r++) {
      a[r * K + r] += LAMBDA;
    }
    for (int e = 0; e < observed.length; e++) {
      int yo = observed[e] * K;
      for (int r = 0; r < K; r++) {
        for (int c = 0; c < K; c++) {
          a[r * K + c] += extra[e] * y[yo + r] * y[yo + c];
        }
        b[r] += (1 + extra[e]) * y[yo + r];
      }
    }
    Cholesky.decompose(a, K);
    Cholesky.solve(a, K, b);
    return b;
  }

  private float[] randomArray(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static double distance(float[] x, double[] expected) {
    double sum = 0;
    for (int j = 0; j < x.length; j++) {
      sum += (x[j] - expected[j]) * (x[j] - expected[j]);
    }
    return Math.sqrt(sum);
  }
}
