package dev.recsuite.feedback.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key layout of the embedded store: one key space (RocksDB's default column family, compared
 * bytewise), each kind of key starting with a tag byte. Per-user keys carry the user id with a
 * two-byte length before it, so that one user's keys form a contiguous range no other user's id
 * can fall into ("u1" and "u10" differ in their length byte). Times are 8-byte big-endian; in
 * per-user keys they are stored as {@code Long.MAX_VALUE − timestamp}, so that a forward scan
 * yields the newest first, and equal times order by the id that follows (UTF-8 bytes, ascending).
 *
 * <pre>
 * E eventId                                  → encoded event ({@link EventCodec}); also the de-duplication key
 * T ts(8) eventId                            → empty: every event in time order, for export
 * H len(2) userId revTs(8) eventId           → empty: the user's events, newest first
 * R len(2) userId revTs(8) itemId            → empty: the recent-items window (one key per item)
 * D len(2) userId revTs(8) itemId            → empty: the disliked-items window
 * U userId                                   → user counters ({@link UserStats})
 * I itemId                                   → item counters and popularity ({@link ItemStats})
 * M count                                    → the number of stored events, 8 bytes
 * </pre>
 */
final class RocksKeys {

  static final byte EVENT = 'E';
  static final byte TIME = 'T';
  static final byte HISTORY = 'H';
  static final byte RECENT = 'R';
  static final byte DISLIKED = 'D';
  static final byte USER = 'U';
  static final byte ITEM = 'I';

  static final byte[] COUNT = {'M', 'c', 'o', 'u', 'n', 't'};
  static final byte[] EMPTY = new byte[0];

  private RocksKeys() {}

  static byte[] event(String eventId) {
    return tagged(EVENT, utf8(eventId));
  }

  static byte[] user(String userId) {
    return tagged(USER, utf8(userId));
  }

  static byte[] item(String itemId) {
    return tagged(ITEM, utf8(itemId));
  }

  static byte[] time(long timestampMillis, String eventId) {
    byte[] id = utf8(eventId);
    return ByteBuffer.allocate(1 + 8 + id.length).put(TIME).putLong(timestampMillis).put(id).array();
  }

  /** The first key of the time index at or after {@code timestampMillis}. */
  static byte[] timeFrom(long timestampMillis) {
    return ByteBuffer.allocate(9).put(TIME).putLong(timestampMillis).array();
  }

  /** The event id of a time-index key. */
  static String eventIdOfTime(byte[] key) {
    return new String(key, 9, key.length - 9, StandardCharsets.UTF_8);
  }

  /** The timestamp of a time-index key. */
  static long timeOf(byte[] key) {
    return ByteBuffer.wrap(key, 1, 8).getLong();
  }

  /** The prefix of one user's keys of kind {@code tag} (HISTORY, RECENT or DISLIKED). */
  static byte[] userPrefix(byte tag, String userId) {
    byte[] user = utf8(userId);
    return ByteBuffer.allocate(3 + user.length).put(tag).putShort((short) user.length).put(user).array();
  }

  /** A per-user timed key: {@code prefix revTs id}. */
  static byte[] userTimed(byte[] prefix, long timestampMillis, byte[] id) {
    return ByteBuffer.allocate(prefix.length + 8 + id.length)
        .put(prefix)
        .putLong(Long.MAX_VALUE - timestampMillis)
        .put(id)
        .array();
  }

  /** The timestamp of a per-user timed key with the given prefix length. */
  static long timeOfUserTimed(byte[] key, int prefixLength) {
    return Long.MAX_VALUE - ByteBuffer.wrap(key, prefixLength, 8).getLong();
  }

  /** The id at the end of a per-user timed key with the given prefix length. */
  static String idOfUserTimed(byte[] key, int prefixLength) {
    int from = prefixLength + 8;
    return new String(key, from, key.length - from, StandardCharsets.UTF_8);
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}: an exclusive upper bound
   * for a prefix scan. Every prefix here starts with a tag byte below 0xFF, so one exists.
   */
  static byte[] upperBound(byte[] prefix) {
    byte[] bound = Arrays.copyOf(prefix, prefix.length);
    for (int i = bound.length - 1; i >= 0; i--) {
      if (bound[i] != (byte) 0xFF) {
        bound[i]++;
        return Arrays.copyOf(bound, i + 1);
      }
    }
    throw new IllegalArgumentException("prefix of 0xFF bytes only");
  }

  static byte[] longValue(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long longOf(byte[] value) {
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] tagged(byte tag, byte[] rest) {
    byte[] key = new byte[rest.length + 1];
    key[0] = tag;
    System.arraycopy(rest, 0, key, 1, rest.length);
    return key;
  }
}
