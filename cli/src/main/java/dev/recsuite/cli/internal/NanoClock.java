package dev.recsuite.cli.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The monotonic time source of the load drivers, a seam so that tests can run a schedule without
 * waiting: {@link #system()} reads {@link System#nanoTime()} and parks the thread; a fake advances
 * its own time.
 */
public interface NanoClock {

  /** The current time in nanoseconds, from an arbitrary origin (like {@link System#nanoTime()}). */
  long nanoTime();

  /**
   * Returns no earlier than {@code deadlineNanos} (on this clock); at once if it has passed.
   *
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  void parkUntil(long deadlineNanos) throws InterruptedException;

  /** The JVM's monotonic clock; waits by parking the calling thread. */
  static NanoClock system() {
    return SystemNanoClock.INSTANCE;
  }

  /** The {@link System#nanoTime()} clock. */
  enum SystemNanoClock implements NanoClock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadlineNanos) throws InterruptedException {
      for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for the next send time");
        }
      }
    }
  }
}
