package dev.recsuite.feature.internal;

import dev.recsuite.bundle.v1.DirectoryUser;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.bundle.v1.UserFeatureRow;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.ItemFeatureMessages;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Joins the catalogue, the user directory and the feature tables into the messages the service
 * answers with. Every check and every field mapping lives here, so a store loaded from a bundle and
 * one built in-process by the trainer serve the same bytes.
 *
 * @param items served item messages by external id
 * @param users served user messages by external id
 * @param unknownItem the defaults for an unknown item, without its id
 * @param unknownUser the defaults for an unknown user, without its id
 * @param globalMeanRating the mean of all training ratings
 * @param recentWindow the recent-items window of the tables
 */
public record FeatureMessages(
    Map<String, ItemFeatures> items,
    Map<String, UserFeatures> users,
    ItemFeatures unknownItem,
    UserFeatures unknownUser,
    float globalMeanRating,
    int recentWindow) {

  /**
   * Builds every message.
   *
   * @param invalid turns a description of an inconsistency (which names the table's file) into the
   *     exception to throw
   * @throws RuntimeException made by {@code invalid} if the tables disagree in length, an id is
   *     duplicated or a recent item is out of range
   */
  public static FeatureMessages build(
      ItemCatalog catalog,
      UserDirectory directory,
      FeatureTables tables,
      Function<String, RuntimeException> invalid) {
    if (tables.getUsersCount() != directory.getUsersCount()) {
      throw invalid.apply(
          "%s: %d user rows (expected: %d, one per user of %s)"
              .formatted(
                  BundleFiles.FEATURES,
                  tables.getUsersCount(),
                  directory.getUsersCount(),
                  BundleFiles.USERS));
    }
    float globalMean = tables.getGlobalMeanRating();
    // The same genre, attribute and id strings recur across thousands of messages; sharing one
    // instance of each keeps the prebuilt messages close to the size of the parsed tables.
    Map<String, String> pool = new HashMap<>();
    Function<String, String> intern = s -> pool.computeIfAbsent(s, Function.identity());

    Map<String, ItemFeatures> items = ItemFeatureMessages.build(catalog, tables, intern, invalid);
    int itemCount = catalog.getItemsCount();
    String[] itemIds = new String[itemCount];
    for (int i = 0; i < itemCount; i++) {
      itemIds[i] = catalog.getItems(i).getId();
    }

    int userCount = directory.getUsersCount();
    Map<String, UserFeatures> users = HashMap.newHashMap(userCount);
    for (int u = 0; u < userCount; u++) {
      DirectoryUser user = directory.getUsers(u);
      UserFeatureRow row = tables.getUsers(u);
      UserFeatures.Builder message =
          UserFeatures.newBuilder()
              .setUserId(user.getId())
              .setKnown(true)
              .setInteractionCount(row.getInteractionCount())
              .setMeanRating(row.getMeanRating())
              .setRatingStddev(row.getRatingStddev())
              .setMeanItemYear(row.getMeanItemYear());
      // Sorted maps make the served bytes deterministic whatever order the tables used.
      sorted(row.getGenreAffinityMap())
          .forEach((genre, share) -> message.putGenreAffinity(intern.apply(genre), share));
      sorted(user.getAttributesMap())
          .forEach((key, value) -> message.putAttributes(intern.apply(key), intern.apply(value)));
      for (int k = 0; k < row.getRecentItemsCount(); k++) {
        int item = row.getRecentItems(k);
        if (item < 0 || item >= itemCount) {
          throw invalid.apply(
              "%s: user row %d ('%s') names recent item %d (expected: in [0, %d), the items of %s)"
                  .formatted(BundleFiles.FEATURES, u, user.getId(), item, itemCount, BundleFiles.CATALOG));
        }
        message.addRecentItemIds(itemIds[item]);
      }
      if (users.put(user.getId(), message.build()) != null) {
        throw invalid.apply(
            "%s: duplicate user id '%s' at position %d".formatted(BundleFiles.USERS, user.getId(), u));
      }
    }

    ItemFeatures unknownItem =
        ItemFeatures.newBuilder()
            .setKnown(false)
            .setMeanRating(globalMean)
            .setShrunkRating(globalMean)
            .build();
    UserFeatures unknownUser =
        UserFeatures.newBuilder().setKnown(false).setMeanRating(globalMean).build();
    return new FeatureMessages(
        Collections.unmodifiableMap(items),
        Collections.unmodifiableMap(users),
        unknownItem,
        unknownUser,
        globalMean,
        tables.getRecentWindow());
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    Map<String, V> sorted = new LinkedHashMap<>();
    map.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }
}
