package dev.recsuite.recall;

/**
 * Tuning of the recall engine. {@link #defaults()} gives:
 *
 * <ul>
 *   <li>{@code collaborativeQuota = 300}: the CF source is the most accurate for known users, so it
 *       gets the largest share of a typical 500-candidate request;
 *   <li>{@code contentQuota = 150}: BM25 over the recent items' text adds items CF has too little
 *       data for;
 *   <li>{@code queryQuota = 200}: an explicit query states intent, so it may fill much of a request;
 *   <li>{@code popularQuota = 100}: the cold-start source, and a safety net for every user;
 *   <li>{@code coOccurrenceQuota = 200}: item-to-item neighbours of the recent items follow the
 *       user's latest interests, which a user vector trained on the whole history blurs;
 *   <li>{@code contentRecentItems = 10}: the recent items (most recent first) that seed CONTENT;
 *   <li>{@code coOccurrenceRecentItems = 20}: the recent items whose neighbours CO_OCCURRENCE sums;
 *   <li>{@code foldInItems = 20}: the most recent interactions (request recent items first, then
 *       training events from the latest back) folded into a user vector by exact least squares,
 *       for users without a trained vector or whose request names recent items. A short window
 *       follows what the user does now: on MovieLens 100K (each user's last interaction held out,
 *       the rest given as request recent items), folding in the last 20 put the held-out item in
 *       the top 10 for 18.1% of users, against 13.6% for the whole history (which reproduces the
 *       trained vector's 13.8%), and about as often from the top 200 on. It also bounds the cost of a
 *       solve (about 50 µs at 64 factors);
 *   <li>{@code maxOverfetch = 1000}: at most this many extra nearest neighbours are fetched to make
 *       up for seen and excluded items (which are dropped after the KNN search);
 *   <li>{@code rrfK = 60}: the reciprocal-rank-fusion constant of the original paper;
 *   <li>{@code dislikeSimilarity = 0.3} and {@code dislikePenalty = 0.25}: a candidate among the
 *       co-occurrence neighbours of an item the request lists as disliked, with a similarity of at
 *       least 0.3, has its fused score multiplied by 0.25 (pushed down in the merge). 0.3 keeps the
 *       closest neighbours only: 6 per item on average on the synthetic data (median similarity of
 *       an item's nearest neighbour 0.28), 17 on MovieLens 100K (0.38); 0.2 would take 22 and 32.
 *       A quarter of the fused score is about what the item would get from the same sources
 *       ranked four times lower (1 / (60 + r) for r ≫ 60).
 * </ul>
 *
 * A quota of 0 turns its source off.
 *
 * @param collaborativeQuota most COLLABORATIVE candidates, 0 to {@value #MAX_QUOTA}
 * @param contentQuota most CONTENT candidates, 0 to {@value #MAX_QUOTA}
 * @param queryQuota most QUERY candidates, 0 to {@value #MAX_QUOTA}
 * @param popularQuota most POPULAR candidates, 0 to {@value #MAX_QUOTA}
 * @param coOccurrenceQuota most CO_OCCURRENCE candidates, 0 to {@value #MAX_QUOTA}
 * @param contentRecentItems recent items seeding CONTENT, 1 to 1,000
 * @param coOccurrenceRecentItems recent items seeding CO_OCCURRENCE, 1 to 1,000
 * @param foldInItems most recent interactions folded into a user vector, 1 to 100,000
 * @param maxOverfetch bound of the KNN over-fetch, 0 to 100,000
 * @param rrfK reciprocal-rank-fusion constant, 1 to 10,000
 * @param dislikeSimilarity the co-occurrence similarity to a disliked item from which a candidate is
 *     pushed down, in (0, 1]
 * @param dislikePenalty the factor of a pushed-down candidate's fused score, in [0, 1] (1 turns
 *     the push-down off, 0 sends such candidates to the end of the merge)
 */
