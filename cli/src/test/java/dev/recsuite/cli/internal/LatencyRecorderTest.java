package dev.recsuite.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void summary_givesNearestRankPercentilesInMilliseconds() {
    LatencyRecorder recorder = new LatencyRecorder(1_000);
    for (int ms = 1; ms <= 100; ms++) {
      recorder.record(ms * 1_000_000L);
    }
    recorder.recordError();

    LatencyRecorder.Summary summary = recorder.summary(2_000_000_000L);

    assertThat(summary.ok()).isEqualTo(100);
    assertThat(summary.errors()).isEqualTo(1);
    assertThat(summary.throughput()).isEqualTo(50.0);
    assertThat(summary.p50()).isEqualTo(50.0);
    assertThat(summary.p90()).isEqualTo(90.0);
    assertThat(summary.p99()).isEqualTo(99.0);
    assertThat(summary.p999()).isEqualTo(100.0);
    assertThat(summary.max()).isEqualTo(100.0);
    assertThat(summary.format()).contains("ok 100, errors 1, 50 req/s", "p99 99.00");
  }

  @Test
  void summary_ofNothing_isZeros() {
    LatencyRecorder.Summary summary = new LatencyRecorder(10).summary(1_000_000_000L);

    assertThat(summary.ok()).isZero();
    assertThat(summary.p99()).isZero();
  }

  @Test
  void record_beyondCapacity_keepsTheFirstOnes() {
    LatencyRecorder recorder = new LatencyRecorder(2);
    recorder.record(1_000_000L);
    recorder.record(2_000_000L);
    recorder.record(3_000_000L);

    assertThat(recorder.summary(1_000_000_000L).max()).isEqualTo(2.0);
  }
}
