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
 * <p>Items are addressed by external id ({@link #item(String)}) or by dense id, their position in
 * the catalogue ({@link #item(int)}, {@link #id(int)}, {@code 0 .. size())}), which is how
 * candidates sent in columns name them. Every message is built once, when the bundle version loads,
 * and dropped with it: a lookup is a hash-map read by id, or an array read by dense id, returning a
 * shared message, so a request allocates no feature message. Each item's part of the {@link
 * RankingFeatures} (its interaction count's logarithm, its genres numbered per bundle version) is
 * computed at load too, so that scoring a candidate needs neither. The feedback-driven part of the
 * feature service's item features ({@code trending}) is not here; it is not a ranking feature.
 */
public final class StaticItemFeatures {

  private static final StaticItemFeatures EMPTY =
      new StaticItemFeatures(
          Map.of(),
          new String[0],
          new ItemFeatures[0],
          new RankingFeatures.StaticItem[0],
          ItemFeatures.newBuilder().setKnown(false).build(),
          Map.of());

  /** Each item's dense id (catalogue position) by external id. */
  private final Map<String, Integer> positions;
  /** By dense id: the external ids, the messages and their {@link RankingFeatures} parts. */
  private final String[] ids;
  private final ItemFeatures[] messages;
  private final RankingFeatures.StaticItem[] features;
  private final ItemFeatures unknown;
  /** Each genre of the catalogue numbered {@code 0 .. size)}, for {@link RankingFeatures.RequestUser}. */
  private final Map<String, Integer> genreNumbers;

  private StaticItemFeatures(
      Map<String, Integer> positions,
      String[] ids,
      ItemFeatures[] messages,
      RankingFeatures.StaticItem[] features,
      ItemFeatures unknown,
      Map<String, Integer> genreNumbers) {
    this.positions = positions;
    this.ids = ids;
    this.messages = messages;
    this.features = features;
    this.unknown = unknown;
    this.genreNumbers = genreNumbers;
  }

  /**
   * A table that knows no item: every lookup by id answers the defaults with {@code known = false},
   * which {@link RankingFeatures} scores exactly like a candidate without features.
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
    // Validates the tables (one row per catalogue item, ids unique), so that the catalogue position
    // of each id is its dense id.
    Map<String, ItemFeatures> byId =
        ItemFeatureMessages.build(catalog, tables, genre -> pool.computeIfAbsent(genre, Function.identity()), invalid);
    int count = catalog.getItemsCount();
    Map<String, Integer> positions = HashMap.newHashMap(count);
    String[] ids = new String[count];
    ItemFeatures[] messages = new ItemFeatures[count];
    RankingFeatures.StaticItem[] features = new RankingFeatures.StaticItem[count];
    Map<String, Integer> genreNumbers = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String id = catalog.getItems(i).getId();
      ItemFeatures message = byId.get(id);
      positions.put(id, i);
      ids[i] = id;
      messages[i] = message;
      features[i] =
          RankingFeatures.StaticItem.of(message, genre -> genreNumbers.computeIfAbsent(genre, g -> genreNumbers.size()));
    }
    float globalMean = tables.getGlobalMeanRating();
    ItemFeatures unknown =
        ItemFeatures.newBuilder().setKnown(false).setMeanRating(globalMean).setShrunkRating(globalMean).build();
    return new StaticItemFeatures(
        Collections.unmodifiableMap(positions),
        ids,
        messages,
        features,
        unknown,
        Collections.unmodifiableMap(genreNumbers));
  }

  /**
   * The features of {@code itemId}: the shared message of a known item, else the shared defaults
   * with {@code known = false} and an empty {@code item_id} (the ranking features do not read it).
   *
   * @throws NullPointerException if {@code itemId} is null
   */
  public ItemFeatures item(String itemId) {
    Integer known = positions.get(Objects.requireNonNull(itemId, "itemId"));
    return known != null ? messages[known] : unknown;
  }

  /**
   * The features of the item with dense id {@code item} (its catalogue position): a shared message.
   *
   * @throws IndexOutOfBoundsException if {@code item} is not in {@code 0 .. size())}
   */
  public ItemFeatures item(int item) {
    return messages[Objects.checkIndex(item, messages.length)];
  }

  /**
   * The external id of the item with dense id {@code item} (its catalogue position).
   *
   * @throws IndexOutOfBoundsException if {@code item} is not in {@code 0 .. size())}
   */
  public String id(int item) {
    return ids[Objects.checkIndex(item, ids.length)];
  }

  /**
   * The {@link RankingFeatures} parts of {@link #item(String) item(itemId)}, computed when the
   * bundle version loaded.
   */
  RankingFeatures.StaticItem features(String itemId) {
    Integer known = positions.get(itemId);
    return known != null ? features[known] : RankingFeatures.StaticItem.UNKNOWN;
  }

  /**
   * The {@link RankingFeatures} parts of {@link #item(int) item(item)}.
   *
   * @throws ArrayIndexOutOfBoundsException if {@code item} is not in {@code 0 .. size())}
   */
  RankingFeatures.StaticItem features(int item) {
    return features[item];
  }

  /** {@code user}'s part of the features of one request scored with this table. */
  RankingFeatures.RequestUser requestUser(UserFeatures user) {
    return new RankingFeatures.RequestUser(user, genreNumbers, genreNumbers.size());
  }

  /** Whether the bundle knows {@code itemId}. */
  public boolean knows(String itemId) {
    return positions.containsKey(itemId);
  }

  /** Number of items the bundle knows: its catalogue's size, so dense ids are {@code 0 .. size())}. */
  public int size() {
    return ids.length;
  }

  @Override
  public String toString() {
    return "StaticItemFeatures[" + ids.length + " items]";
  }
}
