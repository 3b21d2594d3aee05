package dev.recsuite.cli.internal;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} workers, each sending its next request when the previous
 * answer arrived. Latency is measured from each request's actual send time. The offered load
 * follows the server's speed, so this mode measures capacity at a concurrency, not latency at a
 * rate (use {@link OpenLoopDriver} for that).
 */
public final class ClosedLoopDriver {

  private final NanoClock clock;
  private final int concurrency;

  /**
   * @param clock the time source; {@link NanoClock#system()} outside tests
   * @param concurrency requests in flight (workers)
   * @throws IllegalArgumentException if {@code concurrency} is not positive
   */
  public ClosedLoopDriver(NanoClock clock, int concurrency) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (concurrency <= 0) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: > 0)");
    }
    this.concurrency = concurrency;
  }

  /**
   * Runs the workers until {@code length} is reached (a timed run lets requests started before the
   * end finish) and returns when every worker has stopped.
   *
   * @throws InterruptedException if the thread is interrupted while the workers run
   */
  public void run(RunLength length, RequestSender sender, LatencyRecorder latencies)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    long end = clock.nanoTime() + length.duration().toNanos();
    try (ExecutorService workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-", 0).factory())) {
      for (int w = 0; w < concurrency; w++) {
        workers.execute(
            () -> {
              while (true) {
                long index = next.getAndIncrement();
                if (length.timed() ? clock.nanoTime() - end >= 0 : index >= length.requests()) {
                  return;
                }
                long started = clock.nanoTime();
                try {
                  boolean degraded = sender.send(index).get();
                  latencies.record(clock.nanoTime() - started, degraded);
                } catch (ExecutionException | RuntimeException e) {
                  latencies.recordError(ErrorCodes.of(e));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            });
      }
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while the closed-loop workers ran");
    }
  }
}
