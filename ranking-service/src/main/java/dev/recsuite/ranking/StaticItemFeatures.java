package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.core.bundle.ItemFeatureMessages;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The static item features of one bundle version ({@value BundleFiles#CATALOG} joined with the item
 * rows of {@value BundleFiles#FEATURES}), as the {@code ItemFeatures} messages the feature service
 * serves for that version before any feedback: what the ranking service scores a candidate with
 * when the request does not carry the candidate's features. Immutable and thread-safe.
 *
 * <p>Every message is built once, when the bundle version loads, and dropped with it: a lookup is a
 * hash-map read returning a shared message, so a request allocates no feature message. Each item's
 * part of the {@link RankingFeatures} (its interaction count's logarithm, its genres numbered per
 * bundle version) is computed at load too, so that scoring a candidate needs neither. The
 * feedback-driven part of the feature service's item features ({@code trending}) is not here; it is
 * not a ranking feature.
 */
public final class StaticItemFeatures {

  private static final StaticItemFeatures EMPTY =
      new StaticItemFeatures(Map.of(), ItemFeatures.newBuilder().setKnown(false).build(), Map.of(), Map.of());

  private final Map<String, ItemFeatures> items;
  private final ItemFeatures unknown;
  /**
   * The {@link RankingFeatures} parts of every item, computed once per bundle version; a map of its
   * own so that scoring a candidate reads one map entry and one small object.
   */
  private final Map<String, RankingFeatures.StaticItem> features;
  /** Each genre of the catalogue numbered {@code 0 .. size)}, for {@link RankingFeatures.RequestUser}. */
  private final Map<String, Integer> genreNumbers;

  private StaticItemFeatures(
      Map<String, ItemFeatures> items,
      ItemFeatures unknown,
      Map<String, RankingFeatures.StaticItem> features,
      Map<String, Integer> genreNumbers) {
    this.items = items;
    this.unknown = unknown;
    this.features = features;
    this.genreNumbers = genreNumbers;
  }

  /**
   * A table that knows no item: every lookup answers the defaults with {@code known = false}, which
   * {@link RankingFeatures} scores exactly like a candidate without features.
   */
  public static StaticItemFeatures empty() {
    return EMPTY;
  }

  /**
   * Loads the item features of a verified bundle.
   *
   * @throws InvalidBundleException naming the bundle and the file if {@value BundleFiles#CATALOG}
   *     or {@value BundleFiles#FEATURES} is missing or does not parse, if the feature table does not
   *     have one item row per catalogue item, or if an item id occurs twice
   */
  public static StaticItemFeatures load(Bundle bundle) {
    Objects.requireNonNull(bundle, "bundle");
    ItemCatalog catalog = bundle.read(BundleFiles.CATALOG, ItemCatalog.parser());
    FeatureTables tables = bundle.read(BundleFiles.FEATURES, FeatureTables.parser());
    String prefix = "bundle " + bundle.directory() + " (version " + bundle.version() + "): ";
    return of(catalog, tables, problem -> new InvalidBundleException(prefix + problem));
  }

  /**
   * Builds the table from a catalogue and its feature tables.
   *
   * @throws IllegalArgumentException if the tables do not have one item row per catalogue item, or
   *     if an item id occurs twice (the message names the bundle file)
   * @throws NullPointerException if an argument is null
   */
  public static StaticItemFeatures of(ItemCatalog catalog, FeatureTables tables) {
    return of(
        Objects.requireNonNull(catalog, "catalog"),
        Objects.requireNonNull(tables, "tables"),
        IllegalArgumentException::new);
  }

  private static StaticItemFeatures of(
      ItemCatalog catalog, FeatureTables tables, Function<String, RuntimeException> invalid) {
    // Genre strings recur across thousands of items: one shared instance each.
    Map<String, String> pool = new HashMap<>();
    Map<String, ItemFeatures> items =
        ItemFeatureMessages.build(catalog, tables, genre -> pool.computeIfAbsent(genre, Function.identity()), invalid);
    Map<String, Integer> genreNumbers = new HashMap<>();
    Map<String, RankingFeatures.StaticItem> features = HashMap.newHashMap(items.size());
    for (Map.Entry<String, ItemFeatures> item : items.entrySet()) {
      features.put(
          item.getKey(),
          RankingFeatures.StaticItem.of(
              item.getValue(), genre -> genreNumbers.computeIfAbsent(genre, g -> genreNumbers.size())));
    }
    float globalMean = tables.getGlobalMeanRating();
    ItemFeatures unknown =
        ItemFeatures.newBuilder().setKnown(false).setMeanRating(globalMean).setShrunkRating(globalMean).build();
    return new StaticItemFeatures(
        Collections.unmodifiableMap(items),
        unknown,
        Collections.unmodifiableMap(features),
        Collections.unmodifiableMap(genreNumbers));
  }

  /**
   * The features of {@code itemId}: the shared message of a known item, else the shared defaults
   * with {@code known = false} and an empty {@code item_id} (the ranking features do not read it).
   *
   * @throws NullPointerException if {@code itemId} is null
   */
  public ItemFeatures item(String itemId) {
    ItemFeatures known = items.get(Objects.requireNonNull(itemId, "itemId"));
    return known != null ? known : unknown;
  }

  /**
   * The {@link RankingFeatures} parts of {@link #item(String) item(itemId)}, computed when the
   * bundle version loaded.
   */
  RankingFeatures.StaticItem features(String itemId) {
    RankingFeatures.StaticItem known = features.get(itemId);
    return known != null ? known : RankingFeatures.StaticItem.UNKNOWN;
  }

  /** {@code user}'s part of the features of one request scored with this table. */
  RankingFeatures.RequestUser requestUser(UserFeatures user) {
    return new RankingFeatures.RequestUser(user, genreNumbers, genreNumbers.size());
  }

  /** Whether the bundle knows {@code itemId}. */
  public boolean knows(String itemId) {
    return items.containsKey(itemId);
  }

  /** Number of items the bundle knows. */
  public int size() {
    return items.size();
  }

  @Override
  public String toString() {
    return "StaticItemFeatures[" + items.size() + " items]";
  }
}
