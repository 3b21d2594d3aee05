package dev.recsuite.evaluation;

import dev.recsuite.common.v1.RecallSource;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the recall stage did with one user's held-out item.
 *
 * @param position 0-based position of the held-out item among the merged candidates, -1 if absent
 * @param sources the sources whose lists held the held-out item (empty if none)
 * @param sourceSizes per source, how many of the returned candidates it proposed
 */
public record RecallOutcome(int position, Set<RecallSource> sources, Map<RecallSource, Integer> sourceSizes) {

  /** Copies the collections. */
  public RecallOutcome {
    sources = Set.copyOf(Objects.requireNonNull(sources, "sources"));
    sourceSizes = Map.copyOf(Objects.requireNonNull(sourceSizes, "sourceSizes"));
  }
}
