package dev.recsuite.core.data;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * A user with static attributes.
 *
 * @param id external id, never blank
 * @param attributes attributes such as age, gender, occupation, sorted by name; possibly empty
 */
public record User(String id, Map<String, String> attributes) {

  public User {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id: blank (expected: a non-blank external id)");
    }
    // Sorted, so that iteration (and anything printed or serialised from it) is stable across runs.
    attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }

  /** A user known only by its id. */
  public static User bare(String id) {
    return new User(id, Map.of());
  }
}
