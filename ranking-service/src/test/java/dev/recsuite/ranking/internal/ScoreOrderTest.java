package dev.recsuite.ranking.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScoreOrderTest {

  @Test
  void descending_randomScoresWithManyTies_matchesAStableSortByDescendingScore() {
    Random random = new Random(42);
    float[] pool = {
      Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -3.5f, -1f, -Float.MIN_VALUE, -0f, 0f,
      Float.MIN_VALUE, 0.25f, 1f, 1e30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY
    };
    for (int round = 0; round < 200; round++) {
      float[] scores = new float[1 + random.nextInt(300)];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = random.nextBoolean() ? pool[random.nextInt(pool.length)] : (float) random.nextGaussian();
      }

      int[] order = ScoreOrder.descending(scores);

      assertThat(order).as("round %d", round).containsExactly(reference(scores));
    }
  }

  @Test
  void descending_negativeZeroAndZero_areTiedInRequestOrder() {
    int[] order = ScoreOrder.descending(new float[] {0f, -0f, 1f, 0f});

    assertThat(order).containsExactly(2, 0, 1, 3);
  }

  @Test
  void descending_nan_sortsLast() {
    int[] order = ScoreOrder.descending(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 2f});

    assertThat(order).containsExactly(2, 1, 0);
  }

  @Test
  void descending_empty_givesEmpty() {
    assertThat(ScoreOrder.descending(new float[0])).isEmpty();
  }

  @Test
  void descending_limit_isThePrefixOfTheFullOrder() {
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      float[] scores = new float[random.nextInt(200)];
      for (int i = 0; i < scores.length; i++) {
        // Few distinct values: many ties, whose request order the selection must keep.
        scores[i] = random.nextInt(10) == 0 ? Float.NaN : random.nextInt(12) - 6 + (random.nextBoolean() ? 0f : -0f);
      }
      int n = scores.length;
      int[] full = ScoreOrder.descending(scores);
      for (int limit : new int[] {0, 1, 2, random.nextInt(n + 1), n / 4 - 1, n / 4, n - 1, n, n + 5}) {
        if (limit < 0) {
          continue;
        }

        int[] order = ScoreOrder.descending(scores, limit);

        assertThat(order).as("round %d, %d scores, limit %d", round, n, limit).containsExactly(Arrays.copyOf(full, Math.min(limit, n)));
      }
    }
  }

  @Test
  void descending_negativeLimit_failsNamingIt() {
    assertThatThrownBy(() -> ScoreOrder.descending(new float[] {1f}, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: -1 (expected: >= 0)");
  }

  /** Brute force: boxed stable sort by descending score, with -0.0 equal to 0.0. */
  private static int[] reference(float[] scores) {
    Integer[] positions = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(positions, Comparator.comparingDouble((Integer i) -> -(scores[i] + 0.0)));
    return Arrays.stream(positions).mapToInt(Integer::intValue).toArray();
  }
}
