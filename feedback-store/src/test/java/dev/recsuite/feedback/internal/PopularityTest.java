package dev.recsuite.feedback.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PopularityTest {

  private static final long H = 3_600_000;

  @Test
  void at_oneHalfLifeLater_isHalf() {
    Popularity p = Popularity.NONE.plus(4, 1000, H);

    assertThat(p.at(1000, H)).isEqualTo(4.0);
    assertThat(p.at(1000 + H, H)).isCloseTo(2.0, within(1e-12));
    assertThat(p.at(1000 + 3 * H, H)).isCloseTo(0.5, within(1e-12));
    assertThat(Popularity.NONE.at(5000, H)).isZero();
  }

  @Test
  void plus_zeroWeight_changesNothing() {
    Popularity p = Popularity.NONE.plus(2, 1000, H);

    assertThat(p.plus(0, 5000, H)).isEqualTo(p);
    assertThat(Popularity.NONE.plus(0, 5000, H)).isEqualTo(Popularity.NONE);
  }

  @Test
  void plus_anyArrivalOrder_equalsTheSumOfDecayedWeights() {
    Random random = new Random(42);
    List<long[]> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(new long[] {1 + random.nextInt(5), 1_000_000 + random.nextInt(50_000_000)});
    }
    long now = 60_000_000;
    double expected = 0;
    for (long[] e : events) {
      expected += e[0] * Math.pow(2, -(now - e[1]) / (double) H);
    }
    for (int shuffle = 0; shuffle < 5; shuffle++) {
      Collections.shuffle(events, random);
      Popularity p = Popularity.NONE;
      for (long[] e : events) {
        p = p.plus(e[0], e[1], H);
      }
      assertThat(p.at(now, H)).isCloseTo(expected, within(1e-9 * expected));
    }
  }
}
