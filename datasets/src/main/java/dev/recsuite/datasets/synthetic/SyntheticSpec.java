package dev.recsuite.datasets.synthetic;

import java.util.List;

/**
 * Settings of a synthetic data set. The same spec always yields the same data set.
 *
 * @param seed seed of every random choice
 * @param users number of users, {@code >= 1}
 * @param items number of items, {@code >= 1}
 * @param genres number of genres used, the first {@code genres} of {@link #GENRE_NAMES}
 * @param meanInteractionsPerUser average interactions per user; the total is exactly {@code
 *     round(users × meanInteractionsPerUser)}
 * @param minInteractionsPerUser fewest interactions of any user; counts above it are long-tailed
 * @param latentDimensions size of the hidden taste and item vectors
 * @param startEpochSecond first possible interaction time, epoch seconds
 * @param days length of the period the interactions fall in
 */
public record SyntheticSpec(
    long seed,
    int users,
    int items,
    int genres,
    double meanInteractionsPerUser,
    int minInteractionsPerUser,
    int latentDimensions,
    long startEpochSecond,
    int days) {

  /** The genres a synthetic catalogue draws from, most common first. */
  public static final List<String> GENRE_NAMES =
      List.of(
          "Drama",
          "Comedy",
          "Action",
          "Thriller",
          "Romance",
          "Adventure",
          "Crime",
          "Sci-Fi",
          "Children",
          "Horror",
          "Fantasy",
          "Mystery",
          "Animation",
          "Documentary",
          "Musical",
          "War",
          "Western",
          "Film-Noir");

  /** Upper bound of {@code users × meanInteractionsPerUser}, to keep columns in int arrays. */
  public static final long MAX_INTERACTIONS = 200_000_000L;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the first bad setting and its value
   */
  public SyntheticSpec {
    if (users < 1) {
      throw new IllegalArgumentException("users: " + users + " (expected: >= 1)");
    }
    if (items < 1) {
      throw new IllegalArgumentException("items: " + items + " (expected: >= 1)");
    }
    if (genres < 1 || genres > GENRE_NAMES.size()) {
      throw new IllegalArgumentException(
          "genres: %d (expected: 1 to %d)".formatted(genres, GENRE_NAMES.size()));
    }
    if (!(meanInteractionsPerUser >= 1) || !Double.isFinite(meanInteractionsPerUser)) {
      throw new IllegalArgumentException(
          "meanInteractionsPerUser: " + meanInteractionsPerUser + " (expected: a number >= 1)");
    }
    if (meanInteractionsPerUser > items) {
      throw new IllegalArgumentException(
          "meanInteractionsPerUser: %s (expected: <= items, %d; a user sees an item at most once)"
              .formatted(meanInteractionsPerUser, items));
    }
    if (minInteractionsPerUser < 1 || minInteractionsPerUser > meanInteractionsPerUser) {
      throw new IllegalArgumentException(
          "minInteractionsPerUser: %d (expected: 1 to meanInteractionsPerUser, %s)"
              .formatted(minInteractionsPerUser, meanInteractionsPerUser));
    }
    if (users * meanInteractionsPerUser > MAX_INTERACTIONS) {
      throw new IllegalArgumentException(
          "users × meanInteractionsPerUser: %.0f (expected: <= %d)"
              .formatted(users * meanInteractionsPerUser, MAX_INTERACTIONS));
    }
    if (latentDimensions < 2 || latentDimensions > 256) {
      throw new IllegalArgumentException(
          "latentDimensions: " + latentDimensions + " (expected: 2 to 256)");
    }
    if (startEpochSecond < 0) {
      throw new IllegalArgumentException(
          "startEpochSecond: " + startEpochSecond + " (expected: >= 0)");
    }
    if (days < 1 || days > 36_500) {
      throw new IllegalArgumentException("days: " + days + " (expected: 1 to 36500)");
    }
  }

  /**
   * A data set shaped like MovieLens 100K: seed 42, 1,000 users, 1,700 items, all 18 genres, 100
   * interactions per user on average and at least 20, 16 latent dimensions, two years from
   * 2020-01-01.
   */
  public static SyntheticSpec defaults() {
    return new SyntheticSpec(
        42, 1_000, 1_700, GENRE_NAMES.size(), 100, 20, 16, 1_577_836_800L, 730);
  }

  /** This spec with another seed. */
  public SyntheticSpec withSeed(long newSeed) {
    return new SyntheticSpec(
        newSeed,
        users,
        items,
        genres,
        meanInteractionsPerUser,
        minInteractionsPerUser,
        latentDimensions,
        startEpochSecond,
        days);
  }

  /**
   * This spec with another size. {@code minInteractionsPerUser} is lowered to the new mean when it
   * would exceed it, so that {@code defaults().withSize(100, 200, 10)} is valid.
   *
   * @throws IllegalArgumentException if the result is invalid
   */
  public SyntheticSpec withSize(int newUsers, int newItems, double newMeanInteractionsPerUser) {
    int minimum =
        newMeanInteractionsPerUser >= minInteractionsPerUser
            ? minInteractionsPerUser
            : Math.max(1, (int) Math.floor(newMeanInteractionsPerUser));
    return new SyntheticSpec(
        seed,
        newUsers,
        newItems,
        genres,
        newMeanInteractionsPerUser,
        minimum,
        latentDimensions,
        startEpochSecond,
        days);
  }

  /**
   * This spec with another minimum of interactions per user.
   *
   * @throws IllegalArgumentException if the result is invalid
   */
  public SyntheticSpec withMinInteractionsPerUser(int newMinimum) {
    return new SyntheticSpec(
        seed,
        users,
        items,
        genres,
        meanInteractionsPerUser,
        newMinimum,
        latentDimensions,
        startEpochSecond,
        days);
  }

  /**
   * This spec with another number of genres.
   *
   * @throws IllegalArgumentException if the result is invalid
   */
  public SyntheticSpec withGenres(int newGenres) {
    return new SyntheticSpec(
        seed,
        users,
        items,
        newGenres,
        meanInteractionsPerUser,
        minInteractionsPerUser,
        latentDimensions,
        startEpochSecond,
        days);
  }

  /**
   * This spec with another number of latent dimensions.
   *
   * @throws IllegalArgumentException if the result is invalid
   */
  public SyntheticSpec withLatentDimensions(int newLatentDimensions) {
    return new SyntheticSpec(
        seed,
        users,
        items,
        genres,
        meanInteractionsPerUser,
        minInteractionsPerUser,
        newLatentDimensions,
        startEpochSecond,
        days);
  }
}
