package dev.recsuite.recall.cf;

import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.internal.AlsTrainer;
import dev.recsuite.recall.cf.internal.Gram;
import dev.recsuite.recall.cf.internal.Workers;
import java.util.Objects;

/**
 * Trains user and item factors from implicit feedback: alternating least squares on the
 * confidence-weighted objective of Hu, Koren and Volinsky (2008), see {@link AlsParameters}, with
 * each row's least-squares problem solved approximately by a few conjugate-gradient steps warm
 * started from the row's previous value (Takács, Pilászy and Tikk 2011). A step costs {@code O(k² +
 * n·k)} for a row with n observed entries; the k×k matrix of a row is never formed.
 *
 * <pre>{@code
 * FactorModel model = ImplicitAls.train(dataset.interactions(), dataset.items().size(),
 *     AlsParameters.defaults(), (iteration, elapsed, loss) -> log.info(...));
 * UserFolder folder = UserFolder.of(model, AlsParameters.defaults());
 * float[] visitor = folder.foldIn(recentItems);
 * }</pre>
 *
 * <p>Every event of {@code interactions} counts as one unit of feedback for its (user, item) pair;
 * ratings and timestamps are ignored. Training is deterministic: the same interactions and
 * parameters give the same factors, bit for bit, with any number of threads, because each row is
 * solved independently from values fixed before the sweep and every sum is taken in a fixed order.
 */
public final class ImplicitAls {

  private ImplicitAls() {}

  /**
   * Trains without reporting progress (and without computing the loss). See {@link
   * #train(Interactions, int, AlsParameters, ProgressListener)}.
   */
  public static FactorModel train(
      Interactions interactions, int itemCount, AlsParameters parameters) {
    Objects.requireNonNull(interactions, "interactions");
    Objects.requireNonNull(parameters, "parameters");
    return AlsTrainer.train(interactions, itemCount, parameters, null);
  }

  /**
   * Trains factors for {@code interactions.userCount()} users and {@code itemCount} items on a pool
   * of {@code parameters.threads()} platform threads named {@code als-worker-N}, stopped before
   * returning. Users or items without events get zero vectors.
   *
   * @param progress called on this thread after each iteration, with the objective's value
   * @throws IllegalArgumentException if {@code itemCount <= 0}, an item id is not in {@code [0,
   *     itemCount)}, or the factor arrays would exceed the largest Java array
   * @throws java.util.concurrent.CancellationException if this thread is interrupted (its interrupt
   *     flag is set again)
   * @throws NullPointerException if an argument is null
   */
  public static FactorModel train(
      Interactions interactions,
      int itemCount,
      AlsParameters parameters,
      ProgressListener progress) {
    Objects.requireNonNull(interactions, "interactions");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(progress, "progress");
    return AlsTrainer.train(interactions, itemCount, parameters, progress);
  }

  /**
   * The Gram matrix {@code VᵀV} of row-major {@code rows × factors} factors (item factors Y, say),
   * as a full symmetric {@code factors × factors} row-major array of doubles. Training and {@link
   * UserFolder} use this same computation.
   *
   * @throws IllegalArgumentException if {@code factors <= 0} or {@code v.length} is not a multiple
   *     of it
   */
  public static double[] gram(float[] v, int factors) {
    Objects.requireNonNull(v, "v");
    return Gram.compute(v, factors, Workers.sequential());
  }
}
