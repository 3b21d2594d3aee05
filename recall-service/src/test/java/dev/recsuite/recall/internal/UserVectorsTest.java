package dev.recsuite.recall.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.AlsParameters.ConfidenceScaling;
import org.junit.jupiter.api.Test;

class UserVectorsTest {

  private static final FactorModel CF =
      FactorModel.newBuilder()
          .setFactors(2)
          .addAllItemFactors(java.util.List.of(1f, 0f, 0f, 1f, 1f, 1f))
          .setRegularization(0.5f)
          .setAlpha(4f)
          .build();

  /** User 0: items 0, 1, 2, 1 in time order; user 1: none. */
  private static final Interactions HISTORY =
      Interactions.of(2, new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 1}, new float[4], new long[] {1, 2, 3, 4});

  private static UserVectors vectors(int foldInItems) {
    Factors factors = Factors.of(CF, 3, 2);
    return UserVectors.of(factors, UserVectors.foldInParameters(CF, ConfidenceScaling.LINEAR), HISTORY, foldInItems);
  }

  @Test
  void foldInParameters_modelValues_areUsedWithTheGivenScaling() {
    AlsParameters parameters = UserVectors.foldInParameters(CF, ConfidenceScaling.LOG);

    assertThat(parameters.regularization()).isEqualTo(0.5);
    assertThat(parameters.alpha()).isEqualTo(4.0);
    assertThat(parameters.scaling()).isEqualTo(ConfidenceScaling.LOG);
  }

  @Test
  void foldInParameters_noRegularizationRecorded_fallsBackToTheAlsDefaults() {
    AlsParameters parameters =
        UserVectors.foldInParameters(CF.toBuilder().clearRegularization().clearAlpha().build(), ConfidenceScaling.LINEAR);

    assertThat(parameters.regularization()).isEqualTo(AlsParameters.defaults().regularization());
    assertThat(parameters.alpha()).isEqualTo(AlsParameters.defaults().alpha());
  }

  @Test
  void foldInParameters_invalidValues_failNamingThem() {
    assertThatThrownBy(
            () -> UserVectors.foldInParameters(CF.toBuilder().setAlpha(-1f).build(), ConfidenceScaling.LINEAR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cf alpha: -1.0 (expected: finite and >= 0)");
    assertThatThrownBy(
            () -> UserVectors.foldInParameters(CF.toBuilder().setRegularization(-2f).build(), ConfidenceScaling.LINEAR))
        .hasMessage("cf regularization: -2.0 (expected: finite and > 0)");
  }

  @Test
  void recentEvents_requestFirstThenTrainingEventsFromTheLatestBackUpToTheBound() {
    assertThat(vectors(10).recentEvents(0, new int[] {2})).containsExactly(2, 1, 2, 1, 0);
    assertThat(vectors(3).recentEvents(0, new int[] {2})).containsExactly(2, 1, 2);
    assertThat(vectors(1).recentEvents(0, new int[] {2, 0})).containsExactly(2);
    assertThat(vectors(10).recentEvents(-1, new int[] {0, 1})).containsExactly(0, 1);
    assertThat(vectors(10).recentEvents(1, new int[0])).isEmpty();
  }

  @Test
  void vector_nothingToFoldIn_isNull() {
    assertThat(vectors(10).vector(-1, new int[0])).isNull();
    assertThat(vectors(10).vector(1, new int[0])).isNull();
    assertThat(vectors(10).vector(0, new int[0])).hasSize(2);
  }
}
