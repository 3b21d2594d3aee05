package dev.recsuite.recall;

import dev.recsuite.common.v1.RecallSource;
import java.util.Objects;

/**
 * How one source proposed a candidate.
 *
 * @param source the source
 * @param score the source's own score: inner product (COLLABORATIVE), BM25 (CONTENT, QUERY),
 *     training interaction count (POPULAR) or recency-weighted sum of item-to-item similarities
 *     (CO_OCCURRENCE); comparable only within one source
 * @param rank 0-based position of the candidate in the source's list
 */
public record SourceHit(RecallSource source, float score, int rank) {

  /** @throws NullPointerException if {@code source} is null */
  public SourceHit {
    Objects.requireNonNull(source, "source");
  }
}
