package dev.recsuite.recall.cf;

import java.time.Duration;

/**
 * Receives {@link ImplicitAls} training progress, once per iteration, on the thread that called
 * {@code train}. An exception thrown here aborts training and propagates to the caller.
 */
@FunctionalInterface
public interface ProgressListener {

  /**
   * Called after iteration {@code iteration} has updated users and then items.
   *
   * @param iteration the iteration just finished, in {@code [1, iterations]}
   * @param elapsed time since {@code train} was called, index building included
   * @param loss the training objective (see {@link AlsParameters}) of the current factors: over
   *     all user-item pairs, unobserved ones included, plus the penalty
   */
  void onIteration(int iteration, Duration elapsed, double loss);
}
