package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  @Test
  void estimate_constantValues_hasZeroWidth() {
    Estimate estimate = new Bootstrap(1_000, 1).estimate(new double[] {0.25, 0.25, 0.25});

    assertThat(estimate).isEqualTo(new Estimate(0.25, 0.25, 0.25, 0));
  }

  @Test
  void estimate_sameSeed_sameInterval_otherSeed_otherDraws() {
    double[] values = hits(500, 0.3, 7);

    Estimate a = new Bootstrap(1_000, 42).estimate(values);
    Estimate b = new Bootstrap(1_000, 42).estimate(values);
    Estimate c = new Bootstrap(1_000, 43).estimate(values);

    assertThat(a).isEqualTo(b);
    assertThat(c.mean()).isEqualTo(a.mean());
    assertThat(c.lower() != a.lower() || c.upper() != a.upper()).isTrue();
  }

  @Test
  void estimate_binaryValues_matchesTheNormalApproximation() {
    // 2,000 users with hit probability 0.3: the 95% interval is about mean ± 1.96 SE.
    double[] values = hits(2_000, 0.3, 11);

    Estimate estimate = new Bootstrap(1_000, 5).estimate(values);

    double se = Math.sqrt(estimate.mean() * (1 - estimate.mean()) / values.length);
    assertThat(estimate.standardError()).isCloseTo(se, within(se * 0.01));
    assertThat(estimate.lower()).isCloseTo(estimate.mean() - 1.96 * se, within(se * 0.3));
    assertThat(estimate.upper()).isCloseTo(estimate.mean() + 1.96 * se, within(se * 0.3));
    assertThat(estimate.lower()).isLessThan(estimate.mean());
    assertThat(estimate.upper()).isGreaterThan(estimate.mean());
  }

  @Test
  void percentile_isNearestRank() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    assertThat(Bootstrap.percentile(sorted, 0.025)).isEqualTo(1);
    assertThat(Bootstrap.percentile(sorted, 0.5)).isEqualTo(5);
    assertThat(Bootstrap.percentile(sorted, 0.975)).isEqualTo(10);
  }

  @Test
  void estimate_noValues_isZero() {
    assertThat(new Bootstrap(10, 1).estimate(new double[0])).isEqualTo(new Estimate(0, 0, 0, 0));
  }

  @Test
  void constructor_zeroResamples_failsNamingTheValue() {
    assertThatThrownBy(() -> new Bootstrap(0, 1)).hasMessage("resamples: 0 (expected: >= 1)");
  }

  private static double[] hits(int n, double p, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextDouble() < p ? 1 : 0;
    }
    return values;
  }
}
