package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.ranking.internal.Standardisation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the second-order factorisation machine of {@link FactorizationMachineRanker} to a {@link
 * TrainingSet}.
 *
 * <p>Features are standardised exactly as {@link LogisticRankerTrainer} does (weighted mean and
 * standard deviation; a constant feature keeps scale 1 and gets a zero weight and latent vector),
 * and the means and scales are stored in the model. The bias {@code w0}, weights {@code w} and latent
 * vectors {@code V} are learnt by stochastic gradient descent with AdaGrad step sizes, minimising the
 * weighted mean loss plus {@code l2Weights/2 · |w|² + l2Factors/2 · |V|²}, with one of two losses:
 *
 * <ul>
 *   <li>{@link Loss#LOGISTIC}: the log loss of each example, as the logistic model; scores are
 *       log-odds;
 *   <li>{@link Loss#PAIRWISE}: Bayesian personalised ranking, {@code −ln σ(f(pos) − f(neg))} over
 *       every pair of a positive and a negative example of the same {@linkplain TrainingSet#group
 *       group}; scores only order candidates within a request (the bias is not learnt).
 * </ul>
 *
 * <p>Latent vectors start from {@code N(0, initStddev²)}, the weights from zero and the bias from
 * the base rate's log-odds. Each epoch visits the training examples (or pairs) once in a freshly
 * shuffled order. A share of the groups ({@code validationShare}, whole groups so that a user's
 * candidates are never on both sides) is held out: after each epoch the held-out loss is measured,
 * and training stops when it has not improved for {@code patience} epochs; the model of the best
 * epoch is returned. If holding out would leave the training part without both labels (or without
 * pairs), or the held-out part empty, everything is trained on for {@code maxEpochs} epochs (logged
 * at WARN). Every random choice (held-out groups, initial vectors, order) comes from {@code seed},
 * and the computation is sequential, so the same examples and parameters give the same model, bit
 * for bit.
 *
 * <p>Example weights count as in {@link LogisticRankerTrainer} (a weight of 2 counts like the
 * example added twice); a pair weighs the product of its two examples' weights. A group with {@code
 * P} positives and {@code N} negatives gives {@code P·N} pairs per epoch.
 *
 * <p>Each epoch's training objective and held-out loss are logged at INFO by this class's logger.
 *
 * <pre>{@code
 * TrainingSet examples = TrainingSet.forRankingFeatures();
 * // examples.add(x, positive, 1f, requestNumber) for each candidate of each request
 * FactorizationMachineTrainer.Result fit =
 *     new FactorizationMachineTrainer(FactorizationMachineTrainer.Parameters.defaults()).fit(examples);
 * RankerModel model = fit.model();   // kind "fm", for FactorizationMachineRanker / Ranker.fromModel
 * }</pre>
 */
public final class FactorizationMachineTrainer {

  private static final Logger log = LoggerFactory.getLogger(FactorizationMachineTrainer.class);

  /** Keeps AdaGrad's first steps finite; far below any squared gradient that matters. */
  private static final double ADAGRAD_EPSILON = 1e-8;

  /** The loss minimised. */
  public enum Loss {
    /** Log loss per example; scores are log-odds. */
    LOGISTIC,
    /**
     * BPR over the (positive, negative) pairs of each group; needs examples added with a group.
     * Scores are comparable within one request only.
     */
    PAIRWISE
  }

  /**
   * Hyper-parameters.
   *
   * @param loss the loss minimised
   * @param factors latent dimension {@code k}, in 1..{@value FactorizationMachineRanker#MAX_FACTORS}
   * @param learningRate AdaGrad's base step size, finite and {@code > 0}
   * @param l2Weights L2 penalty on the linear weights (not the bias), finite and {@code >= 0}
   * @param l2Factors L2 penalty on the latent vectors, finite and {@code >= 0}
   * @param initStddev standard deviation of the initial latent vectors, finite and {@code > 0}
   * @param maxEpochs passes over the training examples at most, {@code > 0}
   * @param patience stop after this many epochs without a better held-out loss, {@code > 0}
   * @param validationShare share of the groups held out for early stopping, in [0, 0.5]; 0 trains
   *     on everything for {@code maxEpochs} epochs
   * @param seed seed of the held-out choice, the initial vectors and the shuffles
   */
  public record Parameters(
      Loss loss,
      int factors,
      double learningRate,
      double l2Weights,
      double l2Factors,
      double initStddev,
      int maxEpochs,
      int patience,
      double validationShare,
      long seed) {

    /**
     * Default {@link #loss()}: on MovieLens 100K the logistic loss ranked better than the pairwise
     * one in nearly every configuration tried (NDCG@10 0.1225 against 0.1138 with the defaults).
     */
    public static final Loss DEFAULT_LOSS = Loss.LOGISTIC;
    /**
     * Default {@link #factors()}: 2 to 32 ranked alike on MovieLens 100K; 8 leaves room for larger
     * data sets at little serving cost.
     */
    public static final int DEFAULT_FACTORS = 8;
    /** Default {@link #learningRate()}: 0.02 to 0.1 ranked alike; 0.2 was worse. */
    public static final double DEFAULT_LEARNING_RATE = 0.05;
    /** Default {@link #l2Weights()}: 1e-4 and 1e-3 ranked alike; 1e-2 was worse. */
    public static final double DEFAULT_L2_WEIGHTS = 1e-4;
    /**
     * Default {@link #l2Factors()}, the setting that matters: with 1e-3 the interactions overfit and
     * ranked below the logistic model; 5e-3 and 2e-2 were slightly worse than 1e-2.
     */
    public static final double DEFAULT_L2_FACTORS = 1e-2;
    /** Default {@link #initStddev()}: 0.01 to 0.1 ranked alike. */
    public static final double DEFAULT_INIT_STDDEV = 0.05;
    /**
     * Default {@link #maxEpochs()}: a bound; early stopping ended the MovieLens 100K fits after 9–28
     * epochs.
     */
    public static final int DEFAULT_MAX_EPOCHS = 50;
    /**
     * Default {@link #patience()}: the held-out loss of a small held-out share is noisy; 5 ranked
     * slightly better than 2 or 3.
     */
    public static final int DEFAULT_PATIENCE = 5;
    /** Default {@link #validationShare()}. */
    public static final double DEFAULT_VALIDATION_SHARE = 0.1;
    /** Default {@link #seed()}. */
    public static final long DEFAULT_SEED = 42;

    /**
     * @throws NullPointerException if {@code loss} is null
     * @throws IllegalArgumentException naming the first value out of range
     */
    public Parameters {
      Objects.requireNonNull(loss, "loss");
      if (factors < 1 || factors > FactorizationMachineRanker.MAX_FACTORS) {
        throw new IllegalArgumentException(
            "factors: %d (expected: 1..%d)".formatted(factors, FactorizationMachineRanker.MAX_FACTORS));
      }
      if (!Double.isFinite(learningRate) || learningRate <= 0) {
        throw new IllegalArgumentException("learningRate: " + learningRate + " (expected: finite and > 0)");
      }
      if (!Double.isFinite(l2Weights) || l2Weights < 0) {
        throw new IllegalArgumentException("l2Weights: " + l2Weights + " (expected: finite and >= 0)");
      }
      if (!Double.isFinite(l2Factors) || l2Factors < 0) {
        throw new IllegalArgumentException("l2Factors: " + l2Factors + " (expected: finite and >= 0)");
      }
      if (!Double.isFinite(initStddev) || initStddev <= 0) {
        throw new IllegalArgumentException("initStddev: " + initStddev + " (expected: finite and > 0)");
      }
      if (maxEpochs <= 0) {
        throw new IllegalArgumentException("maxEpochs: " + maxEpochs + " (expected: > 0)");
      }
      if (patience <= 0) {
        throw new IllegalArgumentException("patience: " + patience + " (expected: > 0)");
      }
      if (!(validationShare >= 0 && validationShare <= 0.5)) {
        throw new IllegalArgumentException(
            "validationShare: " + validationShare + " (expected: in [0, 0.5])");
      }
    }

    /**
     * The defaults (the {@code DEFAULT_*} constants), chosen by 5-fold validation NDCG@10 on
     * MovieLens 100K (see the module README): logistic loss, 8 factors, learning rate 0.05, L2 1e-4
     * on the weights and 1e-2 on the vectors, initial vectors N(0, 0.05²), at most 50 epochs,
     * patience 5, 10% of the groups held out, seed 42.
     */
    public static Parameters defaults() {
      return new Parameters(
          DEFAULT_LOSS,
          DEFAULT_FACTORS,
          DEFAULT_LEARNING_RATE,
          DEFAULT_L2_WEIGHTS,
          DEFAULT_L2_FACTORS,
          DEFAULT_INIT_STDDEV,
          DEFAULT_MAX_EPOCHS,
          DEFAULT_PATIENCE,
          DEFAULT_VALIDATION_SHARE,
          DEFAULT_SEED);
    }

    /** A copy with another {@link #loss()}. */
    public Parameters withLoss(Loss value) {
      return new Parameters(
          value, factors, learningRate, l2Weights, l2Factors, initStddev, maxEpochs, patience,
          validationShare, seed);
    }

    /**
     * A copy with another {@link #factors()}.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Parameters withFactors(int value) {
      return new Parameters(
          loss, value, learningRate, l2Weights, l2Factors, initStddev, maxEpochs, patience,
          validationShare, seed);
    }

    /**
     * A copy with another {@link #learningRate()}.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Parameters withLearningRate(double value) {
      return new Parameters(
          loss, factors, value, l2Weights, l2Factors, initStddev, maxEpochs, patience,
          validationShare, seed);
    }

    /**
     * A copy with other {@link #l2Weights()} and {@link #l2Factors()}.
     *
     * @throws IllegalArgumentException if one is out of range
     */
    public Parameters withL2(double weights, double factorsL2) {
      return new Parameters(
          loss, factors, learningRate, weights, factorsL2, initStddev, maxEpochs, patience,
          validationShare, seed);
    }

    /**
     * A copy with another {@link #initStddev()}.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Parameters withInitStddev(double value) {
      return new Parameters(
          loss, factors, learningRate, l2Weights, l2Factors, value, maxEpochs, patience,
          validationShare, seed);
    }

    /**
     * A copy with other {@link #maxEpochs()} and {@link #patience()}.
     *
     * @throws IllegalArgumentException if one is out of range
     */
    public Parameters withEpochs(int max, int patienceEpochs) {
      return new Parameters(
          loss, factors, learningRate, l2Weights, l2Factors, initStddev, max, patienceEpochs,
          validationShare, seed);
    }

    /**
     * A copy with another {@link #validationShare()}.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Parameters withValidationShare(double value) {
      return new Parameters(
          loss, factors, learningRate, l2Weights, l2Factors, initStddev, maxEpochs, patience, value,
          seed);
    }

    /** A copy with another {@link #seed()}. */
    public Parameters withSeed(long value) {
      return new Parameters(
          loss, factors, learningRate, l2Weights, l2Factors, initStddev, maxEpochs, patience,
          validationShare, value);
    }
  }

  /**
   * The outcome of a fit.
   *
   * @param model the fitted model (of the best epoch), loadable by {@link
   *     FactorizationMachineRanker#fromModel}
   * @param trainingLosses the penalised objective on the training part before the first epoch and
   *     after each epoch
   * @param validationLosses the mean loss on the held-out groups, aligned with {@code
   *     trainingLosses}; empty when nothing was held out
   * @param epochs epochs run
   * @param bestEpoch the epoch whose model is returned (with nothing held out, the last)
   */
  public record Result(
      RankerModel model,
      List<Double> trainingLosses,
      List<Double> validationLosses,
      int epochs,
      int bestEpoch) {

    public Result {
      Objects.requireNonNull(model, "model");
      trainingLosses = List.copyOf(trainingLosses);
      validationLosses = List.copyOf(validationLosses);
    }
  }

  private final Parameters parameters;

  /**
   * A trainer with the given hyper-parameters.
   *
   * @throws NullPointerException if {@code parameters} is null
   */
  public FactorizationMachineTrainer(Parameters parameters) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
  }

  /** The hyper-parameters. */
  public Parameters parameters() {
    return parameters;
  }

  /**
   * Fits a model and returns it; see {@link #fit} for the details.
   *
   * @throws IllegalArgumentException as {@link #fit}
   */
  public RankerModel train(TrainingSet examples) {
    return fit(examples).model();
  }

  /**
   * Fits a model to {@code examples} and reports the losses of every epoch. The model's feature
   * names are the set's.
   *
   * @throws NullPointerException if {@code examples} is null
   * @throws IllegalArgumentException if {@code examples} lacks positive or negative examples, or,
   *     for the pairwise loss, if no group holds both a positive and a negative example
   */
  public Result fit(TrainingSet examples) {
    Objects.requireNonNull(examples, "examples");
    int negatives = examples.size() - examples.positives();
    if (examples.positives() == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "examples: %d positive and %d negative (expected: at least one of each)"
              .formatted(examples.positives(), negatives));
    }
    Problem problem = Problem.of(examples, parameters);
    log.info(
        "fm ranker: fitting {} examples ({} positive, {} groups) over {} features, {} loss, {} factors:"
            + " {} training {}, {} held-out {}",
        examples.size(), examples.positives(), problem.groupCount, problem.d, parameters.loss(),
        parameters.factors(), problem.train.size(), problem.unitName(), problem.validation.size(),
        problem.unitName());
    return new Fit(problem, parameters).run();
  }

  /**
   * The data as the optimiser sees it: standardised features in one row-major float matrix, and the
   * units of the loss (examples or pairs) split into training and held-out parts.
   */
  private static final class Problem {
    final TrainingSet examples;
    final Standardisation standard;
    final int n;
    final int d;
    /** Standardised features, row-major n × d. */
    final float[] z;
    /** Features that vary; the others keep zero weight and vector. */
    final int[] active;
    final boolean pairwise;
    final int groupCount;
    final Units train;
    final Units validation;

    private Problem(
        TrainingSet examples, Standardisation standard, float[] z, int[] active, boolean pairwise,
        int groupCount, Units train, Units validation) {
      this.examples = examples;
      this.standard = standard;
      this.n = examples.size();
      this.d = examples.featureCount();
      this.z = z;
      this.active = active;
      this.pairwise = pairwise;
      this.groupCount = groupCount;
      this.train = train;
      this.validation = validation;
    }

    String unitName() {
      return pairwise ? "pairs" : "examples";
    }

    static Problem of(TrainingSet examples, Parameters parameters) {
      int n = examples.size();
      int d = examples.featureCount();
      Standardisation standard = Standardisation.of(examples);
      float[] z = new float[n * d];
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < d; j++) {
          z[r * d + j] = (float) ((examples.feature(r, j) - standard.mean(j)) / standard.scale(j));
        }
      }
      int[] active = new int[d];
      int activeCount = 0;
      for (int j = 0; j < d; j++) {
        if (!standard.constant(j)) {
          active[activeCount++] = j;
        }
      }
      active = Arrays.copyOf(active, activeCount);

      // Dense group numbers in order of first appearance; an example without a group is its own.
      int[] groupOf = new int[n];
      Map<Integer, Integer> dense = new HashMap<>();
      int groups = 0;
      for (int r = 0; r < n; r++) {
        int group = examples.group(r);
        if (group == TrainingSet.NO_GROUP) {
          groupOf[r] = groups++;
        } else {
          Integer known = dense.putIfAbsent(group, groups);
          groupOf[r] = known != null ? known : groups++;
        }
      }
      boolean pairwise = parameters.loss() == Loss.PAIRWISE;
      boolean[] heldOut = new boolean[groups];
      int heldOutCount = (int) Math.round(groups * parameters.validationShare());
      if (heldOutCount > 0) {
        int[] order = new int[groups];
        for (int g = 0; g < groups; g++) {
          order[g] = g;
        }
        shuffle(order, new SplittableRandom(parameters.seed() ^ 0x5DEECE66DL));
        for (int g = 0; g < heldOutCount; g++) {
          heldOut[order[g]] = true;
        }
      }
      Units train = Units.of(examples, groupOf, groups, heldOut, false, pairwise);
      Units validation = Units.of(examples, groupOf, groups, heldOut, true, pairwise);
      if (pairwise && train.size() + validation.size() == 0) {
        throw new IllegalArgumentException(
            ("examples: no group holds both a positive and a negative example (expected: at least"
                    + " one for the pairwise loss; add examples with a group)"));
      }
      if (heldOutCount > 0 && (!train.usable(examples, pairwise) || validation.size() == 0)) {
        log.warn(
            "fm ranker: holding out {} of {} groups would leave nothing to {}: training on all, no"
                + " early stopping",
            heldOutCount, groups, validation.size() == 0 ? "validate on" : "train on");
        Arrays.fill(heldOut, false);
        train = Units.of(examples, groupOf, groups, heldOut, false, pairwise);
        validation = Units.of(examples, groupOf, groups, heldOut, true, pairwise);
      }
      return new Problem(examples, standard, z, active, pairwise, groups, train, validation);
    }
  }

  /**
   * The terms of the loss: examples (logistic; {@code second} is -1) or (positive, negative) pairs,
   * each with its weight relative to the mean weight of its part.
   */
  private record Units(int[] first, int[] second, double[] relativeWeight, double totalWeight) {

    int size() {
      return first.length;
    }

    boolean usable(TrainingSet examples, boolean pairwise) {
      if (pairwise) {
        return size() > 0;
      }
      boolean positive = false;
      boolean negative = false;
      for (int row : first) {
        positive |= examples.positive(row);
        negative |= !examples.positive(row);
      }
      return positive && negative;
    }

    static Units of(
        TrainingSet examples, int[] groupOf, int groups, boolean[] heldOut, boolean wantHeldOut,
        boolean pairwise) {
      int n = examples.size();
      if (!pairwise) {
        int count = 0;
        int[] rows = new int[n];
        for (int r = 0; r < n; r++) {
          if (heldOut[groupOf[r]] == wantHeldOut) {
            rows[count++] = r;
          }
        }
        rows = Arrays.copyOf(rows, count);
        double[] weights = new double[count];
        for (int u = 0; u < count; u++) {
          weights[u] = examples.weight(rows[u]);
        }
        int[] none = new int[count];
        Arrays.fill(none, -1);
        return normalised(rows, none, weights);
      }
      // Rows grouped by group (counting sort, stable), then every positive × negative in a group.
      int[] start = new int[groups + 1];
      for (int r = 0; r < n; r++) {
        start[groupOf[r] + 1]++;
      }
      for (int g = 0; g < groups; g++) {
        start[g + 1] += start[g];
      }
      int[] byGroup = new int[n];
      int[] fill = Arrays.copyOf(start, groups);
      for (int r = 0; r < n; r++) {
        byGroup[fill[groupOf[r]]++] = r;
      }
      long pairs = 0;
      for (int g = 0; g < groups; g++) {
        if (heldOut[g] != wantHeldOut) {
          continue;
        }
        long positives = 0;
        for (int at = start[g]; at < start[g + 1]; at++) {
          positives += examples.positive(byGroup[at]) ? 1 : 0;
        }
        pairs += positives * (start[g + 1] - start[g] - positives);
      }
      if (pairs > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "examples: %d (positive, negative) pairs within groups (expected: at most %d)"
                .formatted(pairs, Integer.MAX_VALUE - 8));
      }
      int[] positiveRows = new int[(int) pairs];
      int[] negativeRows = new int[(int) pairs];
      double[] weights = new double[(int) pairs];
      int u = 0;
      for (int g = 0; g < groups; g++) {
        if (heldOut[g] != wantHeldOut) {
          continue;
        }
        for (int a = start[g]; a < start[g + 1]; a++) {
          int p = byGroup[a];
          if (!examples.positive(p)) {
            continue;
          }
          for (int b = start[g]; b < start[g + 1]; b++) {
            int q = byGroup[b];
            if (examples.positive(q)) {
              continue;
            }
            positiveRows[u] = p;
            negativeRows[u] = q;
            weights[u] = (double) examples.weight(p) * examples.weight(q);
            u++;
          }
        }
      }
      return normalised(positiveRows, negativeRows, weights);
    }

    private static Units normalised(int[] first, int[] second, double[] weights) {
      double total = 0;
      for (double w : weights) {
        total += w;
      }
      double mean = weights.length == 0 ? 1 : total / weights.length;
      for (int u = 0; u < weights.length; u++) {
        weights[u] /= mean;
      }
      return new Units(first, second, weights, total);
    }
  }

  /** One optimisation run: the parameters, their AdaGrad accumulators and the epoch loop. */
  private static final class Fit {
    private final Problem problem;
    private final Parameters parameters;
    private final int d;
    private final int k;
    private final double[] weights;
    private final double[] vectors;
    private double bias;
    private final double[] weightSquares;
    private final double[] vectorSquares;
    private double biasSquares;
    /** Factor sums Σ_i v_{i,f} z_i of the positive (or only) and the negative example of a unit. */
    private final double[] sumsFirst;
    private final double[] sumsSecond;
    /** Scores of every example, refreshed for each loss evaluation. */
    private final double[] scores;

    Fit(Problem problem, Parameters parameters) {
      this.problem = problem;
      this.parameters = parameters;
      this.d = problem.d;
      this.k = parameters.factors();
      this.weights = new double[d];
      this.vectors = new double[d * k];
      this.weightSquares = new double[d];
      this.vectorSquares = new double[d * k];
      this.sumsFirst = new double[k];
      this.sumsSecond = new double[k];
      this.scores = new double[problem.n];
    }

    Result run() {
      SplittableRandom random = new SplittableRandom(parameters.seed());
      for (int j : problem.active) {
        for (int f = 0; f < k; f++) {
          vectors[j * k + f] = random.nextGaussian() * parameters.initStddev();
        }
      }
      if (!problem.pairwise) {
        bias = baseRateLogOdds();
      }
      List<Double> trainingLosses = new ArrayList<>();
      List<Double> validationLosses = new ArrayList<>();
      boolean validating = problem.validation.size() > 0;
      refreshScores();
      trainingLosses.add(meanLoss(problem.train) + penalty());
      double best = Double.POSITIVE_INFINITY;
      if (validating) {
        best = meanLoss(problem.validation);
        validationLosses.add(best);
      }
      log.info("fm ranker epoch 0: training loss {}, validation loss {}", trainingLosses.getFirst(),
          validating ? best : "n/a");
      Snapshot bestModel = new Snapshot(bias, weights.clone(), vectors.clone());
      int bestEpoch = 0;
      int[] order = new int[problem.train.size()];
      for (int u = 0; u < order.length; u++) {
        order[u] = u;
      }
      int epoch = 0;
      while (epoch < parameters.maxEpochs()) {
        epoch++;
        long started = System.nanoTime();
        shuffle(order, random);
        for (int u : order) {
          step(u);
        }
        refreshScores();
        double trainingLoss = meanLoss(problem.train) + penalty();
        trainingLosses.add(trainingLoss);
        if (!validating) {
          log.info("fm ranker epoch {}: training loss {} ({} ms)", epoch, trainingLoss,
              (System.nanoTime() - started) / 1_000_000);
          continue;
        }
        double validationLoss = meanLoss(problem.validation);
        validationLosses.add(validationLoss);
        log.info("fm ranker epoch {}: training loss {}, validation loss {} ({} ms)", epoch, trainingLoss,
            validationLoss, (System.nanoTime() - started) / 1_000_000);
        if (validationLoss < best) {
          best = validationLoss;
          bestEpoch = epoch;
          bestModel = new Snapshot(bias, weights.clone(), vectors.clone());
        } else if (epoch - bestEpoch >= parameters.patience()) {
          log.info("fm ranker: stopping after epoch {}, the best held-out loss {} was at epoch {}", epoch,
              best, bestEpoch);
          break;
        }
      }
      if (!validating) {
        bestEpoch = epoch;
        bestModel = new Snapshot(bias, weights.clone(), vectors.clone());
      }
      return new Result(toModel(bestModel), trainingLosses, validationLosses, epoch, bestEpoch);
    }

    private double baseRateLogOdds() {
      double positive = 0;
      double total = 0;
      Units train = problem.train;
      for (int u = 0; u < train.size(); u++) {
        total += train.relativeWeight()[u];
        if (problem.examples.positive(train.first()[u])) {
          positive += train.relativeWeight()[u];
        }
      }
      return Math.log(positive / (total - positive));
    }

    /** One AdaGrad step on unit {@code u} of the training part. */
    private void step(int u) {
      Units train = problem.train;
      int p = train.first()[u];
      int q = train.second()[u];
      double weight = train.relativeWeight()[u];
      float[] z = problem.z;
      double lr = parameters.learningRate();
      double l2w = parameters.l2Weights();
      double l2v = parameters.l2Factors();
      double scoreFirst = score(p, sumsFirst);
      double gradient;
      if (q < 0) {
        double y = problem.examples.positive(p) ? 1 : 0;
        gradient = weight * (sigmoid(scoreFirst) - y);
        double g = gradient;
        biasSquares += g * g;
        bias -= lr * g / (Math.sqrt(biasSquares) + ADAGRAD_EPSILON);
      } else {
        double scoreSecond = score(q, sumsSecond);
        // d/d(margin) of −ln σ(margin) is σ(margin) − 1.
        gradient = weight * (sigmoid(scoreFirst - scoreSecond) - 1);
      }
      int pOffset = p * d;
      int qOffset = q * d;
      for (int j : problem.active) {
        double zp = z[pOffset + j];
        double zq = q < 0 ? 0 : z[qOffset + j];
        double g = gradient * (zp - zq) + l2w * weights[j];
        weightSquares[j] += g * g;
        weights[j] -= lr * g / (Math.sqrt(weightSquares[j]) + ADAGRAD_EPSILON);
        int row = j * k;
        for (int f = 0; f < k; f++) {
          double v = vectors[row + f];
          double data = zp * (sumsFirst[f] - v * zp);
          if (q >= 0) {
            data -= zq * (sumsSecond[f] - v * zq);
          }
          double gv = gradient * data + l2v * v;
          vectorSquares[row + f] += gv * gv;
          vectors[row + f] = v - lr * gv / (Math.sqrt(vectorSquares[row + f]) + ADAGRAD_EPSILON);
        }
      }
    }

    /** The score of example {@code r}; leaves its factor sums in {@code sums}. */
    private double score(int r, double[] sums) {
      Arrays.fill(sums, 0);
      float[] z = problem.z;
      int offset = r * d;
      double linear = bias;
      double self = 0;
      for (int j : problem.active) {
        double zj = z[offset + j];
        linear += weights[j] * zj;
        int row = j * k;
        for (int f = 0; f < k; f++) {
          double v = vectors[row + f];
          sums[f] += v * zj;
          self += v * v * zj * zj;
        }
      }
      double squares = 0;
      for (int f = 0; f < k; f++) {
        squares += sums[f] * sums[f];
      }
      return linear + 0.5 * (squares - self);
    }

    private void refreshScores() {
      for (int r = 0; r < problem.n; r++) {
        scores[r] = score(r, sumsFirst);
      }
    }

    /** The weighted mean loss over {@code units}, from {@link #scores}. */
    private double meanLoss(Units units) {
      double sum = 0;
      double total = 0;
      for (int u = 0; u < units.size(); u++) {
        int p = units.first()[u];
        int q = units.second()[u];
        double margin;
        if (q < 0) {
          margin = problem.examples.positive(p) ? scores[p] : -scores[p];
        } else {
          margin = scores[p] - scores[q];
        }
        double w = units.relativeWeight()[u];
        sum += w * softplus(-margin);
        total += w;
      }
      return sum / total;
    }

    private double penalty() {
      double w2 = 0;
      for (double w : weights) {
        w2 += w * w;
      }
      double v2 = 0;
      for (double v : vectors) {
        v2 += v * v;
      }
      return parameters.l2Weights() / 2 * w2 + parameters.l2Factors() / 2 * v2;
    }

    private RankerModel toModel(Snapshot snapshot) {
      TrainingSet examples = problem.examples;
      RankerModel.Builder model =
          RankerModel.newBuilder()
              .setKind(FactorizationMachineRanker.KIND)
              .addAllFeatureNames(examples.featureNames())
              .setBias((float) snapshot.bias())
              .setFmFactors(k);
      for (int j = 0; j < d; j++) {
        model.addWeights((float) snapshot.weights()[j]);
        model.addFeatureMeans((float) problem.standard.mean(j));
        model.addFeatureScales((float) problem.standard.scale(j));
      }
      for (double v : snapshot.vectors()) {
        model.addFmVectors((float) v);
      }
      return model.build();
    }
  }

  private record Snapshot(double bias, double[] weights, double[] vectors) {}

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
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
