package dev.recsuite.recall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IndexOrderTest {

  @Test
  void top_isThePrefixOfAFullSort_forEveryLimit() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      int size = random.nextInt(300);
      // Few distinct scores, so ties are common and the item id must decide them.
      double[] scores = random.doubles(size).map(d -> Math.floor(d * 8)).toArray();
      int[] items = IntStream.range(0, size).map(i -> random.nextInt(1_000_000)).distinct().toArray();
      int n = items.length;
      IntBinaryOperator compare =
          (a, b) -> {
            int byScore = Double.compare(scores[b], scores[a]);
            return byScore != 0 ? byScore : Integer.compare(items[a], items[b]);
          };
      int[] fullSort =
          IntStream.range(0, n).boxed().sorted(Comparator.comparing(i -> i, compare::applyAsInt)).mapToInt(i -> i).toArray();
      int limit = random.nextInt(n + 5);

      int[] top = IndexOrder.top(n, limit, compare);

      assertThat(top).containsExactly(Arrays.copyOf(fullSort, Math.min(limit, n)));
    }
  }

  @Test
  void top_zeroLimitOrSize_isEmpty() {
    IntBinaryOperator byPosition = Integer::compare;

    assertThat(IndexOrder.top(0, 5, byPosition)).isEmpty();
    assertThat(IndexOrder.top(5, 0, byPosition)).isEmpty();
    assertThat(IndexOrder.top(5, 2, (a, b) -> Integer.compare(b, a))).containsExactly(4, 3);
  }
}
