package dev.recsuite.feature;

import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleTables;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.feature.internal.FeatureMessages;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * User and item features of one bundle version, ready to serve. Immutable and thread-safe.
 *
 * <p>Every message is built once when the store is created: a lookup is a hash-map read that returns
 * a shared immutable message, so a batch of 500 items allocates only the result list. Unknown ids
 * get the defaults documented in {@code feature_service.proto} with {@code known = false}; a lookup
 * never fails for an unknown id.
 *
 * <p>Two ways to build one, sharing all logic: {@link #load(Bundle)} for the services, and {@link
 * #of(String, Dataset, FeatureTables)} for the trainer, which must compute exactly the features
 * serving will see.
 */
public final class FeatureStore {

  private final String version;
  private final FeatureMessages messages;

  private FeatureStore(String version, FeatureMessages messages) {
    this.version = version;
    this.messages = messages;
  }

  /**
   * Loads the features of a published bundle from its {@code catalog.pb}, {@code users.pb} and
   * {@code features.pb}.
   *
   * @throws InvalidBundleException naming the file if one is missing or does not parse, if the
   *     tables disagree in length (feature rows versus catalogue items or users), if an id occurs
   *     twice, or if a recent item is out of range
   */
  public static FeatureStore load(Bundle bundle) {
    Objects.requireNonNull(bundle, "bundle");
    ItemCatalog catalog = bundle.read(BundleFiles.CATALOG, ItemCatalog.parser());
    UserDirectory users = bundle.read(BundleFiles.USERS, UserDirectory.parser());
    FeatureTables tables = bundle.read(BundleFiles.FEATURES, FeatureTables.parser());
    String prefix = "bundle " + bundle.directory() + " (version " + bundle.version() + "): ";
    return new FeatureStore(
        bundle.version(),
        FeatureMessages.build(
            catalog, users, tables, problem -> new InvalidBundleException(prefix + problem)));
  }

  /**
   * Builds the store in-process from a training data set and the feature tables computed from it
   * (by {@code FeatureTablesBuilder}), exactly as {@link #load(Bundle)} would after the trainer
   * wrote them into a bundle.
   *
   * @param version the bundle version the features belong to; reported by {@link #version()}
   * @param train the training data set: its items and users in dense-id order
   * @param tables feature tables with one row per item and per user of {@code train}
   * @throws IllegalArgumentException if {@code version} is blank or the tables do not match {@code
   *     train} (the message names the table by its bundle file name)
   * @throws NullPointerException if an argument is null
   */
  public static FeatureStore of(String version, Dataset train, FeatureTables tables) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(tables, "tables");
    if (version.isBlank()) {
      throw new IllegalArgumentException("version: '" + version + "' (expected: not blank)");
    }
    // Through the same protobuf tables a bundle holds, so both paths share every mapping.
    return new FeatureStore(
        version,
        FeatureMessages.build(
            BundleTables.toCatalog(train.items()),
            BundleTables.toDirectory(train.users()),
            tables,
            problem ->
                new IllegalArgumentException("in-process tables (version " + version + "): " + problem)));
  }

  /** The bundle version the features belong to. */
  public String version() {
    return version;
  }

  /**
   * The features of {@code userId}; the documented defaults with {@code known = false} when the user
   * is not in the bundle.
   *
   * @throws NullPointerException if {@code userId} is null
   */
  public UserFeatures user(String userId) {
    Objects.requireNonNull(userId, "userId");
    UserFeatures known = messages.users().get(userId);
    return known != null ? known : messages.unknownUser().toBuilder().setUserId(userId).build();
  }

  /**
   * The features of {@code itemId}; the documented defaults with {@code known = false} when the item
   * is not in the bundle.
   *
   * @throws NullPointerException if {@code itemId} is null
   */
  public ItemFeatures item(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    ItemFeatures known = messages.items().get(itemId);
    return known != null ? known : messages.unknownItem().toBuilder().setItemId(itemId).build();
  }

  /**
   * The features of each of {@code itemIds}, in request order (duplicates repeated), unknown ids
   * with the defaults as in {@link #item(String)}.
   *
   * @return an unmodifiable list of the same length as {@code itemIds}
   * @throws NullPointerException if the list or an id is null
   */
  public List<ItemFeatures> items(List<String> itemIds) {
    ItemFeatures[] result = new ItemFeatures[itemIds.size()];
    int i = 0;
    for (String itemId : itemIds) {
      result[i++] = item(itemId);
    }
    return Collections.unmodifiableList(Arrays.asList(result));
  }

  /** Whether the bundle has features for {@code userId}. */
  public boolean hasUser(String userId) {
    return messages.users().containsKey(userId);
  }

  /** Whether the bundle has features for {@code itemId}. */
  public boolean hasItem(String itemId) {
    return messages.items().containsKey(itemId);
  }

  /** Number of users with features. */
  public int userCount() {
    return messages.users().size();
  }

  /** Number of items with features. */
  public int itemCount() {
    return messages.items().size();
  }

  /** The mean of all training ratings: the mean-rating default for unknown ids. */
  public float globalMeanRating() {
    return messages.globalMeanRating();
  }

  /** Length of the recent-items window of the tables. */
  public int recentWindow() {
    return messages.recentWindow();
  }

  @Override
  public String toString() {
    return "FeatureStore[version=%s, users=%d, items=%d]".formatted(version, userCount(), itemCount());
  }
}
