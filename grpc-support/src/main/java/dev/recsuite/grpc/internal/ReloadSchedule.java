package dev.recsuite.grpc.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reload (of credentials, tokens...) every interval on a daemon thread of its own, from
 * {@link #start()} to {@link #stop()}; nothing at all when the interval is zero. A reload that
 * throws is logged and tried again at the next interval. Thread-safe.
 */
public final class ReloadSchedule {

  private static final Logger log = LoggerFactory.getLogger(ReloadSchedule.class);

  private final String threadName;
  private final Duration interval;
  private final Runnable reload;
  private ScheduledExecutorService scheduler;

  /**
   * @param threadName the name of the thread, e.g. {@code recall-service-tls-reload}
   * @param interval how often to reload; {@link Duration#ZERO} = never
   * @param reload what to run
   */
  public ReloadSchedule(String threadName, Duration interval, Runnable reload) {
    this.threadName = Objects.requireNonNull(threadName, "threadName");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.reload = Objects.requireNonNull(reload, "reload");
  }

  /** Starts reloading every interval; nothing when the interval is zero or it already runs. */
  public synchronized void start() {
    if (interval.isZero() || scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
    long millis = Math.max(1, interval.toMillis());
    scheduler.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Stops reloading. */
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  private void reloadQuietly() {
    try {
      reload.run();
    } catch (RuntimeException e) {
      log.warn("{}: reload failed; trying again in {}", threadName, interval, e);
    }
  }
}
