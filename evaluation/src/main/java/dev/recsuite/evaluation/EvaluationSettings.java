package dev.recsuite.evaluation;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the harness runs.
 *
 * @param grpcConcurrency calls in flight to the suite
 * @param threads users evaluated at once by the in-process methods
 * @param bootstrap the bootstrap of the confidence intervals
 * @param recallCutoffs the N of the merged Recall@N (each at most {@code probeCandidates})
 * @param probeCandidates merged candidates asked of the recall stage per user when probing it
 * @param progressInterval how often progress is logged
 */
public record EvaluationSettings(
    int grpcConcurrency,
    int threads,
    Bootstrap bootstrap,
    List<Integer> recallCutoffs,
    int probeCandidates,
    Duration progressInterval) {

  /** The cut-offs of HR@K and NDCG@K. */
  public static final List<Integer> CUTOFFS = List.of(1, 5, 10, 20);

  /**
   * @throws IllegalArgumentException naming the first invalid value
   */
  public EvaluationSettings {
    if (grpcConcurrency < 1) {
      throw new IllegalArgumentException("grpcConcurrency: " + grpcConcurrency + " (expected: >= 1)");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    Objects.requireNonNull(bootstrap, "bootstrap");
    recallCutoffs = List.copyOf(recallCutoffs);
    if (probeCandidates < 1) {
      throw new IllegalArgumentException("probeCandidates: " + probeCandidates + " (expected: >= 1)");
    }
    for (int n : recallCutoffs) {
      if (n < 1 || n > probeCandidates) {
        throw new IllegalArgumentException(
            "recallCutoffs: %d (expected: 1 to probeCandidates, %d)".formatted(n, probeCandidates));
      }
    }
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new IllegalArgumentException("progressInterval: " + progressInterval + " (expected: > 0)");
    }
  }
}
