package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of an event, the same in both stores: a format byte, then the fields with
 * {@link DataOutputStream}'s encodings (strings as modified UTF-8, the type by name so that the
 * enum may be reordered). Every field of an event fits: ids and context are bounded far below the
 * 65,535-byte limit of a string.
 */
public final class EventCodec {

  private static final byte FORMAT = 1;

  private EventCodec() {}

  /** Encodes an event. */
  public static byte[] encode(FeedbackEvent event) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + event.eventId().length() * 3);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(event.eventId());
      out.writeUTF(event.userId());
      out.writeUTF(event.itemId());
      out.writeUTF(event.type().name());
      out.writeDouble(event.value());
      out.writeLong(event.timestampMillis());
      out.writeByte(event.context().size());
      for (Map.Entry<String, String> entry : event.context().entrySet()) {
        out.writeUTF(entry.getKey());
        out.writeUTF(entry.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes what {@link #encode} wrote.
   *
   * @param where the store and key, for the message of a corrupt value
   * @throws FeedbackStoreException if the bytes are not an encoded event
   */
  public static FeedbackEvent decode(byte[] data, String where) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new FeedbackStoreException(where + ": stored event has format " + format + " (expected: " + FORMAT + ")");
      }
      String eventId = in.readUTF();
      String userId = in.readUTF();
      String itemId = in.readUTF();
      EventType type = EventType.valueOf(in.readUTF());
      double value = in.readDouble();
      long timestamp = in.readLong();
      int contextSize = in.readUnsignedByte();
      Map<String, String> context = new LinkedHashMap<>();
      for (int i = 0; i < contextSize; i++) {
        context.put(in.readUTF(), in.readUTF());
      }
      return new FeedbackEvent(eventId, userId, itemId, type, value, timestamp, context);
    } catch (IOException | IllegalArgumentException e) {
      throw new FeedbackStoreException(where + ": stored event does not decode: " + e.getMessage(), e);
    }
  }
}
