package dev.recsuite.recall.cf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.recall.cf.AlsParameters.ConfidenceScaling;
import org.junit.jupiter.api.Test;

class AlsParametersTest {

  private static final AlsParameters DEFAULTS = AlsParameters.defaults();

  @Test
  void defaults_areTheDocumentedValues() {
    assertThat(DEFAULTS.factors()).isEqualTo(64);
    assertThat(DEFAULTS.regularization()).isEqualTo(1.0);
    assertThat(DEFAULTS.alpha()).isEqualTo(2.0);
    assertThat(DEFAULTS.scaling()).isEqualTo(ConfidenceScaling.LINEAR);
    assertThat(DEFAULTS.iterations()).isEqualTo(15);
    assertThat(DEFAULTS.cgSteps()).isEqualTo(3);
    assertThat(DEFAULTS.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void withers_replaceOneValueEach() {
    AlsParameters changed =
        DEFAULTS
            .withFactors(8)
            .withRegularization(0.5)
            .withAlpha(3)
            .withScaling(ConfidenceScaling.LOG)
            .withIterations(2)
            .withCgSteps(4)
            .withSeed(-1L)
            .withThreads(3);

    assertThat(changed)
        .isEqualTo(new AlsParameters(8, 0.5, 3, ConfidenceScaling.LOG, 2, 4, -1L, 3));
  }

  @Test
  void confidence_linear_isOnePlusAlphaTimesEvents() {
    assertThat(DEFAULTS.withAlpha(10).confidence(3)).isEqualTo(31.0);
  }

  @Test
  void confidence_log_isOnePlusAlphaTimesLogOfOnePlusEvents() {
    AlsParameters log = DEFAULTS.withAlpha(10).withScaling(ConfidenceScaling.LOG);

    assertThat(log.confidence(Math.E - 1)).isCloseTo(11.0, within(1e-12));
  }

  @Test
  void confidence_negativeEvents_failsNamingTheValue() {
    assertThatThrownBy(() -> DEFAULTS.confidence(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("events: -1.0 (expected: finite and >= 0)");
  }

  @Test
  void constructor_zeroFactors_failsNamingTheValue() {
    assertThatThrownBy(() -> DEFAULTS.withFactors(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("factors: 0 (expected: > 0)");
  }

  @Test
  void constructor_nonPositiveOrNanRegularization_failsNamingTheValue() {
    assertThatThrownBy(() -> DEFAULTS.withRegularization(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regularization: 0.0 (expected: finite and > 0)");
    assertThatThrownBy(() -> DEFAULTS.withRegularization(Double.NaN))
        .hasMessage("regularization: NaN (expected: finite and > 0)");
    assertThatThrownBy(() -> DEFAULTS.withRegularization(Double.POSITIVE_INFINITY))
        .hasMessage("regularization: Infinity (expected: finite and > 0)");
  }

  @Test
  void constructor_negativeAlpha_failsNamingTheValue() {
    assertThatThrownBy(() -> DEFAULTS.withAlpha(-0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alpha: -0.5 (expected: finite and >= 0)");
  }

  @Test
  void constructor_zeroAlpha_isAccepted() {
    assertThat(DEFAULTS.withAlpha(0).confidence(5)).isEqualTo(1.0);
  }

  @Test
  void constructor_zeroIterations_failsNamingTheValue() {
    assertThatThrownBy(() -> DEFAULTS.withIterations(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("iterations: 0 (expected: > 0)");
  }

  @Test
  void constructor_negativeCgSteps_failsNamingTheValue() {
    assertThatThrownBy(() -> DEFAULTS.withCgSteps(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cgSteps: -3 (expected: > 0)");
  }

  @Test
  void constructor_zeroThreads_failsNamingTheValue() {
    assertThatThrownBy(() -> DEFAULTS.withThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads: 0 (expected: > 0)");
  }

  @Test
  void constructor_nullScaling_failsNamingTheField() {
    assertThatThrownBy(() -> DEFAULTS.withScaling(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scaling");
  }
}
