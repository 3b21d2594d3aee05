package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.ranking.internal.Cholesky;
import dev.recsuite.ranking.internal.Standardisation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the logistic-regression model of {@link LinearRanker} to a {@link TrainingSet}.
 *
 * <p>Features are standardised first (mean 0, standard deviation 1 under the example weights; a
 * constant feature keeps scale 1), and the means and scales are stored in the model so that
 * serving applies the same transform. The objective is the weighted mean log loss plus {@code
 * (l2 / 2) · |w|²} over the standardised weights (the bias is not penalised). It is minimised by
 * Newton's method (iteratively reweighted least squares) with a backtracking line search: with
 * about 30 features the Hessian is tiny, each iteration is one pass over the examples, and the
 * optimum is reached in a handful of iterations to full precision. The computation is sequential
 * in a fixed order, so the same examples and parameters give the same model, bit for bit.
 *
 * <p>Each iteration's loss is logged at INFO by this class's logger.
 */
public final class LogisticRankerTrainer {

  private static final Logger log = LoggerFactory.getLogger(LogisticRankerTrainer.class);

  /** Armijo constant of the line search: a step must achieve this share of the predicted decrease. */
  private static final double SUFFICIENT_DECREASE = 1e-4;
  /** The line search gives up below this step length; the loss is then flat to working precision. */
  private static final double MIN_STEP = 1e-10;
  /** Keeps the bias row of the Hessian positive definite when every prediction saturates. */
  private static final double BIAS_RIDGE = 1e-12;

  /**
   * Hyper-parameters.
   *
   * @param l2 L2 penalty on the standardised weights, relative to the mean log loss; finite and
   *     {@code > 0}. It also keeps Newton's method well posed when features are collinear (e.g.
   *     {@code source.count} is the sum of the {@code present} flags) or constant.
   * @param maxIterations Newton iterations at most, {@code > 0}
   * @param tolerance stop when the loss decrease Newton predicts (half the Newton decrement) falls
   *     below this; finite and {@code >= 0}
   */
  public record Parameters(double l2, int maxIterations, double tolerance) {

    /** Default {@link #l2()}: weak enough not to bias a model fitted on 10^4+ examples. */
    public static final double DEFAULT_L2 = 1e-3;
    /** Default {@link #maxIterations()}: Newton's method typically converges in under 10. */
    public static final int DEFAULT_MAX_ITERATIONS = 50;
    /** Default {@link #tolerance()}. */
    public static final double DEFAULT_TOLERANCE = 1e-10;

    /**
     * @throws IllegalArgumentException naming the first value out of range
     */
    public Parameters {
      if (!Double.isFinite(l2) || l2 <= 0) {
        throw new IllegalArgumentException("l2: " + l2 + " (expected: finite and > 0)");
      }
      if (maxIterations <= 0) {
        throw new IllegalArgumentException("maxIterations: " + maxIterations + " (expected: > 0)");
      }
      if (!Double.isFinite(tolerance) || tolerance < 0) {
        throw new IllegalArgumentException("tolerance: " + tolerance + " (expected: finite and >= 0)");
      }
    }

    /** The defaults: {@value #DEFAULT_L2}, {@value #DEFAULT_MAX_ITERATIONS}, {@value #DEFAULT_TOLERANCE}. */
    public static Parameters defaults() {
      return new Parameters(DEFAULT_L2, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE);
    }

    /**
     * A copy with another {@link #l2()}.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Parameters withL2(double value) {
      return new Parameters(value, maxIterations, tolerance);
    }

    /**
     * A copy with another {@link #maxIterations()}.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Parameters withMaxIterations(int value) {
      return new Parameters(l2, value, tolerance);
    }
  }

  /**
   * The outcome of a fit.
   *
   * @param model the fitted model, loadable by {@link LinearRanker#fromModel}
   * @param losses the penalised loss at the start and after each iteration; non-increasing
   * @param iterations Newton steps taken
   * @param converged whether the tolerance was reached before {@code maxIterations}
   */
  public record Result(RankerModel model, List<Double> losses, int iterations, boolean converged) {

    public Result {
      Objects.requireNonNull(model, "model");
      losses = List.copyOf(losses);
    }
  }

  private final Parameters parameters;

  /** A trainer with the given hyper-parameters. */
  public LogisticRankerTrainer(Parameters parameters) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
  }

  /** The hyper-parameters. */
  public Parameters parameters() {
    return parameters;
  }

  /**
   * Fits a model and returns it; see {@link #fit} for the details.
   *
   * @throws IllegalArgumentException if {@code examples} lacks positive or negative examples
   */
  public RankerModel train(TrainingSet examples) {
    return fit(examples).model();
  }

  /**
   * Fits a model to {@code examples} and reports the loss of every iteration. The model's feature
   * names are the set's.
   *
   * @throws IllegalArgumentException if {@code examples} lacks positive or negative examples (the
   *     bias would diverge)
   */
  public Result fit(TrainingSet examples) {
    Objects.requireNonNull(examples, "examples");
    int n = examples.size();
    int negatives = n - examples.positives();
    if (examples.positives() == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "examples: %d positive and %d negative (expected: at least one of each)"
              .formatted(examples.positives(), negatives));
    }
    int d = examples.featureCount();
    Standardisation standard = Standardisation.of(examples);
    log.info(
        "logistic ranker: fitting {} examples ({} positive) over {} features, l2 {}",
        n, examples.positives(), d, parameters.l2());

