package dev.recsuite.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Recall@N of the recall stage under the full-ranking protocol: whether the held-out item is among
 * the candidates, merged and per source.
 *
 * @param path where the candidates came from ({@link RecallProbe#name()})
 * @param probeCandidates the merged candidates asked for per user
 * @param merged Recall@N of the merged list by N
 * @param perSource by source name ({@code collaborative}, {@code content}...), the share of users
 *     whose held-out item the source's own list held
 * @param meanSourceCandidates by source name, the mean number of candidates the source proposed
 * @param failure why the stage could not be probed; empty when it was
 */
public record RecallStageResult(
    String path,
    int probeCandidates,
    Map<Integer, Estimate> merged,
    Map<String, Estimate> perSource,
    Map<String, Double> meanSourceCandidates,
    String failure) {

  /** Copies the maps, keeping their order. */
  public RecallStageResult {
    Objects.requireNonNull(path, "path");
    merged = Collections.unmodifiableMap(new LinkedHashMap<>(merged));
    perSource = Collections.unmodifiableMap(new LinkedHashMap<>(perSource));
    meanSourceCandidates = Collections.unmodifiableMap(new LinkedHashMap<>(meanSourceCandidates));
    Objects.requireNonNull(failure, "failure");
  }

  /** Whether the stage was probed. */
  public boolean ok() {
    return failure.isEmpty();
  }
}
