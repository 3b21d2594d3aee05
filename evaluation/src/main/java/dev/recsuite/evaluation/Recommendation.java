package dev.recsuite.evaluation;

import java.util.Objects;

/**
 * One recommended item with the score that ordered it.
 *
 * @param itemId external item id
 * @param score the method's score; comparable only within one list
 */
public record Recommendation(String itemId, float score) {

  /** @throws NullPointerException if {@code itemId} is null */
  public Recommendation {
    Objects.requireNonNull(itemId, "itemId");
  }
}
