package dev.recsuite.recall.cf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import org.junit.jupiter.api.Test;

class FeedbackMatrixTest {

  private static final AlsParameters PARAMETERS = AlsParameters.defaults().withAlpha(10);

  @Test
  void ofUsers_mergesRepeatedEventsIntoOneEntryCountingThem() {
    // User 0: items 4, 1, 4, 4; user 1: none; user 2: item 1.
    Interactions interactions =
        Interactions.of(
            3,
            new int[] {0, 0, 2, 0, 0},
            new int[] {4, 1, 1, 4, 4},
            new float[5],
            new long[] {1, 2, 3, 4, 5});

    FeedbackMatrix byUser = FeedbackMatrix.ofUsers(interactions, 5, PARAMETERS);

    assertThat(byUser.rows()).isEqualTo(3);
    assertThat(byUser.columns()).isEqualTo(5);
    assertThat(byUser.offsets()).containsExactly(0, 2, 2, 3);
    assertThat(byUser.indices()).containsExactly(1, 4, 1);
    assertThat(byUser.extraConfidence()).containsExactly(10f, 30f, 10f);
    assertThat(byUser.longestRow()).isEqualTo(2);
  }

  @Test
  void transpose_listsEachItemsUsersInOrder() {
    Interactions interactions =
        Interactions.of(
            3,
            new int[] {0, 0, 2, 0, 1},
            new int[] {4, 1, 1, 4, 0},
            new float[5],
            new long[5]);

    FeedbackMatrix byItem = FeedbackMatrix.ofUsers(interactions, 5, PARAMETERS).transpose();

    assertThat(byItem.rows()).isEqualTo(5);
    assertThat(byItem.columns()).isEqualTo(3);
    assertThat(byItem.offsets()).containsExactly(0, 1, 3, 3, 3, 4);
    assertThat(byItem.indices()).containsExactly(1, 0, 2, 0);
    assertThat(byItem.extraConfidence()).containsExactly(10f, 10f, 10f, 20f);
    assertThat(byItem.longestRow()).isEqualTo(2);
  }

  @Test
  void ofUsers_negativeItem_failsNamingIt() {
    Interactions interactions =
        Interactions.of(1, new int[] {0}, new int[] {-1}, new float[1], new long[1]);

    assertThatThrownBy(() -> FeedbackMatrix.ofUsers(interactions, 5, PARAMETERS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interactions: item id -1 of user 0 (expected: in [0, 5))");
  }
}
