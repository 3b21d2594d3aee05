package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.ItemCategories;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Applies the documented limits of {@link ItemCategories} to what a resolver returns. */
public final class Categories {

  private Categories() {}

  /** The usable categories of {@code itemId}: distinct, valid, at most {@link ItemCategories#MAX_CATEGORIES}. */
  public static List<String> of(ItemCategories resolver, String itemId) {
    List<String> raw = resolver.categoriesOf(itemId);
    if (raw == null || raw.isEmpty()) {
      return List.of();
    }
    Set<String> kept = new LinkedHashSet<>();
    for (String name : raw) {
      if (kept.size() == ItemCategories.MAX_CATEGORIES) {
        break;
      }
      if (name != null
          && !name.isEmpty()
          && name.length() <= ItemCategories.MAX_CATEGORY_LENGTH
          && Text.firstControl(name, false) < 0) {
        kept.add(name);
      }
    }
    return new ArrayList<>(kept);
  }
}
