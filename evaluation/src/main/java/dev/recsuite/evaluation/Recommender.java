package dev.recsuite.evaluation;

import java.util.List;

/**
 * A method under evaluation: the full pipeline (through the gateway or in process) or a baseline.
 * Implementations are safe for concurrent use: the harness asks for many users at once.
 */
public interface Recommender {

  /** Short name in tables and JSON, e.g. {@code item-knn}. */
  String name();

  /** One line saying what the method is. */
  String description();

  /** Whether the method makes remote calls (the harness then uses the gRPC concurrency). */
  default boolean remote() {
    return false;
  }

  /**
   * The method's list for {@code testCase}, best first. For full ranking ({@link
   * TestCase#sampled()} false): at most {@code k} items from the catalogue, never one of the
   * user's training items. For the sampled protocol: the candidates, ranked (at most {@code k}).
   *
   * @throws RuntimeException if the method fails for this user; the harness stops with it
   */
  List<Recommendation> recommend(TestCase testCase, int k);
}
