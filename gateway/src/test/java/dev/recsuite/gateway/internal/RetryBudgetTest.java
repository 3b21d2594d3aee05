package dev.recsuite.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final AtomicLong now = new AtomicLong();

  @Test
  void floor_grantsItsTokensPerSecondThenRefuses() {
    RetryBudget budget = new RetryBudget(0, 3, now::get);

    assertThat(withdrawals(budget, 10)).isEqualTo(3);

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(withdrawals(budget, 10)).as("half a second refills half the floor").isEqualTo(1);

    now.addAndGet(TimeUnit.SECONDS.toNanos(60));
    assertThat(withdrawals(budget, 10)).as("at most one second's worth is kept").isEqualTo(3);
  }

  @Test
  void ratio_allowsThatShareOfCalls() {
    RetryBudget budget = new RetryBudget(0.1, 0, now::get);

    for (int i = 0; i < 25; i++) {
      budget.deposit();
    }

    assertThat(withdrawals(budget, 10)).isEqualTo(2);
  }

  @Test
  void ratio_savesAtMostAHundredTokens() {
    RetryBudget budget = new RetryBudget(1, 0, now::get);

    for (int i = 0; i < 1_000; i++) {
      budget.deposit();
    }

    assertThat(withdrawals(budget, 1_000)).isEqualTo(100);
  }

  @Test
  void constructor_badValues_failNamingThem() {
    assertThatThrownBy(() -> new RetryBudget(1.5, 0, now::get)).hasMessage("ratio: 1.5 (expected: 0..1)");
    assertThatThrownBy(() -> new RetryBudget(0.1, -1, now::get))
        .hasMessage("floorPerSecond: -1 (expected: >= 0)");
  }

  private static int withdrawals(RetryBudget budget, int tries) {
    int granted = 0;
    for (int i = 0; i < tries; i++) {
      if (budget.tryWithdraw()) {
        granted++;
      }
    }
    return granted;
  }
}
