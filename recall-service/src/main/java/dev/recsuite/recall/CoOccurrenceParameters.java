package dev.recsuite.recall;

/**
 * How {@link CoOccurrenceBuilder} computes item-to-item neighbours. {@link #defaults()} gives:
 *
 * <ul>
 *   <li>{@code maxNeighbours = 50}: the CO_OCCURRENCE source sums the rows of 20 seed items, so 50
 *       neighbours each offer up to 1,000 distinct candidates for a 200-candidate quota; longer
 *       rows add bundle size and little else;
 *   <li>{@code maxItemsPerUser = 200}: a user contributes pairs among their 200 most recent
 *       distinct items only. A user with n items adds n² pair counts, so the few users with
 *       thousands of items would otherwise dominate both the time and the counts; old items of a
 *       long history say little about what goes with what today. On MovieLens 100K, 100 and 200
 *       scored alike, 50 about 2.5 points higher at HR@10 (within twice the standard error) and no
 *       cap 1–2 points lower;
 *   <li>{@code shrinkage = 1}: the cosine is multiplied by {@code n / (n + 1)} for a pair seen
 *       together by n users, which halves the weight of a pair seen together once (two rare items
 *       have a cosine near 1 on that single user) and barely touches well-supported pairs. On
 *       MovieLens 100K (each user's last interaction held out, hit rate of this source alone) λ
 *       from 0 to 2 scored alike (HR@10 about 18%, HR@200 70–71%) and 5 and more lost 1–8 points;
 *       with 20 items per user the plain cosine (λ = 0) lost 4 points at HR@200 against λ = 1, so
 *       a little shrinkage is the safe side when counts are small;
 *   <li>{@code threads}: all available processors. Rows are computed independently, so the result
 *       does not depend on the number of threads.
 * </ul>
 *
 * @param maxNeighbours most neighbours kept per item, 1 to {@value #MAX_NEIGHBOURS}
 * @param maxItemsPerUser most recent distinct items of each user that form pairs, 2 to 100,000
 * @param shrinkage λ of the factor {@code n / (n + λ)} on the cosine, finite and {@code >= 0} (0
 *     gives the plain cosine)
 * @param threads worker threads, {@code > 0}
 */
public record CoOccurrenceParameters(
    int maxNeighbours, int maxItemsPerUser, double shrinkage, int threads) {

  /** The largest {@link #maxNeighbours()}. */
  public static final int MAX_NEIGHBOURS = 10_000;
  /** Default {@link #maxNeighbours()}. */
  public static final int DEFAULT_MAX_NEIGHBOURS = 50;
  /** Default {@link #maxItemsPerUser()}. */
  public static final int DEFAULT_MAX_ITEMS_PER_USER = 200;
  /** Default {@link #shrinkage()}. */
  public static final double DEFAULT_SHRINKAGE = 1.0;

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public CoOccurrenceParameters {
    if (maxNeighbours < 1 || maxNeighbours > MAX_NEIGHBOURS) {
      throw new IllegalArgumentException(
          "maxNeighbours: %d (expected: 1 to %d)".formatted(maxNeighbours, MAX_NEIGHBOURS));
    }
    if (maxItemsPerUser < 2 || maxItemsPerUser > 100_000) {
      throw new IllegalArgumentException(
          "maxItemsPerUser: %d (expected: 2 to 100000)".formatted(maxItemsPerUser));
    }
    if (!(shrinkage >= 0) || !Double.isFinite(shrinkage)) {
      throw new IllegalArgumentException("shrinkage: " + shrinkage + " (expected: finite and >= 0)");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
    }
  }

  /** 50 neighbours, 200 items per user, shrinkage 1, all processors; see the class comment. */
  public static CoOccurrenceParameters defaults() {
    return new CoOccurrenceParameters(
        DEFAULT_MAX_NEIGHBOURS,
        DEFAULT_MAX_ITEMS_PER_USER,
        DEFAULT_SHRINKAGE,
        Runtime.getRuntime().availableProcessors());
  }

  /** A copy with {@code maxNeighbours} replaced; throws like the constructor. */
  public CoOccurrenceParameters withMaxNeighbours(int maxNeighbours) {
    return new CoOccurrenceParameters(maxNeighbours, maxItemsPerUser, shrinkage, threads);
  }

  /** A copy with {@code maxItemsPerUser} replaced; throws like the constructor. */
  public CoOccurrenceParameters withMaxItemsPerUser(int maxItemsPerUser) {
    return new CoOccurrenceParameters(maxNeighbours, maxItemsPerUser, shrinkage, threads);
  }

  /** A copy with {@code shrinkage} replaced; throws like the constructor. */
  public CoOccurrenceParameters withShrinkage(double shrinkage) {
    return new CoOccurrenceParameters(maxNeighbours, maxItemsPerUser, shrinkage, threads);
  }

  /** A copy with {@code threads} replaced; throws like the constructor. */
  public CoOccurrenceParameters withThreads(int threads) {
    return new CoOccurrenceParameters(maxNeighbours, maxItemsPerUser, shrinkage, threads);
  }
}
