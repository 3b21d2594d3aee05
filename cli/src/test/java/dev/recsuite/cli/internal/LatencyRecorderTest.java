package dev.recsuite.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void summary_givesNearestRankPercentilesInMilliseconds() {
    LatencyRecorder recorder = new LatencyRecorder(1_000);
    for (int ms = 1; ms <= 100; ms++) {
      recorder.record(ms * 1_000_000L);
    }
    recorder.recordError("UNAVAILABLE");

    LatencyRecorder.Summary summary = recorder.summary(2_000_000_000L);

    assertThat(summary.ok()).isEqualTo(100);
    assertThat(summary.errors()).isEqualTo(1);
    assertThat(summary.throughput()).isEqualTo(50.0);
    assertThat(summary.p50()).isEqualTo(50.0);
    assertThat(summary.p90()).isEqualTo(90.0);
    assertThat(summary.p99()).isEqualTo(99.0);
    assertThat(summary.p999()).isEqualTo(100.0);
    assertThat(summary.max()).isEqualTo(100.0);
    assertThat(summary.format()).contains("ok 100 (degraded 0), errors 1 (UNAVAILABLE 1), 50 req/s", "p99 99.00");
  }

  @Test
  void summary_ofNothing_isZeros() {
    LatencyRecorder.Summary summary = new LatencyRecorder(10).summary(1_000_000_000L);

    assertThat(summary.ok()).isZero();
    assertThat(summary.p99()).isZero();
    assertThat(summary.errorBreakdown()).isEqualTo("none");
  }

  @Test
  void record_beyondTheSampleLimit_countsTheAnswerButKeepsTheFirstSamples() {
    LatencyRecorder recorder = new LatencyRecorder(2);
    recorder.record(1_000_000L);
    recorder.record(2_000_000L);
    recorder.record(3_000_000L, true);

    LatencyRecorder.Summary summary = recorder.summary(1_000_000_000L);

    assertThat(summary.max()).isEqualTo(2.0);
    assertThat(summary.ok()).isEqualTo(3);
    assertThat(summary.unsampled()).isEqualTo(1);
    assertThat(summary.degraded()).isEqualTo(1);
  }

  @Test
  void record_manySamples_growsItsStorage() {
    LatencyRecorder recorder = new LatencyRecorder(100_000);
    for (int i = 1; i <= 10_000; i++) {
      recorder.record(i * 1_000L);
    }

    LatencyRecorder.Summary summary = recorder.summary(1_000_000_000L);

    assertThat(summary.ok()).isEqualTo(10_000);
    assertThat(summary.unsampled()).isZero();
    assertThat(summary.p99()).isEqualTo(9.9);
  }

  @Test
  void recordError_countsEachCodeApartInCodeOrder() {
    LatencyRecorder recorder = new LatencyRecorder(10);
    recorder.recordError(LatencyRecorder.DROPPED);
    recorder.recordError("DEADLINE_EXCEEDED");
    recorder.recordError(LatencyRecorder.DROPPED);

    LatencyRecorder.Summary summary = recorder.summary(1);

    assertThat(summary.errors()).isEqualTo(3);
    assertThat(summary.errorsByCode())
        .containsExactly(Map.entry("DEADLINE_EXCEEDED", 1L), Map.entry("DROPPED", 2L));
    assertThat(summary.errorBreakdown()).isEqualTo("DEADLINE_EXCEEDED 1, DROPPED 2");
  }

  @Test
  void new_nonPositiveLimit_failsNamingIt() {
    assertThatThrownBy(() -> new LatencyRecorder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSamples: 0 (expected: > 0)");
  }
}
