package dev.recsuite.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

  @Test
  void intendedNanos_spacesRequestsByTheInverseOfTheRate() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 200);

    assertThat(schedule.intendedNanos(0)).isEqualTo(1_000);
    assertThat(schedule.intendedNanos(1)).isEqualTo(1_000 + 5_000_000);
    assertThat(schedule.intendedNanos(200)).isEqualTo(1_000 + 1_000_000_000);
  }

  @Test
  void intendedNanos_atAFractionalInterval_doesNotDriftOverALongRun() {
    // 300 req/s: 3,333,333.33 ns apart; summing rounded intervals would drift by 0.33 ns a request.
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 300);

    assertThat(schedule.intendedNanos(3_000_000)).isEqualTo(10_000_000_000_000L);
    assertThat(schedule.intendedNanos(1)).isEqualTo(3_333_333);
    assertThat(schedule.intendedNanos(2)).isEqualTo(6_666_667);
  }

  @Test
  void dueBy_countsTheRequestsWhoseTimeHasCome() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(10_000_000, 1_000); // one every millisecond

    assertThat(schedule.dueBy(9_999_999)).isZero();
    assertThat(schedule.dueBy(10_000_000)).isEqualTo(1);
    assertThat(schedule.dueBy(10_999_999)).isEqualTo(1);
    assertThat(schedule.dueBy(11_000_000)).isEqualTo(2);
    assertThat(schedule.dueBy(20_500_000)).isEqualTo(11);
  }

  @Test
  void dueBy_agreesWithIntendedNanosAtRandomRatesAndTimes() {
    Random random = new Random(7);
    for (int trial = 0; trial < 2_000; trial++) {
      double rate = 0.5 + random.nextDouble() * 20_000;
      OpenLoopSchedule schedule = new OpenLoopSchedule(random.nextLong(1_000_000_000L), rate);
      long now = schedule.startNanos() + random.nextLong(5_000_000_000L);

      long due = schedule.dueBy(now);

      // The brute-force reference: every request up to due-1 is due, request `due` is not.
      assertThat(schedule.intendedNanos(due)).as("rate %s now %s", rate, now).isGreaterThan(now);
      if (due > 0) {
        assertThat(schedule.intendedNanos(due - 1)).isLessThanOrEqualTo(now);
      }
    }
  }

  @Test
  void requestsIn_isRateTimesDurationRoundedDown() {
    assertThat(OpenLoopSchedule.requestsIn(200, 30)).isEqualTo(6_000);
    assertThat(OpenLoopSchedule.requestsIn(2.5, 1.9)).isEqualTo(4);
  }

  @Test
  void new_nonPositiveRate_failsNamingTheRate() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate: 0.0 (expected: > 0 requests/s)");
    assertThatThrownBy(() -> new OpenLoopSchedule(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
