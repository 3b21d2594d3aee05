package dev.recsuite.cli.internal;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to, or when a driver parks until a later time (it jumps there). */
final class FakeNanoClock implements NanoClock {

  private final AtomicLong now;

  FakeNanoClock(long startNanos) {
    this.now = new AtomicLong(startNanos);
  }

  @Override
  public long nanoTime() {
    return now.get();
  }

  @Override
  public void parkUntil(long deadlineNanos) {
    now.accumulateAndGet(deadlineNanos, Math::max);
  }

  void advanceMillis(long millis) {
    now.addAndGet(millis * 1_000_000);
  }
}