public record RecallSettings(
    int collaborativeQuota,
    int contentQuota,
    int queryQuota,
    int popularQuota,
    int coOccurrenceQuota,
    int contentRecentItems,
    int coOccurrenceRecentItems,
    int foldInItems,
    int maxOverfetch,
    int rrfK,
    double dislikeSimilarity,
    double dislikePenalty) {

  /** The largest quota of one source. */
  public static final int MAX_QUOTA = 10_000;
  /** Default {@link #collaborativeQuota()}. */
  public static final int DEFAULT_COLLABORATIVE_QUOTA = 300;
  /** Default {@link #contentQuota()}. */
  public static final int DEFAULT_CONTENT_QUOTA = 150;
  /** Default {@link #queryQuota()}. */
  public static final int DEFAULT_QUERY_QUOTA = 200;
  /** Default {@link #popularQuota()}. */
  public static final int DEFAULT_POPULAR_QUOTA = 100;
  /** Default {@link #coOccurrenceQuota()}. */
  public static final int DEFAULT_CO_OCCURRENCE_QUOTA = 200;
  /** Default {@link #contentRecentItems()}. */
  public static final int DEFAULT_CONTENT_RECENT_ITEMS = 10;
  /** Default {@link #coOccurrenceRecentItems()}. */
  public static final int DEFAULT_CO_OCCURRENCE_RECENT_ITEMS = 20;
  /** Default {@link #foldInItems()}. */
  public static final int DEFAULT_FOLD_IN_ITEMS = 20;
  /** Default {@link #dislikeSimilarity()}. */
  public static final double DEFAULT_DISLIKE_SIMILARITY = 0.3;
  /** Default {@link #dislikePenalty()}. */
  public static final double DEFAULT_DISLIKE_PENALTY = 0.25;

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public RecallSettings {
    requireIn("collaborativeQuota", collaborativeQuota, 0, MAX_QUOTA);
    requireIn("contentQuota", contentQuota, 0, MAX_QUOTA);
    requireIn("queryQuota", queryQuota, 0, MAX_QUOTA);
    requireIn("popularQuota", popularQuota, 0, MAX_QUOTA);
    requireIn("coOccurrenceQuota", coOccurrenceQuota, 0, MAX_QUOTA);
    requireIn("contentRecentItems", contentRecentItems, 1, 1_000);
    requireIn("coOccurrenceRecentItems", coOccurrenceRecentItems, 1, 1_000);
    requireIn("foldInItems", foldInItems, 1, 100_000);
    requireIn("maxOverfetch", maxOverfetch, 0, 100_000);
    requireIn("rrfK", rrfK, 1, 10_000);
    if (!(dislikeSimilarity > 0 && dislikeSimilarity <= 1)) {
      throw new IllegalArgumentException(
          "dislikeSimilarity: " + dislikeSimilarity + " (expected: > 0 and <= 1)");
    }
    if (!(dislikePenalty >= 0 && dislikePenalty <= 1)) {
      throw new IllegalArgumentException("dislikePenalty: " + dislikePenalty + " (expected: 0 to 1)");
    }
  }

  /**
   * Settings with the default dislike push-down.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public RecallSettings(
      int collaborativeQuota,
      int contentQuota,
      int queryQuota,
      int popularQuota,
      int coOccurrenceQuota,
      int contentRecentItems,
      int coOccurrenceRecentItems,
      int foldInItems,
      int maxOverfetch,
      int rrfK) {
    this(
        collaborativeQuota,
        contentQuota,
        queryQuota,
        popularQuota,
        coOccurrenceQuota,
        contentRecentItems,
        coOccurrenceRecentItems,
        foldInItems,
        maxOverfetch,
        rrfK,
        DEFAULT_DISLIKE_SIMILARITY,
        DEFAULT_DISLIKE_PENALTY);
  }

  private static void requireIn(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "%s: %d (expected: %d to %d)".formatted(name, value, min, max));
    }
  }

  /** The documented defaults. */
  public static RecallSettings defaults() {
    return new RecallSettings(
        DEFAULT_COLLABORATIVE_QUOTA,
        DEFAULT_CONTENT_QUOTA,
        DEFAULT_QUERY_QUOTA,
        DEFAULT_POPULAR_QUOTA,
        DEFAULT_CO_OCCURRENCE_QUOTA,
        DEFAULT_CONTENT_RECENT_ITEMS,
        DEFAULT_CO_OCCURRENCE_RECENT_ITEMS,
        DEFAULT_FOLD_IN_ITEMS,
        1_000,
        60);
  }

  /**
   * These settings with other quotas for the first four sources; the CO_OCCURRENCE quota stays.
   *
   * @throws IllegalArgumentException if a quota is out of range
   */
  public RecallSettings withQuotas(int collaborative, int content, int query, int popular) {
    return withQuotas(collaborative, content, query, popular, coOccurrenceQuota);
  }

  /**
   * These settings with other quotas, in {@code RecallSource} number order.
   *
   * @throws IllegalArgumentException if a quota is out of range
   */
  public RecallSettings withQuotas(
      int collaborative, int content, int query, int popular, int coOccurrence) {
    return new RecallSettings(
        collaborative,
        content,
        query,
        popular,
        coOccurrence,
        contentRecentItems,
        coOccurrenceRecentItems,
        foldInItems,
        maxOverfetch,
        rrfK,
        dislikeSimilarity,
        dislikePenalty);
  }

  /**
   * These settings with another number of seeds of CO_OCCURRENCE.
   *
   * @throws IllegalArgumentException if {@code items} is out of range
   */
  public RecallSettings withCoOccurrenceRecentItems(int items) {
    return new RecallSettings(
        collaborativeQuota,
        contentQuota,
        queryQuota,
        popularQuota,
        coOccurrenceQuota,
        contentRecentItems,
        items,
        foldInItems,
        maxOverfetch,
        rrfK,
        dislikeSimilarity,
        dislikePenalty);
  }

  /**
   * These settings with another number of interactions folded into a user vector.
   *
   * @throws IllegalArgumentException if {@code items} is out of range
   */
  public RecallSettings withFoldInItems(int items) {
    return new RecallSettings(
        collaborativeQuota,
        contentQuota,
        queryQuota,
        popularQuota,
        coOccurrenceQuota,
        contentRecentItems,
        coOccurrenceRecentItems,
        items,
        maxOverfetch,
        rrfK,
        dislikeSimilarity,
        dislikePenalty);
  }

  /**
   * These settings with another dislike push-down.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public RecallSettings withDislikePushDown(double similarity, double penalty) {
    return new RecallSettings(
        collaborativeQuota,
        contentQuota,
        queryQuota,
        popularQuota,
        coOccurrenceQuota,
        contentRecentItems,
        coOccurrenceRecentItems,
        foldInItems,
        maxOverfetch,
        rrfK,
        similarity,
        penalty);
  }

  /** The sum of the quotas: the most distinct candidates a request can get. */
  public int totalQuota() {
    return collaborativeQuota + contentQuota + queryQuota + popularQuota + coOccurrenceQuota;
  }
}