    // beta[0 .. d) are the weights of the standardised features, beta[d] the bias. Starting from
    // the base rate's log-odds saves an iteration or two.
    double[] beta = new double[d + 1];
    beta[d] = Math.log(standard.positiveWeight() / (standard.totalWeight() - standard.positiveWeight()));
    double[] row = new double[d + 1];
    double loss = objective(examples, standard, beta, row);
    List<Double> losses = new ArrayList<>();
    losses.add(loss);
    log.info("logistic ranker iteration 0: loss {}", loss);

    boolean converged = false;
    int iteration = 0;
    while (iteration < parameters.maxIterations()) {
      double[] gradient = new double[d + 1];
      double[][] hessian = new double[d + 1][d + 1];
      accumulate(examples, standard, beta, row, gradient, hessian);
      double[] delta = Cholesky.solve(hessian, gradient);
      double decrement = dot(gradient, delta);
      if (decrement / 2 <= parameters.tolerance()) {
        converged = true;
        break;
      }
      double step = 1;
      double[] candidate = new double[d + 1];
      double candidateLoss;
      while (true) {
        for (int j = 0; j <= d; j++) {
          candidate[j] = beta[j] - step * delta[j];
        }
        candidateLoss = objective(examples, standard, candidate, row);
        if (candidateLoss <= loss - SUFFICIENT_DECREASE * step * decrement) {
          break;
        }
        step /= 2;
        if (step < MIN_STEP) {
          break;
        }
      }
      if (step < MIN_STEP) {
        // No descent left that double precision can see: the optimum, for practical purposes.
        converged = true;
        break;
      }
      iteration++;
      beta = candidate;
      loss = candidateLoss;
      losses.add(loss);
      log.info(
          "logistic ranker iteration {}: loss {} (step {}, newton decrement {})",
          iteration, loss, step, decrement);
    }
    if (!converged) {
      log.warn(
          "logistic ranker: stopped after maxIterations {} before reaching tolerance {}",
          parameters.maxIterations(), parameters.tolerance());
    }
    return new Result(toModel(examples, standard, beta), losses, iteration, converged);
  }

  /** The penalised mean log loss at {@code beta}. */
  private double objective(TrainingSet examples, Standardisation standard, double[] beta, double[] row) {
    int d = examples.featureCount();
    double sum = 0;
    for (int i = 0, n = examples.size(); i < n; i++) {
      standard.row(examples, i, row);
      double margin = dot(beta, row);
      sum += examples.weight(i) * softplus(examples.positive(i) ? -margin : margin);
    }
    double penalty = 0;
    for (int j = 0; j < d; j++) {
      penalty += beta[j] * beta[j];
    }
    return sum / standard.totalWeight() + parameters.l2() / 2 * penalty;
  }

  /** Gradient and (lower triangle of the) Hessian of the objective at {@code beta}. */
  private void accumulate(
      TrainingSet examples,
      Standardisation standard,
      double[] beta,
      double[] row,
      double[] gradient,
      double[][] hessian) {
    int d = examples.featureCount();
    for (int i = 0, n = examples.size(); i < n; i++) {
      standard.row(examples, i, row);
      double p = sigmoid(dot(beta, row));
      double weight = examples.weight(i);
      double residual = weight * (p - (examples.positive(i) ? 1 : 0));
      double curvature = weight * p * (1 - p);
      for (int j = 0; j <= d; j++) {
        gradient[j] += residual * row[j];
        double scaled = curvature * row[j];
        double[] hessianRow = hessian[j];
        for (int k = 0; k <= j; k++) {
          hessianRow[k] += scaled * row[k];
        }
      }
    }
    double total = standard.totalWeight();
    for (int j = 0; j <= d; j++) {
      gradient[j] /= total;
      for (int k = 0; k <= j; k++) {
        hessian[j][k] /= total;
      }
    }
    for (int j = 0; j < d; j++) {
      gradient[j] += parameters.l2() * beta[j];
      hessian[j][j] += parameters.l2();
    }
    hessian[d][d] += BIAS_RIDGE;
  }

  private static RankerModel toModel(TrainingSet examples, Standardisation standard, double[] beta) {
    int d = examples.featureCount();
    RankerModel.Builder model =
        RankerModel.newBuilder()
            .setKind(LinearRanker.KIND)
            .addAllFeatureNames(examples.featureNames())
            .setBias((float) beta[d]);
    for (int j = 0; j < d; j++) {
      model.addWeights((float) beta[j]);
      model.addFeatureMeans((float) standard.mean(j));
      model.addFeatureScales((float) standard.scale(j));
    }
    return model.build();
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += a[j] * b[j];
    }
    return sum;
  }

  /** {@code ln(1 + e^u)} without overflow. */
  private static double softplus(double u) {
    return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
  }

  private static double sigmoid(double t) {
    if (t >= 0) {
      return 1 / (1 + Math.exp(-t));
    }
    double e = Math.exp(t);
    return e / (1 + e);
  }
}
