package dev.recsuite.feedback;

import java.util.List;

/**
 * Resolves the categories (genres) of an item when one of its events is stored, for a user's
 * {@link UserActivity#categoryAffinity() category affinity}. A service passes a view of its current
 * catalogue; it must be fast and thread-safe, and must not throw. Unknown items have no categories.
 *
 * <p>Of the names returned, empty ones, ones longer than {@value #MAX_CATEGORY_LENGTH} characters
 * or holding a control character, and all beyond the first {@value #MAX_CATEGORIES} are ignored:
 * the catalogue is trusted data, and a bad entry in it must not reject a client's feedback.
 */
@FunctionalInterface
public interface ItemCategories {

  /** The most categories of one item that count. */
  int MAX_CATEGORIES = 32;

  /** The longest category name that counts. */
  int MAX_CATEGORY_LENGTH = 64;

  /** Resolves no categories: affinities stay empty. */
  ItemCategories NONE = itemId -> List.of();

  /** The categories of {@code itemId}; an empty list when it has none or is unknown. */
  List<String> categoriesOf(String itemId);
}
