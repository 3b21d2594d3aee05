package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackStoreException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Supplier;

/** Counts by event type, stored by type name so that the enum may be reordered or extended. */
final class StatsCodec {

  private StatsCodec() {}

  static void writeCounts(DataOutputStream out, long[] counts) throws IOException {
    int nonZero = 0;
    for (long count : counts) {
      nonZero += count > 0 ? 1 : 0;
    }
    out.writeByte(nonZero);
    for (EventType type : EventType.values()) {
      if (counts[type.ordinal()] > 0) {
        out.writeUTF(type.name());
        out.writeLong(counts[type.ordinal()]);
      }
    }
  }

  static void readCounts(DataInputStream in, long[] counts) throws IOException {
    int entries = in.readUnsignedByte();
    for (int i = 0; i < entries; i++) {
      counts[EventType.valueOf(in.readUTF()).ordinal()] = in.readLong();
    }
  }

  static void requireFormat(byte format, byte expected, Supplier<String> where) {
    if (format != expected) {
      throw new FeedbackStoreException(where.get() + ": stored counters have format " + format + " (expected: " + expected + ")");
    }
  }
}
