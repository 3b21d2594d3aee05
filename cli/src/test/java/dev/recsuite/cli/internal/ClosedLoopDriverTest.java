package dev.recsuite.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClosedLoopDriverTest {

  @Test
  void run_countedRun_sendsExactlyThatManyAndMeasuresEachFromItsSend() throws Exception {
    FakeNanoClock clock = new FakeNanoClock(0);
    RequestSender twoMillis =
        index -> {
          clock.advanceMillis(2);
          return CompletableFuture.completedFuture(index == 3);
        };
    LatencyRecorder latencies = new LatencyRecorder(100);

    new ClosedLoopDriver(clock, 1).run(RunLength.requests(7), twoMillis, latencies);

    LatencyRecorder.Summary summary = latencies.summary(14_000_000);
    assertThat(summary.ok()).isEqualTo(7);
    assertThat(summary.degraded()).isEqualTo(1);
    assertThat(summary.p50()).isEqualTo(2.0);
    assertThat(summary.max()).isEqualTo(2.0);
  }

  @Test
  void run_timedRun_stopsStartingRequestsAtTheEnd() throws Exception {
    FakeNanoClock clock = new FakeNanoClock(0);
    AtomicLong sent = new AtomicLong();
    RequestSender tenMillis =
        index -> {
          sent.incrementAndGet();
          clock.advanceMillis(10);
          return CompletableFuture.completedFuture(false);
        };

    new ClosedLoopDriver(clock, 1).run(RunLength.duration(Duration.ofMillis(95)), tenMillis, new LatencyRecorder(100));

    assertThat(sent).hasValue(10); // started at 0, 10, ..., 90 ms
  }

  @Test
  void run_severalWorkers_countErrorsByStatusCode() throws Exception {
    FakeNanoClock clock = new FakeNanoClock(0);
    RequestSender everyThirdUnavailable =
        index ->
            index % 3 == 0
                ? CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException())
                : CompletableFuture.completedFuture(false);
    LatencyRecorder latencies = new LatencyRecorder(100);

    new ClosedLoopDriver(clock, 4).run(RunLength.requests(30), everyThirdUnavailable, latencies);

    assertThat(latencies.summary(1).errorsByCode()).containsExactly(Map.entry("UNAVAILABLE", 10L));
    assertThat(latencies.summary(1).ok()).isEqualTo(20);
  }

  @Test
  void run_senderThrowing_countsTheExceptionClass() throws Exception {
    RequestSender broken =
        index -> {
          throw new IllegalStateException("no channel");
        };
    LatencyRecorder latencies = new LatencyRecorder(10);

    new ClosedLoopDriver(new FakeNanoClock(0), 1).run(RunLength.requests(2), broken, latencies);

    assertThat(latencies.summary(1).errorsByCode()).containsExactly(Map.entry("IllegalStateException", 2L));
  }
}
