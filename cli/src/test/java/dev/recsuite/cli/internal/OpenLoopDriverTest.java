package dev.recsuite.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OpenLoopDriverTest {

  private static final long START = 1_000_000_000L;

  @Test
  void dispatch_sendsEachRequestAtItsIntendedTime() throws Exception {
    FakeNanoClock clock = new FakeNanoClock(START);
    List<Long> sentAt = new ArrayList<>();
    RequestSender sender =
        index -> {
          sentAt.add(clock.nanoTime() - START);
          return CompletableFuture.completedFuture(false);
        };

    new OpenLoopDriver(clock, 500, 10).dispatch(4, sender, new LatencyRecorder(10));

    assertThat(sentAt).containsExactly(0L, 2_000_000L, 4_000_000L, 6_000_000L);
  }

  @Test
  void dispatch_slowAnswers_countTheTimeLaterRequestsWaitedForTheirTurn() throws Exception {
    // Every request takes 3 ms and the single sending thread is stuck for it, as a blocking client
    // would be: requests due every 1 ms leave later and later. A closed-loop client would report
    // 3 ms for each; measured from the intended send time the queueing shows.
    FakeNanoClock clock = new FakeNanoClock(START);
    RequestSender blockingThreeMillis =
        index -> {
          clock.advanceMillis(3);
          return CompletableFuture.completedFuture(false);
        };
    LatencyRecorder latencies = new LatencyRecorder(10);
    OpenLoopDriver driver = new OpenLoopDriver(clock, 1_000, 10);

    driver.dispatch(4, blockingThreeMillis, latencies);

    // Request i is intended at i ms, sent at 3i ms, answered at 3i + 3 ms: latency 2i + 3 ms.
    LatencyRecorder.Summary summary = latencies.summary(12_000_000);
    assertThat(summary.ok()).isEqualTo(4);
    assertThat(summary.p50()).isEqualTo(5.0);
    assertThat(summary.max()).isEqualTo(9.0);
    assertThat(driver.scheduleLag(12_000_000).max()).isEqualTo(6.0);
  }

  @Test
  void dispatch_pastMaxInFlight_dropsDueRequestsAndCountsThemAsErrors() throws Exception {
    FakeNanoClock clock = new FakeNanoClock(START);
    List<CompletableFuture<Boolean>> pending = new ArrayList<>();
    RequestSender neverAnswering =
        index -> {
          CompletableFuture<Boolean> answer = new CompletableFuture<>();
          pending.add(answer);
          return answer;
        };
    LatencyRecorder latencies = new LatencyRecorder(10);
    OpenLoopDriver driver = new OpenLoopDriver(clock, 100, 3);

    driver.dispatch(10, neverAnswering, latencies);
    clock.advanceMillis(250);
    pending.forEach(answer -> answer.complete(true));

    LatencyRecorder.Summary summary = latencies.summary(1_000_000_000);
    assertThat(pending).hasSize(3);
    assertThat(summary.errorsByCode()).containsExactly(java.util.Map.entry(LatencyRecorder.DROPPED, 7L));
    assertThat(summary.ok()).isEqualTo(3);
    assertThat(summary.degraded()).isEqualTo(3);
    // Request 0 was intended at 0 ms, request 2 at 20 ms; all answered at 90 + 250 ms.
    assertThat(summary.max()).isEqualTo(340.0);
    assertThat(summary.p50()).isEqualTo(330.0);
    assertThat(driver.awaitIdle(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void dispatch_failedCalls_areCountedByStatusCode() throws Exception {
    FakeNanoClock clock = new FakeNanoClock(START);
    RequestSender failingOddOnes =
        index ->
            index % 2 == 0
                ? CompletableFuture.completedFuture(false)
                : CompletableFuture.failedFuture(Status.DEADLINE_EXCEEDED.asRuntimeException());
    LatencyRecorder latencies = new LatencyRecorder(10);

    new OpenLoopDriver(clock, 1_000, 10).dispatch(5, failingOddOnes, latencies);

    assertThat(latencies.summary(5_000_000).errorsByCode()).containsExactly(java.util.Map.entry("DEADLINE_EXCEEDED", 2L));
    assertThat(latencies.summary(5_000_000).ok()).isEqualTo(3);
  }

  @Test
  void awaitIdle_withAnAnswerOutstanding_returnsFalseAfterTheTimeout() throws Exception {
    FakeNanoClock clock = new FakeNanoClock(START);
    OpenLoopDriver driver = new OpenLoopDriver(clock, 10, 10);

    driver.dispatch(1, index -> new CompletableFuture<>(), new LatencyRecorder(1));

    assertThat(driver.awaitIdle(Duration.ofMillis(20))).isFalse();
    assertThat(driver.inFlight()).isEqualTo(1);
  }
}
