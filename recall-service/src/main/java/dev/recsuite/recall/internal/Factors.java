package dev.recsuite.recall.internal;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.UserFolder;
import org.apache.lucene.codecs.KnnVectorsFormat;

/**
 * The collaborative-filtering factors as flat row-major arrays, checked once against the catalogue
 * and user directory they belong to. Immutable after construction.
 */
public final class Factors {

  private final int dimension;
  private final float[] items;
  private final float[] users;
  /** One array per item vector, made on first use (only the exact scan reads them). */
  private volatile float[][] itemVectors;

  private Factors(int dimension, float[] items, float[] users) {
    this.dimension = dimension;
    this.items = items;
    this.users = users;
  }

  /**
   * Reads {@code model}. A model with {@code factors == 0} and no item rows means "no
   * collaborative filtering"; user rows are optional (users are then folded in from their history).
   *
   * @throws IllegalArgumentException if the sizes disagree with {@code itemCount}/{@code userCount},
   *     the dimension is out of range or a value is not finite
   */
  public static Factors of(FactorModel model, int itemCount, int userCount) {
    int dimension = model.getFactors();
    int itemValues = model.getItemFactorsCount();
    int userValues = model.getUserFactorsCount();
    if (dimension == 0 && itemValues == 0 && userValues == 0) {
      return new Factors(0, new float[0], new float[0]);
    }
    if (dimension < 1 || dimension > KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "cf factors: %d (expected: 1 to %d)"
              .formatted(dimension, KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS));
    }
    if ((long) itemCount * dimension != itemValues) {
      throw new IllegalArgumentException(
          "cf item_factors: %d values (expected: %d items x %d factors = %d)"
              .formatted(itemValues, itemCount, dimension, (long) itemCount * dimension));
    }
    if (userValues != 0 && (long) userCount * dimension != userValues) {
      throw new IllegalArgumentException(
          "cf user_factors: %d values (expected: 0, or %d users x %d factors = %d)"
              .formatted(userValues, userCount, dimension, (long) userCount * dimension));
    }
    float[] items = copyFinite(model, true, itemValues, dimension);
    float[] users = copyFinite(model, false, userValues, dimension);
    return new Factors(dimension, items, users);
  }

  private static float[] copyFinite(FactorModel model, boolean items, int count, int dimension) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      float value = items ? model.getItemFactors(i) : model.getUserFactors(i);
      if (!Float.isFinite(value)) {
        throw new IllegalArgumentException(
            "cf %s row %d: value %s (expected: finite)"
                .formatted(items ? "item_factors" : "user_factors", i / dimension, value));
      }
      values[i] = value;
    }
    return values;
  }

  /** Whether there are item vectors at all. */
  public boolean hasItemVectors() {
    return dimension > 0;
  }

  /** Whether trained user vectors are present. */
  public boolean hasUserVectors() {
    return users.length > 0;
  }

  /** The number of factors, {@code 0} without collaborative filtering. */
  public int dimension() {
    return dimension;
  }

  /** A new array holding the vector of {@code item}. */
  public float[] itemVector(int item) {
    float[] vector = new float[dimension];
    System.arraycopy(items, item * dimension, vector, 0, dimension);
    return vector;
  }

  /**
   * Every item vector as an array of its own, in dense id order: what Lucene's vectorised {@code
   * VectorUtil.dotProduct} takes. Made on first use and kept (a second copy of the item factors);
   * the arrays must not be modified.
   */
  public float[][] itemVectors() {
    float[][] vectors = itemVectors;
    if (vectors == null) {
      // Concurrent first calls may both build it: the copies are equal, one is kept.
      int count = dimension == 0 ? 0 : items.length / dimension;
      vectors = new float[count][];
      for (int item = 0; item < count; item++) {
        vectors[item] = itemVector(item);
      }
      itemVectors = vectors;
    }
    return vectors;
  }

  /** A new array holding the trained vector of {@code user}. */
  public float[] userVector(int user) {
    float[] vector = new float[dimension];
    System.arraycopy(users, user * dimension, vector, 0, dimension);
    return vector;
  }

  /**
   * A folder over these item factors with {@code parameters}' regularisation and confidence.
   *
   * @throws IllegalStateException if there are no item vectors
   */
  public UserFolder folder(AlsParameters parameters) {
    if (!hasItemVectors()) {
      throw new IllegalStateException("no item factors to fold in with");
    }
    return UserFolder.of(items, parameters.withFactors(dimension));
  }

  /** The inner product of {@code vector} and the vector of {@code item}. */
  public float dot(float[] vector, int item) {
    int offset = item * dimension;
    double sum = 0;
    for (int f = 0; f < dimension; f++) {
      sum += (double) vector[f] * items[offset + f];
    }
    return (float) sum;
  }
}
