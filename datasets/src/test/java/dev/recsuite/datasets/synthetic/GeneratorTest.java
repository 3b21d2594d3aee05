package dev.recsuite.datasets.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  @Test
  void exp_isWithinTwoInHundredThousandOfMathExp() {
    int n = 16_001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -80f + i * 0.01f;
    }
    float[] fractions = new float[n];
    int[] powers = new int[n];

    Generator.exp(x, fractions, powers, n);

    for (int i = 0; i < n; i++) {
      double approximate = Float.intBitsToFloat(powers[i]) * (double) fractions[i];
      double exact = Math.exp(x[i]);
      assertThat(Math.abs(approximate / exact - 1)).as("exp(%s)", x[i]).isLessThan(2e-5);
    }
  }

  @Test
  void race_inclusionFrequencies_matchSuccessiveSamplingWithoutReplacement() {
    // Weights deliberately out of order, so the heap sees replacements and jumps.
    double[] weights = {1, 4, 0.5, 10, 2, 3, 0.25, 6};
    int count = 3;
    int trials = 200_000;
    float[] logWeights = new float[weights.length];
    for (int i = 0; i < weights.length; i++) {
      logWeights[i] = (float) Math.log(weights[i]);
    }
    float[] fractions = new float[weights.length];
    int[] powers = new int[weights.length];
    Generator.exp(logWeights, fractions, powers, weights.length);
    int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
    SplittableRandom random = new SplittableRandom(2024);
    double[] keys = new double[count];
    int[] chosen = new int[count];
    int[] included = new int[weights.length];

    for (int t = 0; t < trials; t++) {
      Generator.race(fractions, powers, labels, weights.length, count, random, keys, chosen);
      Set<Integer> distinct = new HashSet<>();
      for (int c : chosen) {
        assertThat(distinct.add(c)).isTrue();
        included[c]++;
      }
    }

    double[] expected = inclusionProbabilities(weights, count);
    for (int i = 0; i < weights.length; i++) {
      // Standard error is at most 0.0011 at 200,000 trials; 0.005 is over four of them.
      assertThat((double) included[i] / trials)
          .as("inclusion of item %d (weight %s)", i, weights[i])
          .isCloseTo(expected[i], within(0.005));
    }
  }

  /** Exact inclusion probabilities of successive weighted sampling, by enumeration. */
  private static double[] inclusionProbabilities(double[] weights, int count) {
    double[] result = new double[weights.length];
    enumerate(weights, count, new boolean[weights.length], 1.0, result);
    return result;
  }

  private static void enumerate(
      double[] weights, int left, boolean[] taken, double probability, double[] result) {
    if (left == 0) {
      for (int i = 0; i < weights.length; i++) {
        if (taken[i]) {
          result[i] += probability;
        }
      }
      return;
    }
    double remaining = 0;
    for (int i = 0; i < weights.length; i++) {
      remaining += taken[i] ? 0 : weights[i];
    }
    for (int i = 0; i < weights.length; i++) {
      if (!taken[i]) {
        taken[i] = true;
        enumerate(weights, left - 1, taken, probability * weights[i] / remaining, result);
        taken[i] = false;
      }
    }
  }
}
