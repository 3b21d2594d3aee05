package dev.recsuite.feature.internal;

import dev.recsuite.feature.FeatureStore;
import dev.recsuite.feedback.ItemCategories;
import dev.recsuite.grpc.bundles.ServedBundles;
import java.util.List;
import java.util.Objects;

/**
 * The genres of an item in the newest bundle the service serves, for the feedback store's
 * per-user genre affinity: resolved when an event is stored, so an event counts for the genres its
 * item had then. Unknown items, and any failure (no bundle loaded yet, the service stopping), have
 * no genres: a catalogue problem must never reject a client's feedback.
 */
public final class CatalogueGenres implements ItemCategories {

  private final ServedBundles<FeatureStore> bundles;

  public CatalogueGenres(ServedBundles<FeatureStore> bundles) {
    this.bundles = Objects.requireNonNull(bundles, "bundles");
  }

  @Override
  public List<String> categoriesOf(String itemId) {
    try (ServedBundles.Lease<FeatureStore> lease = bundles.acquire("")) {
      FeatureStore store = lease.model();
      return store.hasItem(itemId) ? store.item(itemId).getGenresList() : List.of();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
