package dev.recsuite.core.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.core.data.Interactions;
import org.junit.jupiter.api.Test;

class LeaveLastOutTest {

  @Test
  void split_holdsOutEachUsersLatestInteraction() {
    Interactions all =
        Interactions.of(
            3,
            new int[] {0, 0, 0, 1, 1, 2},
            new int[] {5, 6, 7, 8, 9, 4},
            new float[] {1, 2, 3, 4, 5, 1},
            new long[] {30, 10, 20, 7, 7, 1});

    TrainTestSplit split = new LeaveLastOut(2).split(all);

    // User 0's latest is item 5 (t=30); user 1 ties at t=7, the later row (item 9) is held out;
    // user 2 has one interaction and keeps it.
    assertThat(split.holdout().usersColumn()).containsExactly(0, 1);
    assertThat(split.holdout().itemsColumn()).containsExactly(5, 9);
    assertThat(split.train().itemsColumn()).containsExactly(6, 7, 8, 4);
    assertThat(split.train().userCount()).isEqualTo(3);
    assertThat(split.train().size() + split.holdout().size()).isEqualTo(all.size());
  }

  @Test
  void split_usersBelowMinimum_keepEverything() {
    Interactions all =
        Interactions.of(1, new int[] {0, 0}, new int[] {1, 2}, new float[2], new long[] {1, 2});

    TrainTestSplit split = new LeaveLastOut(3).split(all);

    assertThat(split.holdout().size()).isZero();
    assertThat(split.train().size()).isEqualTo(2);
  }

  @Test
  void constructor_minimumBelowTwo_failsNamingTheValue() {
    assertThatThrownBy(() -> new LeaveLastOut(1)).hasMessage("minInteractions: 1 (expected: >= 2)");
  }
}
