package dev.recsuite.recall.cf.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a loop over {@code [0, n)} in blocks on a fixed pool of named platform threads (or on the
 * caller, see {@link #sequential()}). Workers claim blocks dynamically, so skewed rows (heavy
 * users) balance out; callers must make each block's result independent of which thread runs it.
 */
public final class Workers implements AutoCloseable {

  /** The body of a parallel loop: processes {@code [from, to)} with the worker's scratch. */
  @FunctionalInterface
  public interface BlockBody<S> {
    void run(S scratch, int from, int to);
  }

  private final ExecutorService pool;
  private final int threads;

  private Workers(ExecutorService pool, int threads) {
    this.pool = pool;
    this.threads = threads;
  }

  /** Runs every block on the calling thread. */
  public static Workers sequential() {
    return new Workers(null, 1);
  }

  /**
   * A pool of {@code threads} platform threads named {@code namePrefix + index}; close it to stop
   * them.
   */
  public static Workers pool(String namePrefix, int threads) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().name(namePrefix, 0).daemon(true).factory());
    return new Workers(pool, threads);
  }

  /**
   * Calls {@code body} on blocks of {@code grain} consecutive indexes covering {@code [0, n)}, each
   * worker with one scratch object from {@code scratch}, and returns when all are done.
   *
   * @throws CancellationException if the calling thread is interrupted while waiting (its
   *     interrupt flag is set again)
   * @throws RuntimeException or Error thrown by {@code body}, rethrown as is
   */
  public <S> void forEachBlock(int n, int grain, Supplier<S> scratch, BlockBody<S> body) {
    int blocks = (n + grain - 1) / grain;
    if (pool == null || blocks <= 1) {
      S s = scratch.get();
      for (int from = 0; from < n; from += grain) {
        body.run(s, from, Math.min(n, from + grain));
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          S s = scratch.get();
          for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
            if (Thread.currentThread().isInterrupted()) {
              return;
            }
            int from = b * grain;
            body.run(s, from, Math.min(n, from + grain));
          }
        };
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, blocks); t++) {
      futures.add(pool.submit(worker));
    }
    try {
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for workers");
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      switch (e.getCause()) {
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /**
   * Stops the threads, interrupting any block still running after a failure, and waits for them to
   * end; idempotent.
   */
  @Override
  public void close() {
    if (pool == null) {
      return;
    }
    pool.shutdownNow();
    try {
      // Blocks are short and check the interrupt flag, so this returns almost at once.
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
