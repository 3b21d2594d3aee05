package dev.recsuite.recall.cf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GramTest {

  @Test
  void compute_matchesNaiveSumsAndIsTheSameBitsOnAPool() {
    int k = 13;
    int rows = 500;
    SplittableRandom random = new SplittableRandom(2L);
    float[] v = new float[rows * k];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }

    double[] sequential = Gram.compute(v, k, Workers.sequential());
    double[] pooled;
    try (Workers workers = Workers.pool("gram-test-", 3)) {
      pooled = Gram.compute(v, k, workers);
    }

    assertThat(pooled).containsExactly(sequential);
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double expected = 0;
        for (int r = 0; r < rows; r++) {
          expected += (double) v[r * k + a] * v[r * k + b];
        }
        assertThat(sequential[a * k + b]).isCloseTo(expected, within(1e-9));
      }
    }
  }

  @Test
  void compute_lengthNotAMultipleOfFactors_failsNamingBoth() {
    assertThatThrownBy(() -> Gram.compute(new float[7], 2, Workers.sequential()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("factor array: length 7 (expected: a multiple of factors 2)");
  }

  @Test
  void toFloatPlusDiagonal_addsLambdaOnTheDiagonalOnly() {
    float[] m = Gram.toFloatPlusDiagonal(new double[] {1, 2, 2, 5}, 2, 0.5);

    assertThat(m).containsExactly(1.5f, 2f, 2f, 5.5f);
  }
}
