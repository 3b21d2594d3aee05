package dev.recsuite.evaluation;

/**
 * What coverage and novelty need to know about the catalogue and the training data.
 * Implementations are immutable.
 */
public interface Catalogue {

  /** Number of items in the catalogue, {@code >= 1}. */
  int size();

  /** Number of users with at least one training interaction, {@code >= 1}. */
  int trainingUsers();

  /** Distinct training users of {@code itemId}, 0 for an unknown item. */
  int usersOf(String itemId);
}
