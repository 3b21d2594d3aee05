package dev.recsuite.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * How far two paths that must give the same answers (the gateway over gRPC and the pipeline in
 * process, or the recall tier and the recall engine) agree, user by user.
 *
 * @param left name of the first path
 * @param right name of the second path
 * @param users users compared
 * @param identical users whose answers are identical (same items in the same order; for recall,
 *     same position and sources of the held-out item)
 * @param maxScoreDifference the largest absolute score difference between the two lists of a user
 *     with identical items (0 for recall)
 * @param examples up to five differences, described
 */
public record Agreement(
    String left, String right, int users, int identical, double maxScoreDifference, List<String> examples) {

  /** Scores may differ by this much (relative to max(1, |score|)) and still agree. */
  public static final double SCORE_TOLERANCE = 1e-5;

  /** Copies {@code examples}. */
  public Agreement {
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(right, "right");
    examples = List.copyOf(examples);
  }

  /** Whether every user's answers agree within {@link #SCORE_TOLERANCE}. */
  public boolean agrees() {
    return identical == users && maxScoreDifference <= SCORE_TOLERANCE;
  }
}
