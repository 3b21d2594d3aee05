package dev.recsuite.core.features;

import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.ItemFeatureRow;
import dev.recsuite.bundle.v1.UserFeatureRow;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import java.util.HashMap;
import java.util.Map;

/**
 * Computes the aggregate feature tables of a bundle from training interactions: per item its
 * interaction count, popularity and (shrunk) mean rating; per user activity, rating statistics,
 * genre affinity, recent items and mean item year.
 */
public final class FeatureTablesBuilder {

  /** Pseudo-count of the Bayesian-average rating: an item's mean counts as much as this many global-mean ratings. */
  public static final float RATING_PRIOR_COUNT = 10f;
  /** Default length of the recent-items window. */
  public static final int DEFAULT_RECENT_WINDOW = 20;

  private final int recentWindow;

  /**
   * @param recentWindow number of most recent items kept per user
   * @throws IllegalArgumentException if {@code recentWindow < 1}
   */
  public FeatureTablesBuilder(int recentWindow) {
    if (recentWindow < 1) {
      throw new IllegalArgumentException("recentWindow: " + recentWindow + " (expected: >= 1)");
    }
    this.recentWindow = recentWindow;
  }

  /** Computes the tables for every item and user of {@code train}. */
  public FeatureTables build(Dataset train) {
    Interactions interactions = train.interactions();
    int itemCount = train.items().size();
    int[] counts = new int[itemCount];
    double[] ratingSums = new double[itemCount];
    int[] ratingCounts = new int[itemCount];
    double globalSum = 0;
    long globalRated = 0;
    for (int i = 0; i < interactions.size(); i++) {
      int item = interactions.item(i);
      counts[item]++;
      float rating = interactions.rating(i);
      if (rating != 0f) {
        ratingSums[item] += rating;
        ratingCounts[item]++;
        globalSum += rating;
        globalRated++;
      }
    }
    float globalMean = globalRated == 0 ? 0f : (float) (globalSum / globalRated);
    int maxCount = 0;
    for (int count : counts) {
      maxCount = Math.max(maxCount, count);
    }
    double logMax = Math.log1p(maxCount);

    FeatureTables.Builder tables =
        FeatureTables.newBuilder().setGlobalMeanRating(globalMean).setRecentWindow(recentWindow);
    for (int item = 0; item < itemCount; item++) {
      float mean = ratingCounts[item] == 0 ? globalMean : (float) (ratingSums[item] / ratingCounts[item]);
      float shrunk =
          (float) ((ratingSums[item] + RATING_PRIOR_COUNT * globalMean) / (ratingCounts[item] + RATING_PRIOR_COUNT));
      tables.addItems(
          ItemFeatureRow.newBuilder()
              .setInteractionCount(counts[item])
              .setPopularity(logMax == 0 ? 0f : (float) (Math.log1p(counts[item]) / logMax))
              .setMeanRating(mean)
              .setShrunkRating(shrunk));
    }
    for (int user = 0; user < train.users().size(); user++) {
      tables.addUsers(userRow(train, user, globalMean));
    }
    return tables.build();
  }

  private UserFeatureRow userRow(Dataset train, int user, float globalMean) {
    Interactions interactions = train.interactions();
    int start = interactions.start(user);
    int end = interactions.end(user);
    UserFeatureRow.Builder row = UserFeatureRow.newBuilder().setInteractionCount(end - start);
    double sum = 0;
    double sumSquares = 0;
    int rated = 0;
    double yearSum = 0;
    int withYear = 0;
    Map<String, Integer> genreCounts = new HashMap<>();
    for (int i = start; i < end; i++) {
      float rating = interactions.rating(i);
      if (rating != 0f) {
        sum += rating;
        sumSquares += rating * rating;
        rated++;
      }
      Item item = train.items().get(interactions.item(i));
      if (item.year() > 0) {
        yearSum += item.year();
        withYear++;
      }
      for (String genre : item.genres()) {
        genreCounts.merge(genre, 1, Integer::sum);
      }
    }
    double mean = rated == 0 ? globalMean : sum / rated;
    double variance = rated < 2 ? 0 : Math.max(0, (sumSquares - rated * mean * mean) / (rated - 1));
    row.setMeanRating((float) mean)
        .setRatingStddev((float) Math.sqrt(variance))
        .setMeanItemYear(withYear == 0 ? 0f : (float) (yearSum / withYear));
    int total = end - start;
    genreCounts.forEach((genre, count) -> row.putGenreAffinity(genre, (float) count / total));
    for (int i = end - 1; i >= start && i >= end - recentWindow; i--) {
      row.addRecentItems(interactions.item(i));
    }
    return row.build();
  }
}
