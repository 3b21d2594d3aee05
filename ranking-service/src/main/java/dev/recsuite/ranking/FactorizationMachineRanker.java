package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.internal.ModelChecks;
import dev.recsuite.ranking.v1.RankCandidate;
import java.util.List;
import java.util.Objects;

/**
 * A second-order factorisation machine (Rendle, 2010) over {@link RankingFeatures}: with the
 * standardised features {@code z[i] = (x[i] − mean[i]) / scale[i]}, the score is
 *
 * <pre>
 * bias + Σ_i w[i]·z[i] + Σ_{i&lt;j} ⟨v_i, v_j⟩·z[i]·z[j]
 * </pre>
 *
 * where {@code v_i} is feature i's latent vector of {@code fm_factors} entries. Every pair of
 * features thus has its own interaction weight, factorised so that it is learnt from few examples,
 * which a linear model cannot express (e.g. genre affinity that matters only for content-recall
 * candidates). The pairwise sum is computed in O(features · factors) by Rendle's identity
 * {@code Σ_{i<j} ⟨v_i, v_j⟩ z_i z_j = ½ Σ_f [(Σ_i v_{i,f} z_i)² − Σ_i v_{i,f}² z_i²]}.
 *
 * <p>Scores are on the log-odds scale when the model was trained with the logistic loss; with the
 * pairwise loss only their order within one request is meaningful. Scoring is done in double
 * precision, so finite inputs and a validated model always give a finite score. Immutable and
 * thread-safe.
 */
public final class FactorizationMachineRanker implements Ranker {

  /** The {@link RankerModel#getKind()} of this ranker. */
  public static final String KIND = "fm";

  /** The largest {@code fm_factors} accepted at load; far above what 27 features can use. */
  public static final int MAX_FACTORS = 256;

  private final RankerModel model;
  private final int factors;
  private final double bias;
  private final double[] means;
  private final double[] scales;
  private final double[] weights;
  /**
   * The latent vectors transposed to factor-major order (factors × features): each factor's sum
   * {@code Σ_i v_{i,f} z_i} is then a contiguous dot product with a register accumulator, about
   * 20% faster per candidate than accumulating all factors feature by feature in an array (measured
   * with 8 factors: about 190 instead of 240 ns per candidate, feature extraction included). Four
   * factors are summed side by side when scoring.
   */
  private final double[] vectorsByFactor;
  /** {@code |v_i|²}: the self-interaction term becomes one multiplication per feature. */
  private final double[] squaredNorms;

  private FactorizationMachineRanker(RankerModel model) {
    this.model = model;
    int n = model.getFeatureNamesCount();
    this.factors = model.getFmFactors();
    this.bias = model.getBias();
    this.means = new double[n];
    this.scales = new double[n];
    this.weights = new double[n];
    this.vectorsByFactor = new double[factors * n];
    this.squaredNorms = new double[n];
    for (int i = 0; i < n; i++) {
      means[i] = model.getFeatureMeans(i);
      scales[i] = model.getFeatureScales(i);
      weights[i] = model.getWeights(i);
      double norm = 0;
      for (int f = 0; f < factors; f++) {
        double v = model.getFmVectors(i * factors + f);
        vectorsByFactor[f * n + i] = v;
        norm += v * v;
      }
      squaredNorms[i] = norm;
    }
  }

