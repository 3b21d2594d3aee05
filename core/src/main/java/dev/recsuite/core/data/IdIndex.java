package dev.recsuite.core.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** An immutable two-way mapping between external string ids and dense ints {@code 0..size-1}. */
public final class IdIndex {

  private final List<String> ids;
  private final Map<String, Integer> positions;

  private IdIndex(List<String> ids) {
    this.ids = List.copyOf(ids);
    this.positions = HashMap.newHashMap(ids.size());
    for (int i = 0; i < this.ids.size(); i++) {
      if (positions.put(this.ids.get(i), i) != null) {
        throw new IllegalArgumentException("ids: duplicate id '" + this.ids.get(i) + "'");
      }
    }
  }

  /**
   * Indexes ids by position.
   *
   * @throws IllegalArgumentException if an id occurs twice
   */
  public static IdIndex of(List<String> ids) {
    return new IdIndex(ids);
  }

  /** The dense id of {@code id}, empty when unknown. */
  public OptionalInt find(String id) {
    Integer position = positions.get(id);
    return position == null ? OptionalInt.empty() : OptionalInt.of(position);
  }

  /** The dense id of {@code id}, or {@code -1} when unknown; for hot paths. */
  public int indexOf(String id) {
    Integer position = positions.get(id);
    return position == null ? -1 : position;
  }

  /** The external id of dense id {@code index}. */
  public String id(int index) {
    return ids.get(index);
  }

  public int size() {
    return ids.size();
  }

  /** External ids in dense-id order. */
  public List<String> ids() {
    return ids;
  }
}
