package dev.recsuite.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * One user's evaluation case.
 *
 * @param user the user's dense id in the bundle
 * @param userId the user's external id
 * @param itemId the held-out item's external id
 * @param candidateIds for the sampled protocol, the items to rank (the held-out item and the
 *     negatives, in a seeded random order so that ties do not favour the held-out item); empty for
 *     full ranking
 */
public record TestCase(int user, String userId, String itemId, List<String> candidateIds) {

  /**
   * @throws NullPointerException if a value is null
   * @throws IllegalArgumentException if {@code candidateIds} is not empty and lacks {@code itemId}
   */
  public TestCase {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(itemId, "itemId");
    candidateIds = List.copyOf(candidateIds);
    if (!candidateIds.isEmpty() && !candidateIds.contains(itemId)) {
      throw new IllegalArgumentException(
          "candidateIds of user '%s': %d ids without the held-out item '%s'"
              .formatted(userId, candidateIds.size(), itemId));
    }
  }

  /** Whether this case ranks given candidates (sampled protocol) rather than the catalogue. */
  public boolean sampled() {
    return !candidateIds.isEmpty();
  }
}
