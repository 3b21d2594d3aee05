package dev.recsuite.recall.cf.internal;

import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.FactorModel;
import dev.recsuite.recall.cf.ProgressListener;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/** The alternating least-squares loop behind {@link dev.recsuite.recall.cf.ImplicitAls}. */
public final class AlsTrainer {

  /** Prefix of the worker threads' names. */
  public static final String THREAD_NAME_PREFIX = "als-worker-";

  /** Standard deviation of the random initial factors. */
  static final double INITIAL_STDDEV = 0.01;

  /** Rows per claimed block: enough to amortise the claim, few enough to balance heavy rows. */
  private static final int ROW_GRAIN = 64;

  private AlsTrainer() {}

  /**
   * Trains a model; see {@link dev.recsuite.recall.cf.ImplicitAls#train}.
   *
   * @param listener receives progress, or null to skip computing the loss
   */
  public static FactorModel train(
      Interactions interactions,
      int itemCount,
      AlsParameters parameters,
      ProgressListener listener) {
    long startNanos = System.nanoTime();
    if (itemCount <= 0) {
      throw new IllegalArgumentException("itemCount: " + itemCount + " (expected: > 0)");
    }
    int k = parameters.factors();
    int users = interactions.userCount();
    checkFits("users", users, k);
    checkFits("itemCount", itemCount, k);
    FeedbackMatrix byUser = FeedbackMatrix.ofUsers(interactions, itemCount, parameters);
    FeedbackMatrix byItem = byUser.transpose();

    SplittableRandom random = new SplittableRandom(parameters.seed());
    float[] x = randomFactors(users * k, random);
    float[] y = randomFactors(itemCount * k, random);
    double lambda = parameters.regularization();

    try (Workers workers = Workers.pool(THREAD_NAME_PREFIX, parameters.threads())) {
      double[] gramY = Gram.compute(y, k, workers);
      for (int iteration = 1; iteration <= parameters.iterations(); iteration++) {
        solveRows(workers, x, y, Gram.toFloatPlusDiagonal(gramY, k, lambda), byUser, parameters);
        double[] gramX = Gram.compute(x, k, workers);
        solveRows(workers, y, x, Gram.toFloatPlusDiagonal(gramX, k, lambda), byItem, parameters);
        boolean last = iteration == parameters.iterations();
        if (!last || listener != null) {
          gramY = Gram.compute(y, k, workers);
        }
        if (listener != null) {
          double loss = loss(workers, x, y, gramX, gramY, byUser, k, lambda);
          listener.onIteration(
              iteration, Duration.ofNanos(System.nanoTime() - startNanos), loss);
        }
      }
    }
    return new FactorModel(k, x, y);
  }

  private static void checkFits(String name, int rows, int k) {
    if ((long) rows * k > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "%s: %d rows of %d factors (expected: at most %d values)"
              .formatted(name, rows, k, Integer.MAX_VALUE - 8));
    }
  }

  private static float[] randomFactors(int length, SplittableRandom random) {
    float[] factors = new float[length];
    for (int i = 0; i < length; i++) {
      factors[i] = (float) (random.nextGaussian() * INITIAL_STDDEV);
    }
    return factors;
  }

  /** Updates every row of {@code x} with {@code y} fixed; rows are independent. */
  private static void solveRows(
      Workers workers,
      float[] x,
      float[] y,
      float[] gramPlusLambda,
      FeedbackMatrix matrix,
      AlsParameters parameters) {
    int k = parameters.factors();
    int[] offsets = matrix.offsets();
    int[] indices = matrix.indices();
    float[] extra = matrix.extraConfidence();
    workers.forEachBlock(
        matrix.rows(),
        ROW_GRAIN,
        () -> new ConjugateGradient(k, parameters.cgSteps(), matrix.longestRow()),
        (solver, from, to) -> {
          for (int row = from; row < to; row++) {
            int start = offsets[row];
            int end = offsets[row + 1];
            if (start == end) {
              // Nothing observed: the exact solution of (YᵀY + λI)x = 0.
              Arrays.fill(x, row * k, (row + 1) * k, 0f);
            } else {
              solver.solve(x, row * k, gramPlusLambda, y, indices, extra, start, end);
            }
          }
        });
  }

  /**
   * The objective over all pairs without visiting the unobserved ones: {@code Σ_all (x_u·y_i)² =
   * ⟨XᵀX, YᵀY⟩} (Frobenius), so only observed pairs need a correction {@code c(1 - s)² - s²}.
   */
  static double loss(
      Workers workers,
      float[] x,
      float[] y,
      double[] gramX,
      double[] gramY,
      FeedbackMatrix byUser,
      int k,
      double lambda) {
    double all = 0;
    double traces = 0;
    for (int i = 0; i < k * k; i++) {
      all += gramX[i] * gramY[i];
    }
    for (int a = 0; a < k; a++) {
      traces += gramX[a * k + a] + gramY[a * k + a];
    }
    int[] offsets = byUser.offsets();
    int[] indices = byUser.indices();
    float[] extra = byUser.extraConfidence();
    int rows = byUser.rows();
    double[] blockSums = new double[(rows + ROW_GRAIN - 1) / ROW_GRAIN];
    workers.forEachBlock(
        rows,
        ROW_GRAIN,
        () -> null,
        (unused, from, to) -> {
          double sum = 0;
          for (int u = from; u < to; u++) {
            for (int e = offsets[u]; e < offsets[u + 1]; e++) {
              double s = Vectors.dot(x, u * k, y, indices[e] * k, k);
              double c = 1.0 + extra[e];
              sum += c * (1 - s) * (1 - s) - s * s;
            }
          }
          blockSums[from / ROW_GRAIN] = sum;
        });
    double observed = 0;
    for (double blockSum : blockSums) {
      observed += blockSum; // in block order, whatever thread computed each
    }
    return all + observed + lambda * traces;
  }
}
