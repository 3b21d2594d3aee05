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
 *   <li>{@code contentRecentItems = 10}: the recent items (most recent first) that seed CONTENT;
 *   <li>{@code foldInItems = 20}: the recent items whose mean vector stands in for the user vector
 *       of users without a trained one or with request-supplied recent items;
 *   <li>{@code maxOverfetch = 1000}: at most this many extra nearest neighbours are fetched to make
 *       up for seen and excluded items (which are dropped after the KNN search);
 *   <li>{@code rrfK = 60}: the reciprocal-rank-fusion constant of the original paper.
 * </ul>
 *
 * A quota of 0 turns its source off.
 *
 * @param collaborativeQuota most COLLABORATIVE candidates, 0 to {@value #MAX_QUOTA}
 * @param contentQuota most CONTENT candidates, 0 to {@value #MAX_QUOTA}
 * @param queryQuota most QUERY candidates, 0 to {@value #MAX_QUOTA}
 * @param popularQuota most POPULAR candidates, 0 to {@value #MAX_QUOTA}
 * @param contentRecentItems recent items seeding CONTENT, 1 to 1,000
 * @param foldInItems recent items averaged into a user vector, 1 to 1,000
 * @param maxOverfetch bound of the KNN over-fetch, 0 to 100,000
 * @param rrfK reciprocal-rank-fusion constant, 1 to 10,000
 */
public record RecallSettings(
    int collaborativeQuota,
    int contentQuota,
    int queryQuota,
    int popularQuota,
    int contentRecentItems,
    int foldInItems,
    int maxOverfetch,
    int rrfK) {

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
    requireIn("contentRecentItems", contentRecentItems, 1, 1_000);
    requireIn("foldInItems", foldInItems, 1, 1_000);
    requireIn("maxOverfetch", maxOverfetch, 0, 100_000);
    requireIn("rrfK", rrfK, 1, 10_000);
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
        10,
        20,
        1_000,
        60);
  }

  /**
   * These settings with other quotas.
   *
   * @throws IllegalArgumentException if a quota is out of range
   */
  public RecallSettings withQuotas(int collaborative, int content, int query, int popular) {
    return new RecallSettings(
        collaborative, content, query, popular, contentRecentItems, foldInItems, maxOverfetch, rrfK);
  }

  /** The sum of the quotas: the most distinct candidates a request can get. */
  public int totalQuota() {
    return collaborativeQuota + contentQuota + queryQuota + popularQuota;
  }
}
