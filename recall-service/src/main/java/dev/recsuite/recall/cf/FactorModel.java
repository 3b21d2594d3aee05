package dev.recsuite.recall.cf;

import java.util.Arrays;
import java.util.Objects;

/**
 * Trained user and item factors, row-major: user {@code u}'s vector is {@code userFactors[u *
 * factors, (u + 1) * factors)}, and likewise for items. A user's predicted preference for an item
 * is the dot product of their vectors.
 *
 * <p>The record owns its arrays and does not copy them: whoever builds one hands the arrays over
 * and must not modify them afterwards, and readers must not modify what the accessors return. It is
 * then safe to share between threads. {@link #userVector(int)} and {@link #itemVector(int)} return
 * copies.
 *
 * @param factors latent dimension, {@code > 0}
 * @param userFactors users × factors
 * @param itemFactors items × factors
 */
public record FactorModel(int factors, float[] userFactors, float[] itemFactors) {

  /**
   * Checks the shapes.
   *
   * @throws IllegalArgumentException if {@code factors <= 0} or an array's length is not a multiple
   *     of {@code factors}
   * @throws NullPointerException if an array is null
   */
  public FactorModel {
    Objects.requireNonNull(userFactors, "userFactors");
    Objects.requireNonNull(itemFactors, "itemFactors");
    if (factors <= 0) {
      throw new IllegalArgumentException("factors: " + factors + " (expected: > 0)");
    }
    if (userFactors.length % factors != 0) {
      throw new IllegalArgumentException(
          "userFactors: length %d (expected: a multiple of factors %d)"
              .formatted(userFactors.length, factors));
    }
    if (itemFactors.length % factors != 0) {
      throw new IllegalArgumentException(
          "itemFactors: length %d (expected: a multiple of factors %d)"
              .formatted(itemFactors.length, factors));
    }
  }

  /** Number of users. */
  public int userCount() {
    return userFactors.length / factors;
  }

  /** Number of items. */
  public int itemCount() {
    return itemFactors.length / factors;
  }

  /**
   * A copy of user {@code user}'s vector.
   *
   * @throws IndexOutOfBoundsException if {@code user} is not in {@code [0, userCount())}
   */
  public float[] userVector(int user) {
    Objects.checkIndex(user, userCount());
    return Arrays.copyOfRange(userFactors, user * factors, (user + 1) * factors);
  }

  /**
   * A copy of item {@code item}'s vector.
   *
   * @throws IndexOutOfBoundsException if {@code item} is not in {@code [0, itemCount())}
   */
  public float[] itemVector(int item) {
    Objects.checkIndex(item, itemCount());
    return Arrays.copyOfRange(itemFactors, item * factors, (item + 1) * factors);
  }

  /**
   * The predicted preference of {@code user} for {@code item}.
   *
   * @throws IndexOutOfBoundsException if either id is out of range
   */
  public float score(int user, int item) {
    Objects.checkIndex(user, userCount());
    Objects.checkIndex(item, itemCount());
    return dot(userFactors, user * factors, item * factors);
  }

  /**
   * The predicted preference of a user with vector {@code userVector} (one from {@link
   * UserFolder#foldIn}, say) for {@code item}.
   *
   * @throws IllegalArgumentException if {@code userVector.length != factors}
   * @throws IndexOutOfBoundsException if {@code item} is out of range
   */
  public float score(float[] userVector, int item) {
    if (userVector.length != factors) {
      throw new IllegalArgumentException(
          "userVector: length %d (expected: %d)".formatted(userVector.length, factors));
    }
    Objects.checkIndex(item, itemCount());
    return dot(userVector, 0, item * factors);
  }

  private float dot(float[] user, int userOffset, int itemOffset) {
    float sum = 0;
    for (int f = 0; f < factors; f++) {
      sum += user[userOffset + f] * itemFactors[itemOffset + f];
    }
    return sum;
  }

  /** Equal when the factor count and both arrays' contents are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof FactorModel that
        && factors == that.factors
        && Arrays.equals(userFactors, that.userFactors)
        && Arrays.equals(itemFactors, that.itemFactors);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * factors + Arrays.hashCode(userFactors)) + Arrays.hashCode(itemFactors);
  }

  @Override
  public String toString() {
    return "FactorModel[factors=%d, users=%d, items=%d]"
        .formatted(factors, userCount(), itemCount());
  }
}
