package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.internal.ModelChecks;
import dev.recsuite.ranking.v1.RankCandidate;
import java.util.List;
import java.util.Objects;

/**
 * A logistic-regression ranker over {@link RankingFeatures}: the score of a feature vector
 * {@code x} is the log-odds {@code bias + Σ weight[j] · (x[j] − mean[j]) / scale[j]}.
 *
 * <p>Scores are log-odds rather than probabilities because the logistic function saturates in
 * float precision, which would turn clearly ordered candidates into ties; the order is the same.
 * Scoring is done in double precision, so finite inputs and a validated model always give a finite
 * score. Immutable and thread-safe.
 */
public final class LinearRanker implements Ranker {

  /** The {@link RankerModel#getKind()} of this ranker. */
  public static final String KIND = "logistic";

  private final RankerModel model;
  private final double bias;
  private final double[] means;
  /** {@code weight / scale}, so that scoring needs one multiplication per feature. */
  private final double[] slopes;

  private LinearRanker(RankerModel model) {
    this.model = model;
    int n = model.getFeatureNamesCount();
    this.bias = model.getBias();
    this.means = new double[n];
    this.slopes = new double[n];
    for (int j = 0; j < n; j++) {
      means[j] = model.getFeatureMeans(j);
      slopes[j] = (double) model.getWeights(j) / model.getFeatureScales(j);
    }
  }

  /**
   * Loads a stored model.
   *
   * @throws IllegalArgumentException if the kind is not {@value #KIND}; if the feature names differ
   *     from {@link RankingFeatures#names()} (the message names the first mismatch); if weights,
   *     means or scales do not have one entry per feature; if a value is not finite or a scale is
   *     not positive
   */
  public static LinearRanker fromModel(RankerModel model) {
    Objects.requireNonNull(model, "model");
    ModelChecks.checkCommon(model, KIND);
    return new LinearRanker(model);
  }

  /** The model this ranker was loaded from. */
  public RankerModel model() {
    return model;
  }

  /**
   * Scores every candidate with one reusable feature buffer.
   *
   * @throws NullPointerException if an argument is null
   */
  @Override
  public float[] score(UserFeatures user, List<RankCandidate> candidates, StaticItemFeatures items) {
    return score(new RequestFeatures(user, candidates, items));
  }

  /**
   * Scores every candidate sent in columns with one reusable feature buffer.
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
    float[] features = new float[RankingFeatures.SIZE];
    for (int i = 0; i < scores.length; i++) {
      batch.extract(i, features);
      scores[i] = score(features);
    }
    return scores;
  }

  /**
   * Scores one feature vector in {@link RankingFeatures} order. Non-finite entries count as 0.
   *
   * @return the log-odds, finite (clamped to ±{@link Float#MAX_VALUE})
   * @throws IllegalArgumentException if {@code features} does not have {@link
   *     RankingFeatures#SIZE} entries
   */
  public float score(float[] features) {
    if (features.length != slopes.length) {
      throw new IllegalArgumentException(
          "features: length %d (expected: %d)".formatted(features.length, slopes.length));
    }
    double sum = bias;
    for (int j = 0; j < slopes.length; j++) {
      float x = features[j];
      sum += slopes[j] * ((Float.isFinite(x) ? x : 0.0) - means[j]);
    }
    return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, sum));
  }

  @Override
  public String toString() {
    return "LinearRanker[" + slopes.length + " features]";
  }
}
