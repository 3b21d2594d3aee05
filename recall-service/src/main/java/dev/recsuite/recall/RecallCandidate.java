package dev.recsuite.recall;

import java.util.List;

/**
 * A merged candidate.
 *
 * @param item dense item id (position in the bundle's catalogue)
 * @param itemId external item id
 * @param fusedScore reciprocal-rank fusion score that ordered the merge; 0 for a requested
 *     candidate item no source proposed
 * @param sources one entry per source that proposed the item, in {@code RecallSource} number order;
 *     empty for a requested candidate item no source proposed (see {@link
 *     RecallQuery#candidateItemIds()})
 */
public record RecallCandidate(int item, String itemId, double fusedScore, List<SourceHit> sources) {

  /** Copies {@code sources}. */
  public RecallCandidate {
    sources = List.copyOf(sources);
  }
}
