package dev.recsuite.evaluation;

/**
 * Asks the recall stage for one user's merged candidates (without ranking) and reports where the
 * held-out item stands. Implementations are safe for concurrent use.
 */
public interface RecallProbe {

  /** Where the probe gets its answers, e.g. {@code recall tier over gRPC}. */
  String name();

  /** Whether the probe makes remote calls (the harness then uses the gRPC concurrency). */
  default boolean remote() {
    return false;
  }

  /**
   * Probes the recall stage for {@code testCase}'s user.
   *
   * @throws RuntimeException if the recall stage fails; the harness reports it
   */
  RecallOutcome probe(TestCase testCase);
}
