package dev.recsuite.trainer;

import dev.recsuite.core.features.FeatureTablesBuilder;
import dev.recsuite.recall.RecallSettings;
import dev.recsuite.recall.cf.AlsParameters;
import java.util.Objects;

/**
 * Everything the {@link TrainingPipeline} can be tuned with.
 *
 * @param minUserInteractions users need this many interactions to have their latest held out
 * @param recentWindow recent items kept per user in the feature tables
 * @param als collaborative-filtering hyper-parameters
 * @param coOccurrenceNeighbours most item-to-item neighbours kept per item
 * @param recall recall quotas used when generating ranker training candidates
 * @param rankerCandidates candidates recalled per training user (as the gateway asks at serving)
 * @param rankerQueryShare share of ranker training requests that carry a query drawn from the
 *     user's next item, so that the ranker learns to weigh the QUERY source
 * @param rankerUsers most users whose validation item trains the ranker
 * @param rankerNegatives negatives sampled from each user's recalled candidates
 * @param rankerHoldoutShare share of validation users kept out of ranker training to measure it
 * @param ranker which ranking model to fit, with its parameters
 * @param seed seed of every sampling step
 * @param tune whether to choose the ALS hyper-parameters on the validation split first
 */
public record TrainerSettings(
    int minUserInteractions,
    int recentWindow,
    AlsParameters als,
    int coOccurrenceNeighbours,
    RecallSettings recall,
    int rankerCandidates,
    double rankerQueryShare,
    int rankerUsers,
    int rankerNegatives,
    double rankerHoldoutShare,
    RankerSettings ranker,
    long seed,
    boolean tune) {

  /**
   * @throws IllegalArgumentException naming the first invalid value
   */
  public TrainerSettings {
    Objects.requireNonNull(als, "als");
    Objects.requireNonNull(recall, "recall");
    Objects.requireNonNull(ranker, "ranker");
    if (minUserInteractions < 3) {
      // One held out for the test split and one for ranker validation, one left to learn from.
      throw new IllegalArgumentException(
          "minUserInteractions: " + minUserInteractions + " (expected: >= 3)");
    }
    if (coOccurrenceNeighbours < 1) {
      throw new IllegalArgumentException(
          "coOccurrenceNeighbours: " + coOccurrenceNeighbours + " (expected: >= 1)");
    }
    if (recentWindow < 1) {
      throw new IllegalArgumentException("recentWindow: " + recentWindow + " (expected: >= 1)");
    }
    if (rankerCandidates < 10 || rankerCandidates > 2_000) {
      throw new IllegalArgumentException(
          "rankerCandidates: " + rankerCandidates + " (expected: 10..2000)");
    }
    if (!(rankerQueryShare >= 0 && rankerQueryShare <= 1)) {
      throw new IllegalArgumentException(
          "rankerQueryShare: " + rankerQueryShare + " (expected: in [0, 1])");
    }
    if (rankerUsers < 1) {
      throw new IllegalArgumentException("rankerUsers: " + rankerUsers + " (expected: >= 1)");
    }
    if (rankerNegatives < 1) {
      throw new IllegalArgumentException("rankerNegatives: " + rankerNegatives + " (expected: >= 1)");
    }
    if (!(rankerHoldoutShare >= 0 && rankerHoldoutShare < 1)) {
      throw new IllegalArgumentException(
          "rankerHoldoutShare: " + rankerHoldoutShare + " (expected: in [0, 1))");
    }
  }

  /** Defaults sized for data sets like MovieLens 100K–1M. */
  public static TrainerSettings defaults() {
    return new TrainerSettings(
        3,
        FeatureTablesBuilder.DEFAULT_RECENT_WINDOW,
        AlsParameters.defaults(),
        50,
        RecallSettings.defaults(),
        500,
        0.3,
        5_000,
        20,
        0.2,
        RankerSettings.defaults(),
        42,
        false);
  }

  /** These settings with other ALS parameters. */
  public TrainerSettings withAls(AlsParameters newAls) {
    return new TrainerSettings(
        minUserInteractions, recentWindow, newAls, coOccurrenceNeighbours, recall, rankerCandidates, rankerQueryShare, rankerUsers,
        rankerNegatives, rankerHoldoutShare, ranker, seed, tune);
  }

  /** These settings with another ranking model. */
  public TrainerSettings withRanker(RankerSettings newRanker) {
    return new TrainerSettings(
        minUserInteractions, recentWindow, als, coOccurrenceNeighbours, recall, rankerCandidates,
        rankerQueryShare, rankerUsers, rankerNegatives, rankerHoldoutShare, newRanker, seed, tune);
  }

  /** These settings with hyper-parameter tuning on or off. */
  public TrainerSettings withTune(boolean newTune) {
    return new TrainerSettings(
        minUserInteractions, recentWindow, als, coOccurrenceNeighbours, recall, rankerCandidates, rankerQueryShare, rankerUsers,
        rankerNegatives, rankerHoldoutShare, ranker, seed, newTune);
  }
}
