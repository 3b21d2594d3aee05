package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStoreException;
import dev.recsuite.feedback.ItemActivity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The mutable counters of one item while a write batch is built, and their stored form. */
final class ItemStats {

  private static final byte FORMAT = 1;

  private final long[] counts = new long[EventType.values().length];
  private long lastEventMillis;
  private long ratingCount;
  private double ratingSum;
  private Popularity popularity = Popularity.NONE;

  void add(FeedbackEvent event, long halfLifeMillis) {
    counts[event.type().ordinal()]++;
    lastEventMillis = Math.max(lastEventMillis, event.timestampMillis());
    if (event.type() == EventType.RATING) {
      ratingCount++;
      ratingSum += event.value();
    }
    popularity = popularity.plus(event.type().popularityWeight(), event.timestampMillis(), halfLifeMillis);
  }

  ItemActivity toActivity(String itemId, long nowMillis, long halfLifeMillis) {
    Map<EventType, Long> byType = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      if (counts[type.ordinal()] > 0) {
        byType.put(type, counts[type.ordinal()]);
      }
    }
    return new ItemActivity(
        itemId, byType, ratingCount, ratingSum, popularity.at(nowMillis, halfLifeMillis), lastEventMillis, nowMillis);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(lastEventMillis);
      out.writeLong(ratingCount);
      out.writeDouble(ratingSum);
      out.writeDouble(popularity.score());
      out.writeLong(popularity.refMillis());
      StatsCodec.writeCounts(out, counts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ItemStats decode(byte[] data, Supplier<String> where) {
    ItemStats stats = new ItemStats();
    if (data == null) {
      return stats;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      StatsCodec.requireFormat(in.readByte(), FORMAT, where);
      stats.lastEventMillis = in.readLong();
      stats.ratingCount = in.readLong();
      stats.ratingSum = in.readDouble();
      stats.popularity = new Popularity(in.readDouble(), in.readLong());
      StatsCodec.readCounts(in, stats.counts);
    } catch (IOException | IllegalArgumentException e) {
      throw new FeedbackStoreException(where.get() + ": stored item counters do not decode: " + e.getMessage(), e);
    }
    return stats;
  }
}
