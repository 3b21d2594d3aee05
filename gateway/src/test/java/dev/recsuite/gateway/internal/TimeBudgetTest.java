package dev.recsuite.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {

  private final TimeBudget budget = new TimeBudget(Duration.ofMillis(100), Duration.ofMillis(5));

  @Test
  void hop_getsItsShareOfTheTimeLeftAfterTheReserve() {
    Deadline request = Deadline.after(1_100, TimeUnit.MILLISECONDS);

    Deadline hop = budget.hop(request, 0.5, Duration.ofSeconds(10));

    assertThat(hop.timeRemaining(TimeUnit.MILLISECONDS)).isBetween(450L, 500L);
  }

  @Test
  void hop_isCappedByItsTimeout() {
    Deadline request = Deadline.after(10, TimeUnit.SECONDS);

    Deadline hop = budget.hop(request, 1.0, Duration.ofMillis(300));

    assertThat(hop.timeRemaining(TimeUnit.MILLISECONDS)).isBetween(250L, 300L);
  }

  @Test
  void hop_pastTheReserve_isAlreadyExpired() {
    Deadline request = Deadline.after(50, TimeUnit.MILLISECONDS);

    assertThat(budget.hop(request, 1.0, Duration.ofSeconds(1)).isExpired()).isTrue();
  }

  @Test
  void tooShort_whenLessThanTheReservePlusOneCallIsLeft() {
    assertThat(budget.tooShort(Deadline.after(102, TimeUnit.MILLISECONDS))).isTrue();
    assertThat(budget.tooShort(Deadline.after(1, TimeUnit.SECONDS))).isFalse();
    assertThat(budget.needed()).isEqualTo(Duration.ofMillis(105));
  }
}
