package dev.recsuite.recall.internal;

import java.util.Arrays;

/**
 * Dense slots {@code 0..size()-1} for distinct {@code int} keys (item or term ids), in the order
 * they first appear: an open-addressing table sized once for a bound on the distinct keys, so that
 * a request sums values per key in plain arrays indexed by slot, with no boxing, nothing allocated
 * per key, and memory in proportion to what the request touches rather than to the catalogue or
 * its vocabulary (whose arrays would be allocated and cleared per request).
 */
final class IntSlots {

  private final int[] table;
  private final int[] keys;
  private int size;

  /** Room for up to {@code maxKeys} distinct keys (the load factor stays at most 1/2). */
  IntSlots(int maxKeys) {
    int capacity = Integer.highestOneBit(Math.max(2, maxKeys) * 2 - 1) << 1;
    table = new int[capacity];
    Arrays.fill(table, -1);
    keys = new int[maxKeys];
  }

  /** The slot of {@code key}, a new one (the next index) the first time the key is seen. */
  int slot(int key) {
    int mask = table.length - 1;
    int bucket = mix(key) & mask;
    while (table[bucket] >= 0 && keys[table[bucket]] != key) {
      bucket = (bucket + 1) & mask;
    }
    int slot = table[bucket];
    if (slot < 0) {
      slot = size++;
      table[bucket] = slot;
      keys[slot] = key;
    }
    return slot;
  }

  /** The number of distinct keys seen. */
  int size() {
    return size;
  }

  /** The key of {@code slot}. */
  int key(int slot) {
    return keys[slot];
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
