package dev.recsuite.ranking;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Labelled examples for {@link LogisticRankerTrainer} and {@link FactorizationMachineTrainer}: one
 * feature vector per example, a binary label, an optional weight and an optional group, stored in
 * growable primitive arrays (no boxing). Append-only and not thread-safe: fill it from one thread,
 * then hand it to a trainer.
 *
 * <p>The <em>group</em> says which examples compete in one ranking: the candidates of one request
 * (or one user). The pairwise loss of {@link FactorizationMachineTrainer} compares a positive only
 * with the negatives of its own group, and its held-out split for early stopping keeps a group
 * whole. An example added without a group ({@link #NO_GROUP}) is a group of its own. The logistic
 * trainer ignores groups.
 *
 * <p>Typical use by the offline trainer, with one reusable buffer:
 *
 * <pre>{@code
 * TrainingSet examples = TrainingSet.forRankingFeatures();
 * float[] x = new float[RankingFeatures.SIZE];
 * for (...) {  // each (request, candidate) pair
 *   RankingFeatures.extract(userFeatures, itemFeatures, sourceScores, x);
 *   examples.add(x, clicked, 1f, requestNumber);
 * }
 * RankerModel model =
 *     new FactorizationMachineTrainer(FactorizationMachineTrainer.Parameters.defaults()).train(examples);
 * }</pre>
 */
public final class TrainingSet {

  /** The {@link #group(int)} of an example added without one: it is a group of its own. */
  public static final int NO_GROUP = -1;

  private static final int INITIAL_ROWS = 1024;
  /** Stays clear of the VM's array size limit. */
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private final List<String> featureNames;
  private final int width;
  private float[] features;
  private boolean[] labels;
  private float[] weights;
  private int[] groups;
  private int size;
  private int positives;

  /**
   * An empty set of examples whose vectors have one entry per name, in that order.
   *
   * @throws IllegalArgumentException if {@code featureNames} is empty or has duplicates
   */
  public TrainingSet(List<String> featureNames) {
    this.featureNames = List.copyOf(featureNames);
    if (this.featureNames.isEmpty()) {
      throw new IllegalArgumentException("featureNames: [] (expected: at least one name)");
    }
    Set<String> seen = new HashSet<>();
    for (String name : this.featureNames) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException("featureNames: '" + name + "' twice (expected: distinct names)");
      }
    }
    this.width = this.featureNames.size();
    this.features = new float[0];
    this.labels = new boolean[0];
    this.weights = new float[0];
    this.groups = new int[0];
  }

  /** An empty set of examples in {@link RankingFeatures} order. */
  public static TrainingSet forRankingFeatures() {
    return new TrainingSet(RankingFeatures.names());
  }

  /** The feature names, in vector order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** Number of features per example. */
  public int featureCount() {
    return width;
  }

  /** Number of examples. */
  public int size() {
    return size;
  }

  /** Number of positive examples. */
  public int positives() {
    return positives;
  }

  /**
   * Appends an example of weight 1 without a group; copies {@code x}.
   *
   * @throws IllegalArgumentException if {@code x} has the wrong length or a non-finite entry
   * @throws IllegalStateException if the set is full (about 2^31 floats)
   */
  public void add(float[] x, boolean positive) {
    add(x, positive, 1f);
  }

  /**
   * Appends a weighted example without a group; copies {@code x}. A weight of 2 counts like the
   * same example added twice.
   *
   * @throws IllegalArgumentException if {@code x} has the wrong length or a non-finite entry, or
   *     {@code weight} is not finite and {@code > 0}
   * @throws IllegalStateException if the set is full (about 2^31 floats)
   */
  public void add(float[] x, boolean positive, float weight) {
    append(x, positive, weight, NO_GROUP);
  }

  /**
   * Appends a weighted example of group {@code group} (e.g. the number of the request or user whose
   * candidate it is); copies {@code x}. Examples of one group need not be added consecutively.
   *
   * @throws IllegalArgumentException if {@code x} has the wrong length or a non-finite entry, if
   *     {@code weight} is not finite and {@code > 0}, or if {@code group < 0}
   * @throws IllegalStateException if the set is full (about 2^31 floats)
   */
  public void add(float[] x, boolean positive, float weight, int group) {
    if (group < 0) {
      throw new IllegalArgumentException("group: " + group + " (expected: >= 0)");
    }
    append(x, positive, weight, group);
  }

  private void append(float[] x, boolean positive, float weight, int group) {
    Objects.requireNonNull(x, "x");
    if (x.length != width) {
      throw new IllegalArgumentException(
          "x: length %d (expected: %d features)".formatted(x.length, width));
    }
    for (int j = 0; j < width; j++) {
      if (!Float.isFinite(x[j])) {
        throw new IllegalArgumentException(
            "x[%d] (%s): %s (expected: finite)".formatted(j, featureNames.get(j), x[j]));
      }
    }
    if (!Float.isFinite(weight) || weight <= 0f) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: finite and > 0)");
    }
    ensureCapacity(size + 1);
    System.arraycopy(x, 0, features, size * width, width);
    labels[size] = positive;
    weights[size] = weight;
    groups[size] = group;
    size++;
    if (positive) {
      positives++;
    }
  }

  /**
   * Feature {@code column} of example {@code row}.
   *
   * @throws IndexOutOfBoundsException if either index is out of range
   */
  public float feature(int row, int column) {
    Objects.checkIndex(row, size);
    Objects.checkIndex(column, width);
    return features[row * width + column];
  }

  /**
   * Copies the features of example {@code row} into {@code out[0 .. featureCount())}.
   *
   * @throws IndexOutOfBoundsException if {@code row} is out of range or {@code out} too short
   */
  public void copyFeatures(int row, float[] out) {
    Objects.checkIndex(row, size);
    System.arraycopy(features, row * width, out, 0, width);
  }

  /**
   * Whether example {@code row} is positive.
   *
   * @throws IndexOutOfBoundsException if {@code row} is out of range
   */
  public boolean positive(int row) {
    Objects.checkIndex(row, size);
    return labels[row];
  }

  /**
   * The weight of example {@code row}.
   *
   * @throws IndexOutOfBoundsException if {@code row} is out of range
   */
  public float weight(int row) {
    Objects.checkIndex(row, size);
    return weights[row];
  }

  /**
   * The group of example {@code row}, or {@link #NO_GROUP} if it was added without one.
   *
   * @throws IndexOutOfBoundsException if {@code row} is out of range
   */
  public int group(int row) {
    Objects.checkIndex(row, size);
    return groups[row];
  }

  private void ensureCapacity(int rows) {
    if (rows <= labels.length) {
      return;
    }
    int maxRows = MAX_ARRAY_LENGTH / width;
    if (rows > maxRows) {
      throw new IllegalStateException(
          "training set full: %d examples of %d features (expected: at most %d examples)"
              .formatted(size, width, maxRows));
    }
    int grown = (int) Math.min(maxRows, Math.max(INITIAL_ROWS, 2L * labels.length));
    features = Arrays.copyOf(features, grown * width);
    labels = Arrays.copyOf(labels, grown);
    weights = Arrays.copyOf(weights, grown);
    groups = Arrays.copyOf(groups, grown);
  }

  @Override
  public String toString() {
    return "TrainingSet[" + size + " examples, " + positives + " positive, " + width + " features]";
  }
}
