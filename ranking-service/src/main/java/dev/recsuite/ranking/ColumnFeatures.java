package dev.recsuite.ranking;

import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.feature.v1.UserFeatures;
import java.util.Objects;

/**
 * The {@link RankingFeatures} of one request's candidates sent in columns: each item scored with
 * the static features of its dense id, the sources' part of every candidate written into one table
 * by a single pass over the columns ({@link RankingFeatures#sourceTable}). A candidate costs two
 * array reads and a copy: no lookup by id, no message, no allocation. The values are those of the
 * same candidates sent as {@code RankCandidate} messages without features ({@link RequestFeatures}),
 * bit for bit. Not thread-safe: one per request.
 */
final class ColumnFeatures implements CandidateBatch {

  private final CandidateColumns columns;
  private final StaticItemFeatures items;
  private final RankingFeatures.RequestUser user;
  private final float[] sources;

  /**
   * @throws IllegalArgumentException if an item is not a dense id of {@code items}, a column's
   *     scores or ranks are not as many as its candidates, or a column's candidate is not an index
   *     into {@code columns.items}
   * @throws NullPointerException if an argument is null
   */
  ColumnFeatures(UserFeatures user, CandidateColumns columns, StaticItemFeatures items) {
    Objects.requireNonNull(user, "user");
    this.columns = Objects.requireNonNull(columns, "columns");
    this.items = Objects.requireNonNull(items, "items");
    int size = items.size();
    for (int i = 0, n = columns.getItemsCount(); i < n; i++) {
      int item = columns.getItems(i);
      if (item < 0 || item >= size) {
        throw new IllegalArgumentException(
            "columns.items[%d]: %d (expected: 0..%d, a dense id of %s)".formatted(i, item, size - 1, items));
      }
    }
    this.sources = RankingFeatures.sourceTable(columns);
    this.user = items.requestUser(user);
  }

  @Override
  public int size() {
    return columns.getItemsCount();
  }

  @Override
  public void extract(int candidate, float[] out) {
    RankingFeatures.extract(user, items.features(columns.getItems(candidate)), sources, candidate, out);
  }
}
