package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStoreException;
import dev.recsuite.feedback.UserActivity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.TreeMap;

/** The mutable counters of one user while a write batch is built, and their stored form. */
final class UserStats {

  private static final byte FORMAT = 1;

  private final long[] counts = new long[EventType.values().length];
  private final TreeMap<String, Double> affinity = new TreeMap<>();
  private long lastEventMillis;
  private long ratingCount;
  private double ratingSum;

  void add(FeedbackEvent event, List<String> categories) {
    counts[event.type().ordinal()]++;
    lastEventMillis = Math.max(lastEventMillis, event.timestampMillis());
    if (event.type() == EventType.RATING) {
      ratingCount++;
      ratingSum += event.value();
    }
    for (String category : categories) {
      affinity.merge(category, event.type().weight(), Double::sum);
    }
  }

  UserActivity toActivity(String userId, List<String> recent, List<String> disliked) {
    Map<EventType, Long> byType = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      if (counts[type.ordinal()] > 0) {
        byType.put(type, counts[type.ordinal()]);
      }
    }
    return new UserActivity(userId, byType, recent, disliked, affinity, ratingCount, ratingSum, lastEventMillis);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(lastEventMillis);
      out.writeLong(ratingCount);
      out.writeDouble(ratingSum);
      StatsCodec.writeCounts(out, counts);
      out.writeInt(affinity.size());
      for (Map.Entry<String, Double> entry : affinity.entrySet()) {
        out.writeUTF(entry.getKey());
        out.writeDouble(entry.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static UserStats decode(byte[] data, Supplier<String> where) {
    UserStats stats = new UserStats();
    if (data == null) {
      return stats;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      StatsCodec.requireFormat(in.readByte(), FORMAT, where);
      stats.lastEventMillis = in.readLong();
      stats.ratingCount = in.readLong();
      stats.ratingSum = in.readDouble();
      StatsCodec.readCounts(in, stats.counts);
      int categories = in.readInt();
      for (int i = 0; i < categories; i++) {
        stats.affinity.put(in.readUTF(), in.readDouble());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new FeedbackStoreException(where.get() + ": stored user counters do not decode: " + e.getMessage(), e);
    }
    return stats;
  }
}
