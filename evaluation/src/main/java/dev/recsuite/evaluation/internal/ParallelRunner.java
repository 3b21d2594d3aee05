package dev.recsuite.evaluation.internal;

import dev.recsuite.evaluation.TestCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one piece of work per test case on virtual threads, at most {@code concurrency} at a time,
 * logging progress (cases done, total, rate) every {@code progressInterval}. The first failure
 * stops the remaining cases and is rethrown.
 */
public final class ParallelRunner {

  private static final Logger log = LoggerFactory.getLogger(ParallelRunner.class);

  private final Duration progressInterval;

  public ParallelRunner(Duration progressInterval) {
    this.progressInterval = progressInterval;
  }

  /**
   * Applies {@code work} to every case.
   *
   * @return the results in case order
   * @throws RuntimeException the first failure of {@code work}
   * @throws InterruptedException if interrupted while waiting; the running work is cancelled
   */
  public <T> List<T> run(String label, List<TestCase> cases, int concurrency, Function<TestCase, T> work)
      throws InterruptedException {
    Object[] results = new Object[cases.size()];
    AtomicInteger done = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Semaphore permits = new Semaphore(Math.max(1, concurrency));
    long started = System.nanoTime();
    long[] lastReport = {started};
    ExecutorService executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("evaluate-", 0).factory());
    try {
      for (int i = 0; i < cases.size() && failure.get() == null; i++) {
        while (!permits.tryAcquire(progressInterval.toMillis(), TimeUnit.MILLISECONDS)) {
          report(label, done.get(), cases.size(), started, lastReport);
        }
        int index = i;
        executor.execute(
            () -> {
              try {
                if (failure.get() == null) {
                  results[index] = work.apply(cases.get(index));
                }
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              } finally {
                done.incrementAndGet();
                permits.release();
              }
            });
        report(label, done.get(), cases.size(), started, lastReport);
      }
      executor.shutdown();
      while (!executor.awaitTermination(progressInterval.toMillis(), TimeUnit.MILLISECONDS)) {
        report(label, done.get(), cases.size(), started, lastReport);
      }
    } finally {
      executor.shutdownNow();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    log.info(
        "{}: {} users in {} s ({} users/s)",
        label, cases.size(), fmt(seconds), fmt(cases.size() / Math.max(seconds, 1e-9)));
    @SuppressWarnings("unchecked")
    List<T> list = (List<T>) new ArrayList<>(Arrays.asList(results));
    return list;
  }

  private void report(String label, int done, int total, long started, long[] lastReport) {
    long now = System.nanoTime();
    if (now - lastReport[0] < progressInterval.toNanos()) {
      return;
    }
    lastReport[0] = now;
    double seconds = (now - started) / 1e9;
    log.info("{}: {}/{} users ({} users/s)", label, done, total, fmt(done / Math.max(seconds, 1e-9)));
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
