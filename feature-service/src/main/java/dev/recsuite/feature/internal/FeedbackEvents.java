package dev.recsuite.feature.internal;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.recsuite.common.v1.FeedbackOutcome;
import dev.recsuite.feedback.AppendOutcome;
import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreException;
import dev.recsuite.feedback.InvalidFeedbackException;
import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.UnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the wire's {@code dev.recsuite.common.v1.FeedbackEvent} batch into the store's events and
 * writes it, mapping the store's exceptions to the shared exception table: every {@link
 * InvalidFeedbackException} becomes an {@link InvalidArgumentException} naming the proto field of
 * the event ({@code events[3].timestamp}), a {@link FeedbackStoreException} an {@link
 * UnavailableException} (the batch may or may not be stored; a retry with the same ids is safe).
 */
public final class FeedbackEvents {

  /** The expected values of {@code type}, for messages. */
  static final String TYPES = "1..8, EVENT_TYPE_VIEW to EVENT_TYPE_DISLIKE";

  private static final String PROTO_TYPE_PREFIX = "EVENT_TYPE_";

  private FeedbackEvents() {}

  /**
   * Checks the batch's size and converts every event; an event without a timestamp gets {@code
   * clock}'s time.
   *
   * @throws InvalidArgumentException naming {@code events} for an empty or oversized batch, or
   *     {@code events[i].<field>} for the first invalid event (unset or unknown type, bad id,
   *     rating value, timestamp, context)
   */
  public static List<FeedbackEvent> toStore(List<dev.recsuite.common.v1.FeedbackEvent> events, Clock clock) {
    if (events.isEmpty()) {
      throw new InvalidArgumentException(
          "events", "must not be empty (expected: 1.." + FeedbackStore.MAX_BATCH + " events)");
    }
    if (events.size() > FeedbackStore.MAX_BATCH) {
      throw new InvalidArgumentException(
          "events", events.size() + " events (expected: at most " + FeedbackStore.MAX_BATCH + ")");
    }
    long now = clock.millis();
    List<FeedbackEvent> converted = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      converted.add(toStore(i, events.get(i), now));
    }
    return converted;
  }

  private static FeedbackEvent toStore(int index, dev.recsuite.common.v1.FeedbackEvent event, long now) {
    String prefix = "events[" + index + "].";
    EventType type = type(prefix, event);
    long millis = now;
    if (event.hasTimestamp()) {
      Timestamp timestamp = event.getTimestamp();
      if (!Timestamps.isValid(timestamp)) {
        throw new InvalidArgumentException(
            prefix + "timestamp",
            "seconds " + timestamp.getSeconds() + ", nanos " + timestamp.getNanos()
                + " (expected: a valid google.protobuf.Timestamp, 0001-01-01 to 9999-12-31)");
      }
      millis = Timestamps.toMillis(timestamp);
    }
    try {
      return new FeedbackEvent(
          event.getEventId(),
          event.getUserId(),
          event.getItemId(),
          type,
          event.getValue(),
          millis,
          event.getContextMap());
    } catch (InvalidFeedbackException e) {
      throw new InvalidArgumentException(prefix + protoField(e.field()), e.problem());
    }
  }

  private static EventType type(String prefix, dev.recsuite.common.v1.FeedbackEvent event) {
    dev.recsuite.common.v1.EventType type = event.getType();
    return switch (type) {
      case EVENT_TYPE_UNSPECIFIED ->
          throw new InvalidArgumentException(prefix + "type", "must be set (expected: " + TYPES + ")");
      case UNRECOGNIZED ->
          throw new InvalidArgumentException(
              prefix + "type", event.getTypeValue() + " is not an event type (expected: " + TYPES + ")");
      default -> EventType.valueOf(type.name().substring(PROTO_TYPE_PREFIX.length()));
    };
  }

  /**
   * Writes the batch.
   *
   * @throws InvalidArgumentException naming {@code events[i].<field>} when the store rejects an
   *     event (a timestamp too far in the future or the past); nothing was written
   * @throws UnavailableException when the store failed or is closed; the batch may or may not be
   *     stored, and retrying it with the same event ids is safe
   */
  public static List<AppendOutcome> append(FeedbackStore store, List<FeedbackEvent> events) {
    try {
      return store.append(events);
    } catch (InvalidFeedbackException e) {
      String field;
      if (e.index().isPresent()) {
        String name = protoField(e.field());
        field = "events[" + e.index().getAsInt() + "]" + (name.isEmpty() ? "" : "." + name);
      } else {
        field = "batch".equals(e.field()) ? "events" : protoField(e.field());
      }
      throw new InvalidArgumentException(field, e.problem());
    } catch (FeedbackStoreException e) {
      throw new UnavailableException(
          "feedback store failed: " + e.getMessage()
              + " (the batch may or may not be stored; retrying it with the same event ids is safe)",
          e);
    } catch (IllegalStateException e) {
      throw new UnavailableException("the feedback store is closed (the feature service is stopping)", e);
    }
  }

  /** The wire's outcome of a store outcome. */
  public static FeedbackOutcome outcome(AppendOutcome outcome) {
    return switch (outcome) {
      case STORED -> FeedbackOutcome.FEEDBACK_OUTCOME_STORED;
      case DUPLICATE -> FeedbackOutcome.FEEDBACK_OUTCOME_DUPLICATE;
    };
  }

  /** The proto field of a store field: {@code userId} → {@code user_id}. */
  static String protoField(String storeField) {
    return switch (storeField) {
      case "eventId" -> "event_id";
      case "userId" -> "user_id";
      case "itemId" -> "item_id";
      case "timestampMillis" -> "timestamp";
      case "" -> "";
      default -> storeField; // type, value, context, context["key"]
    };
  }
}
