package dev.recsuite.recall;

import dev.recsuite.common.v1.RecallSource;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link RecallQuery}.
 *
 * @param candidates merged candidates, best first, at most {@code maxCandidates} (held as a {@link
 *     CandidateTable})
 * @param knownUser whether the user is in the training data
 * @param sourceCounts per source, how many candidates it proposed (after filtering, before the
 *     merge cut); every source is present, with 0 when it did not run
 * @param version the version of the bundle (or in-process model) that answered
 */
public record RecallResult(
    List<RecallCandidate> candidates,
    boolean knownUser,
    Map<RecallSource, Integer> sourceCounts,
    String version) {

  /**
   * Copies the values (a {@link CandidateTable} is kept as it is); {@code sourceCounts} may lack
   * sources (read as 0).
   *
   * @throws IllegalArgumentException if a candidate lists a source twice or an unknown source
   */
  public RecallResult {
    candidates = CandidateTable.copyOf(candidates);
    EnumMap<RecallSource, Integer> counts = new EnumMap<>(RecallSource.class);
    counts.putAll(sourceCounts);
    sourceCounts = Collections.unmodifiableMap(counts);
  }

  /** The candidates as parallel arrays: the same list as {@link #candidates()}. */
  public CandidateTable table() {
    return (CandidateTable) candidates;
  }

  /** How many candidates {@code source} proposed. */
  public int count(RecallSource source) {
    return sourceCounts.getOrDefault(source, 0);
  }
}
