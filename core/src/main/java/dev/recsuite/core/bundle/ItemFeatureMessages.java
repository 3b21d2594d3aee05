package dev.recsuite.core.bundle;

import dev.recsuite.bundle.v1.CatalogItem;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.ItemFeatureRow;
import dev.recsuite.feature.v1.ItemFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The static features of a bundle's items as the {@code ItemFeatures} messages the services serve
 * and score with: one per catalogue item, {@code known = true}, from the catalogue (title, genres,
 * year) and the feature tables (counts, popularity, ratings). The feature service answers them
 * and the ranking service scores with them, so both build them here, field for field the same.
 */
public final class ItemFeatureMessages {

  private ItemFeatureMessages() {}

  /**
   * Builds the message of every item, by item id.
   *
   * @param intern shares one instance of strings that recur across items (genres)
   * @param invalid makes the exception for a problem of the bundle (the message names the file)
   * @throws RuntimeException from {@code invalid} if the tables do not have one item row per
   *     catalogue item, or an item id occurs twice
   */
  public static Map<String, ItemFeatures> build(
      ItemCatalog catalog,
      FeatureTables tables,
      Function<String, String> intern,
      Function<String, RuntimeException> invalid) {
    int count = catalog.getItemsCount();
    if (tables.getItemsCount() != count) {
      throw invalid.apply(
          "%s: %d item rows (expected: %d, one per item of %s)"
              .formatted(BundleFiles.FEATURES, tables.getItemsCount(), count, BundleFiles.CATALOG));
    }
    Map<String, ItemFeatures> items = HashMap.newHashMap(count);
    for (int i = 0; i < count; i++) {
      CatalogItem item = catalog.getItems(i);
      ItemFeatureRow row = tables.getItems(i);
      List<String> genres = new ArrayList<>(item.getGenresCount());
      for (String genre : item.getGenresList()) {
        genres.add(intern.apply(genre));
      }
      ItemFeatures message =
          ItemFeatures.newBuilder()
              .setItemId(item.getId())
              .setKnown(true)
              .setTitle(item.getTitle())
              .addAllGenres(genres)
              .setYear(item.getYear())
              .setInteractionCount(row.getInteractionCount())
              .setPopularity(row.getPopularity())
              .setMeanRating(row.getMeanRating())
              .setShrunkRating(row.getShrunkRating())
              .build();
      if (items.put(item.getId(), message) != null) {
        throw invalid.apply(
            "%s: duplicate item id '%s' at position %d".formatted(BundleFiles.CATALOG, item.getId(), i));
      }
    }
    return items;
  }
}