  /**
   * Loads a stored model.
   *
   * @throws IllegalArgumentException if the kind is not {@value #KIND}; if the feature names differ
   *     from {@link RankingFeatures#names()} (the message names the first mismatch); if weights,
   *     means or scales do not have one entry per feature; if {@code fm_factors} is not in 1..{@value
   *     #MAX_FACTORS}; if {@code fm_vectors} does not have {@code fm_factors} entries per feature; if
   *     a value is not finite or a scale is not positive. The message names the first bad field.
   */
  public static FactorizationMachineRanker fromModel(RankerModel model) {
    Objects.requireNonNull(model, "model");
    ModelChecks.checkCommon(model, KIND);
    int k = model.getFmFactors();
    if (k < 1 || k > MAX_FACTORS) {
      throw new IllegalArgumentException(
          "fm_factors: %d (expected: 1..%d)".formatted(k, MAX_FACTORS));
    }
    int n = RankingFeatures.SIZE;
    if (model.getFmVectorsCount() != n * k) {
      throw new IllegalArgumentException(
          "fm_vectors: %d values (expected: %d, fm_factors %d per feature × %d features)"
              .formatted(model.getFmVectorsCount(), n * k, k, n));
    }
    for (int index = 0; index < n * k; index++) {
      float v = model.getFmVectors(index);
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "fm_vectors[%d] (%s, factor %d): %s (expected: finite)"
                .formatted(index, RankingFeatures.names().get(index / k), index % k, v));
      }
    }
    return new FactorizationMachineRanker(model);
  }

  /** The model this ranker was loaded from. */
  public RankerModel model() {
    return model;
  }

  /** The latent dimension, {@code fm_factors}. */
  public int factors() {
    return factors;
  }

  /**
   * Scores every candidate with two buffers allocated once per call (the features and their
   * standardised values): nothing per candidate beyond the protobuf reads of feature extraction. A
   * candidate without features reads its item's part of the features as prepared when the bundle
   * version loaded ({@link StaticItemFeatures}); the user's part is resolved once per call.
   *
   * <p>The user features are the same for every candidate of a request, so their share of the
   * factor sums could be computed once per request. Measured, it does not pay: it saves 3 of 27
   * terms per factor but splits the loops, and scoring 500 candidates got 6–8% slower with 8 and 16
   * factors.
   *
   * @throws NullPointerException if an argument is null
   */
  @Override
  public float[] score(UserFeatures user, List<RankCandidate> candidates, StaticItemFeatures items) {
    return score(new RequestFeatures(user, candidates, items));
  }

  /**
   * Scores every candidate sent in columns as {@link #score(UserFeatures, List,
   * StaticItemFeatures)} does: two buffers per call and nothing per candidate (the sources' part of
   * the features is written for all candidates in one pass over the columns).
   *
   * @throws IllegalArgumentException if the columns do not fit {@code items} or are inconsistent
   *     (see {@link Ranker#score(UserFeatures, CandidateColumns, StaticItemFeatures)})
   * @throws NullPointerException if an argument is null
   */
  @Override
  public float[] score(UserFeatures user, CandidateColumns columns, StaticItemFeatures items) {
    return score(new ColumnFeatures(user, columns, items));
  }

  /** The one scoring loop, whatever form the candidates came in. */
  private float[] score(CandidateBatch batch) {
    float[] scores = new float[batch.size()];
    float[] features = new float[means.length];
    double[] standardised = new double[means.length];
    for (int c = 0; c < scores.length; c++) {
      batch.extract(c, features);
      scores[c] = score(features, standardised);
    }
    return scores;
  }

  /**
   * Scores one feature vector in {@link RankingFeatures} order. Non-finite entries count as 0.
   *
   * @return the score, finite (clamped to ±{@link Float#MAX_VALUE})
   * @throws IllegalArgumentException if {@code features} does not have {@link
   *     RankingFeatures#SIZE} entries
   */
  public float score(float[] features) {
    if (features.length != means.length) {
      throw new IllegalArgumentException(
          "features: length %d (expected: %d)".formatted(features.length, means.length));
    }
    return score(features, new double[means.length]);
  }

  /** The score of {@code features}, using {@code z} as the buffer of standardised values. */
  private float score(float[] features, double[] z) {
    int n = means.length;
    double linear = bias;
    double selfInteraction = 0;
    for (int i = 0; i < n; i++) {
      float x = features[i];
      double zi = ((Float.isFinite(x) ? x : 0.0) - means[i]) / scales[i];
      z[i] = zi;
      linear += weights[i] * zi;
      selfInteraction += squaredNorms[i] * zi * zi;
    }
    // Four factors per pass, each in its own accumulator: four independent chains of additions
    // instead of one, so the CPU overlaps them. Each factor's sum still adds its terms in feature
    // order and the squares are added in factor order: the result is the same, bit for bit, as one
    // factor at a time.
    double squares = 0;
    int f = 0;
    for (int row = 0; f + 4 <= factors; f += 4, row += 4 * n) {
      double sum0 = 0;
      double sum1 = 0;
      double sum2 = 0;
      double sum3 = 0;
      for (int i = 0; i < n; i++) {
        double zi = z[i];
        sum0 += vectorsByFactor[row + i] * zi;
        sum1 += vectorsByFactor[row + n + i] * zi;
        sum2 += vectorsByFactor[row + 2 * n + i] * zi;
        sum3 += vectorsByFactor[row + 3 * n + i] * zi;
      }
      squares += sum0 * sum0;
      squares += sum1 * sum1;
      squares += sum2 * sum2;
      squares += sum3 * sum3;
    }
    for (int row = f * n; f < factors; f++, row += n) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += vectorsByFactor[row + i] * z[i];
      }
      squares += sum * sum;
    }
    double score = linear + 0.5 * (squares - selfInteraction);
    return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, score));
  }

  @Override
  public String toString() {
    return "FactorizationMachineRanker[" + means.length + " features, " + factors + " factors]";
  }
}
