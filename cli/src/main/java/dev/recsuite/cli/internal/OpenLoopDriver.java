package dev.recsuite.cli.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop load: requests leave on a fixed schedule ({@link OpenLoopSchedule}) whether or not the
 * earlier ones were answered, as independent users would send them. Each latency is measured from
 * the request's intended send time, so time the request spent waiting for a late client or a
 * stalled server counts (no coordinated omission). At most {@code maxInFlight} requests are
 * outstanding; a request due while that many are in flight is not sent and counts as an error
 * ({@link LatencyRecorder#DROPPED}), which keeps an overloaded run bounded in memory and honest in
 * its error count.
 *
 * <p>One thread (the caller of {@link #dispatch}) sends; answers are recorded on the threads that
 * complete the senders' futures.
 */
public final class OpenLoopDriver {

  private final NanoClock clock;
  private final double ratePerSecond;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();
  private final LatencyRecorder scheduleLag;

  /**
   * @param clock the time source; {@link NanoClock#system()} outside tests
   * @param ratePerSecond requests per second
   * @param maxInFlight most requests outstanding at once
   * @throws IllegalArgumentException if the rate is not positive or {@code maxInFlight} is not
   *     positive
   */
  public OpenLoopDriver(NanoClock clock, double ratePerSecond, int maxInFlight) {
    this.clock = Objects.requireNonNull(clock, "clock");
    new OpenLoopSchedule(0, ratePerSecond); // validates the rate
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: > 0)");
    }
    this.ratePerSecond = ratePerSecond;
    this.maxInFlight = maxInFlight;
    this.scheduleLag = new LatencyRecorder(1 << 24);
  }

  /**
   * Sends {@code count} requests on the schedule, starting now; returns once the last one is sent
   * (or dropped). Answers may still be arriving: {@link #awaitIdle} waits for them.
   *
   * @return the schedule that was followed
   * @throws InterruptedException if the thread is interrupted; requests already sent stay in flight
   */
  public OpenLoopSchedule dispatch(long count, RequestSender sender, LatencyRecorder latencies)
      throws InterruptedException {
    OpenLoopSchedule schedule = new OpenLoopSchedule(clock.nanoTime(), ratePerSecond);
    for (long i = 0; i < count; i++) {
      long intended = schedule.intendedNanos(i);
      clock.parkUntil(intended);
      if (inFlight.get() >= maxInFlight) {
        latencies.recordError(LatencyRecorder.DROPPED);
        continue;
      }
      inFlight.incrementAndGet();
      scheduleLag.record(clock.nanoTime() - intended);
      CompletableFuture<Boolean> answer;
      try {
        answer = sender.send(i);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete(
          (degraded, failure) -> {
            long latency = clock.nanoTime() - intended;
            if (failure == null) {
              latencies.record(latency, Boolean.TRUE.equals(degraded));
            } else {
              latencies.recordError(ErrorCodes.of(failure));
            }
            if (inFlight.decrementAndGet() == 0) {
              synchronized (idle) {
                idle.notifyAll();
              }
            }
          });
    }
    return schedule;
  }

  /**
   * Waits until no request is in flight, at most {@code timeout} of real time.
   *
   * @return {@code true} if none is in flight
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      for (long left; inFlight.get() > 0; ) {
        left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idle.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /** Requests sent and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * How late the requests left against the schedule (in the summary's millisecond figures): near
   * zero when the client kept up; large values mean the client, not the server, was the bottleneck.
   */
  public LatencyRecorder.Summary scheduleLag(long wallNanos) {
    return scheduleLag.summary(wallNanos);
  }
}
