package dev.recsuite.core.data;

import java.util.List;
import java.util.Objects;

/**
 * An item of the catalogue.
 *
 * @param id external id, never blank
 * @param title display title; the id when the source has none
 * @param genres genres as the source spells them
 * @param year release year, 0 when unknown
 * @param tags free-form tags (user tags, keywords)
 */
public record Item(String id, String title, List<String> genres, int year, List<String> tags) {

  public Item {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id: blank (expected: a non-blank external id)");
    }
    title = title == null || title.isBlank() ? id : title;
    genres = List.copyOf(genres);
    tags = List.copyOf(tags);
    if (year < 0) {
      throw new IllegalArgumentException("year: " + year + " (expected: >= 0)");
    }
  }

  /** An item known only by its id, as when interactions name an item the catalogue lacks. */
  public static Item bare(String id) {
    return new Item(id, id, List.of(), 0, List.of());
  }
}
