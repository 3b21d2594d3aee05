package dev.recsuite.recall.cf;

import java.util.Objects;

/**
 * Hyper-parameters of {@link ImplicitAls}: implicit-feedback matrix factorisation after Hu, Koren
 * and Volinsky (2008), each row solved approximately with the conjugate-gradient method of Takács,
 * Pilászy and Tikk (2011).
 *
 * <p>The objective is {@code sum over all (u, i) of c(u,i) * (p(u,i) - x_u . y_i)^2} plus
 * {@code regularization * (|X|^2 + |Y|^2)}, where {@code p(u,i)} is 1 if user {@code u} interacted
 * with item {@code i} and 0 otherwise, and {@code c(u,i)} is 1 for unobserved pairs and {@link
 * #confidence(double)} of the number of events for observed ones (repeated events of the same pair
 * count).
 *
 * <p>Defaults ({@link #defaults()}) and why. Regularisation and alpha were chosen on MovieLens 100k
 * (every rating taken as one event, each user's last event held out, hit rate at 10 among unseen
 * items, mean of 6 seeds); the landscape is flat, so the defaults sit in the middle of the plateau
 * rather than on a noisy maximum:
 *
 * <ul>
 *   <li>{@code factors = 64}: enough for catalogues of 10^3–10^5 items while a fold-in (one 64×64
 *       Cholesky solve) stays in the tens of microseconds. 32 and 128 scored the same on 100k.
 *   <li>{@code regularization = 1}: the penalty is not scaled by a row's history length, so it only
 *       matters for rows with few events. Every λ from 0.1 to 10 scored within a point (14–15% hit
 *       rate, popularity 8.6%); 100 and more shrinks the factors and loses 15–40% of that. 1 leaves
 *       a factor of 10 of margin each way. Its useful scale grows with the number of rows, so
 *       revisit it on much larger data.
 *   <li>{@code alpha = 2} with {@link ConfidenceScaling#LINEAR}: an observed pair weighs 3 times an
 *       unobserved one. Alphas from 0.5 to 10 scored within a point, 2 and 1 at the top; 20 and 40
 *       (the paper's value) lost 1–3 points unless λ grew with them. A small alpha also keeps
 *       linear scaling tame when events repeat; use {@link ConfidenceScaling#LOG} when counts are
 *       large and bursty (clicks, plays).
 *   <li>{@code iterations = 15}, {@code cgSteps = 3}: as the paper reports, 3 warm-started CG steps
 *       per row per sweep rank as well as an exact solve (64 steps scored the same on 100k). On the
 *       1M-event planted benchmark the loss changes by under 0.1% per sweep from sweep 8 on, so 15
 *       leaves margin for harder data.
 *   <li>{@code threads}: all available processors. Rows are solved independently with the other
 *       side fixed, and every reduction sums in a fixed order, so the result does not depend on
 *       {@code threads}: same seed, same bits.
 * </ul>
 *
 * @param factors latent dimension, {@code > 0}
 * @param regularization L2 penalty λ on every user and item vector, finite and {@code > 0}
 * @param alpha confidence slope, finite and {@code >= 0} (0 makes observed and unobserved pairs
 *     weigh the same)
 * @param scaling how an observed pair's event count becomes its confidence
 * @param iterations alternating sweeps (users, then items), {@code > 0}
 * @param cgSteps conjugate-gradient steps per row per sweep, {@code > 0}
 * @param seed seed of the random initial factors
 * @param threads worker threads used by training, {@code > 0}
 */
public record AlsParameters(
    int factors,
    double regularization,
    double alpha,
    ConfidenceScaling scaling,
    int iterations,
    int cgSteps,
    long seed,
    int threads) {

  /** How the number of events {@code n} of an observed (user, item) pair becomes a confidence. */
  public enum ConfidenceScaling {
    /** {@code c = 1 + alpha * n}, as in Hu, Koren and Volinsky's first proposal. */
    LINEAR,
    /** {@code c = 1 + alpha * ln(1 + n)}, which damps heavy repeats (their second proposal). */
    LOG
  }

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException naming the first out-of-range value
   * @throws NullPointerException if {@code scaling} is null
   */
  public AlsParameters {
    Objects.requireNonNull(scaling, "scaling");
    if (factors <= 0) {
      throw new IllegalArgumentException("factors: " + factors + " (expected: > 0)");
    }
    if (!(regularization > 0) || !Double.isFinite(regularization)) {
      throw new IllegalArgumentException(
          "regularization: " + regularization + " (expected: finite and > 0)");
    }
    if (!(alpha >= 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("alpha: " + alpha + " (expected: finite and >= 0)");
    }
    if (iterations <= 0) {
      throw new IllegalArgumentException("iterations: " + iterations + " (expected: > 0)");
    }
    if (cgSteps <= 0) {
      throw new IllegalArgumentException("cgSteps: " + cgSteps + " (expected: > 0)");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
    }
  }

  /**
   * 64 factors, λ = 1, alpha = 2 (linear), 15 iterations of 3 CG steps, seed 42, one thread per
   * available processor; see the class comment for the reasons.
   */
  public static AlsParameters defaults() {
    return new AlsParameters(
        64, 1.0, 2.0, ConfidenceScaling.LINEAR, 15, 3, 42L,
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * The confidence of an observed pair with {@code events} events (or total weight).
   *
   * @throws IllegalArgumentException if {@code events} is negative or not finite
   */
  public double confidence(double events) {
    if (!(events >= 0) || !Double.isFinite(events)) {
      throw new IllegalArgumentException("events: " + events + " (expected: finite and >= 0)");
    }
    return switch (scaling) {
      case LINEAR -> 1 + alpha * events;
      case LOG -> 1 + alpha * Math.log1p(events);
    };
  }

  /** A copy with {@code factors} replaced; throws like the constructor. */
  public AlsParameters withFactors(int factors) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }

  /** A copy with {@code regularization} replaced; throws like the constructor. */
  public AlsParameters withRegularization(double regularization) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }

  /** A copy with {@code alpha} replaced; throws like the constructor. */
  public AlsParameters withAlpha(double alpha) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }

  /** A copy with {@code scaling} replaced; throws like the constructor. */
  public AlsParameters withScaling(ConfidenceScaling scaling) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }

  /** A copy with {@code iterations} replaced; throws like the constructor. */
  public AlsParameters withIterations(int iterations) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }

  /** A copy with {@code cgSteps} replaced; throws like the constructor. */
  public AlsParameters withCgSteps(int cgSteps) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }

  /** A copy with {@code seed} replaced. */
  public AlsParameters withSeed(long seed) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }

  /** A copy with {@code threads} replaced; throws like the constructor. */
  public AlsParameters withThreads(int threads) {
    return new AlsParameters(
        factors, regularization, alpha, scaling, iterations, cgSteps, seed, threads);
  }
}
