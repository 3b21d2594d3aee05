package dev.recsuite.feedback.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One user's bounded window of items (recent or disliked) while a write batch is built: each item
 * once with its latest time, the newest {@code limit} kept. Loaded whole (it is bounded), updated
 * in memory, and written back as the difference of keys.
 *
 * <p>Trimming once after all additions gives the same window as trimming after each (as the Redis
 * script does): the time of the window's oldest member only grows, so an item trimmed out could
 * never have come back.
 */
final class Window {

  /** Newest first; equal times by id in UTF-8 byte order, as a bytewise key scan returns them. */
  private static final Comparator<Map.Entry<String, Entry>> ORDER =
      Comparator.<Map.Entry<String, Entry>>comparingLong(e -> -e.getValue().timestamp())
          .thenComparing((a, b) -> Arrays.compareUnsigned(a.getValue().id(), b.getValue().id()));

  private record Entry(long timestamp, byte[] id) {}

  private final byte[] prefix;
  private final Map<String, Long> stored = new HashMap<>();
  private final Map<String, Entry> current = new HashMap<>();

  Window(byte[] prefix) {
    this.prefix = prefix;
  }

  /** Adds an entry read from storage. */
  void load(String itemId, long timestampMillis) {
    stored.put(itemId, timestampMillis);
    current.put(itemId, new Entry(timestampMillis, RocksKeys.utf8(itemId)));
  }

  /** Records an event on {@code itemId} at {@code timestampMillis}; keeps the later time. */
  void add(String itemId, long timestampMillis) {
    Entry old = current.get(itemId);
    if (old == null || timestampMillis > old.timestamp()) {
      current.put(itemId, new Entry(timestampMillis, old == null ? RocksKeys.utf8(itemId) : old.id()));
    }
  }

  /** Keeps the newest {@code limit} items and adds the changed keys to {@code batch}. */
  void trimAndWrite(int limit, WriteBatch batch) throws RocksDBException {
    List<Map.Entry<String, Entry>> ordered = new ArrayList<>(current.entrySet());
    ordered.sort(ORDER);
    Map<String, Long> kept = new HashMap<>();
    for (int i = 0; i < Math.min(limit, ordered.size()); i++) {
      Map.Entry<String, Entry> e = ordered.get(i);
      kept.put(e.getKey(), e.getValue().timestamp());
    }
    for (Map.Entry<String, Long> old : stored.entrySet()) {
      if (!old.getValue().equals(kept.get(old.getKey()))) {
        batch.delete(RocksKeys.userTimed(prefix, old.getValue(), RocksKeys.utf8(old.getKey())));
      }
    }
    for (Map.Entry<String, Long> now : kept.entrySet()) {
      if (!now.getValue().equals(stored.get(now.getKey()))) {
        batch.put(RocksKeys.userTimed(prefix, now.getValue(), current.get(now.getKey()).id()), RocksKeys.EMPTY);
      }
    }
  }
}
