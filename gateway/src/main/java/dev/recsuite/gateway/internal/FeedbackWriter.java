package dev.recsuite.gateway.internal;

import static dev.recsuite.grpc.RequestValidation.requireId;
import static dev.recsuite.grpc.RequestValidation.requireMapLimits;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.FeedbackOutcome;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.gateway.v1.StreamFeedbackRequest;
import dev.recsuite.gateway.v1.StreamFeedbackResponse;
import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.telemetry.Telemetry;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The write path of real-time feedback: checks a batch of events at the edge, gives events without
 * a timestamp the gateway's time, and writes the batch through the feature tier's {@code
 * RecordEvents} (which owns the feedback store), under the {@code FEEDBACK} downstream's own
 * breaker, bulkhead, timeout and retries.
 *
 * <p>What the gateway checks (each failure is {@code INVALID_ARGUMENT} naming the field, nothing is
 * sent): 1 to {@value #MAX_BATCH} events; ids (1 to 128 characters, no control characters); the
 * type set and known; a valid timestamp when one is given; the context's limits. The feature tier
 * checks the rest against its store (the rating value, timestamps too far in the future or the
 * past), and its {@code INVALID_ARGUMENT} is the client's problem, so it passes through unchanged.
 *
 * <p>Retries: an {@code UNAVAILABLE} attempt is retried on another replica within the hop (as for
 * reads); that is safe because the store is idempotent by event id. A write that still fails is
 * answered {@code UNAVAILABLE} (or {@code DEADLINE_EXCEEDED}) saying that the batch may or may not
 * be stored and that the client should retry it with the same event ids: a write is never dropped
 * silently, and never counted twice.
 */
public final class FeedbackWriter {

  /** The most events in one batch: the feedback store's batch limit. */
  public static final int MAX_BATCH = 1_000;
  /** Most context entries of an event. */
  public static final int MAX_CONTEXT_ENTRIES = 16;
  /** Longest context key. */
  public static final int MAX_CONTEXT_KEY_LENGTH = 64;
  /** Longest context value. */
  public static final int MAX_CONTEXT_VALUE_LENGTH = 256;

  static final String TYPES = "1..8, EVENT_TYPE_VIEW to EVENT_TYPE_DISLIKE";
  private static final String RETRY = "the batch may or may not be stored: retry it with the same event ids";
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  private static final Attributes STORED = Attributes.of(OUTCOME, "stored");
  private static final Attributes DUPLICATE = Attributes.of(OUTCOME, "duplicate");
  private static final AttributeKey<Long> EVENTS = AttributeKey.longKey("recsuite.feedback.events");
  /** How long past the hop's deadline a write waits for its future: the call ends at the deadline. */
  private static final long AWAIT_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Downstreams stubs;
  private final DownstreamCaller caller;
  private final TimeBudget budget;
  private final Duration timeout;
  private final Clock clock;
  private final LongCounter recorded;

  /**
   * @param stubs the feature tier's stub
   * @param caller the {@code FEEDBACK} downstream's caller
   * @param budget how much of a deadline a write may use
   * @param timeout the longest one write may take
   * @param clock the time given to events without a timestamp
   */
  public FeedbackWriter(
      Downstreams stubs,
      DownstreamCaller caller,
      TimeBudget budget,
      Duration timeout,
      Clock clock,
      Telemetry telemetry) {
    this.stubs = Objects.requireNonNull(stubs, "stubs");
    this.caller = Objects.requireNonNull(caller, "caller");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.recorded =
        telemetry
            .meter("dev.recsuite.gateway")
            .counterBuilder("recsuite.gateway.feedback.events")
            .setDescription("Feedback events acknowledged by RecordFeedback and StreamFeedback, by outcome (stored, duplicate).")
            .setUnit("{event}")
            .build();
  }

  /**
   * Checks and writes one batch; one outcome per event, in order.
   *
   * @param field the batch's field for messages: {@code "events"}, or {@code
   *     "requests[3].events"} in a stream
   * @param deadline the write ends by it (and by {@code now + timeout})
   * @throws InvalidArgumentException naming {@code <field>} or {@code <field>[i].<name>} when the
   *     batch is invalid; nothing was sent
   * @throws StatusRuntimeException {@code INVALID_ARGUMENT} or {@code FAILED_PRECONDITION} from the
   *     feature tier (prefixed for a stream), {@code RESOURCE_EXHAUSTED} when the feedback bulkhead
   *     is full, {@code DEADLINE_EXCEEDED} or {@code UNAVAILABLE} when the write failed (the batch
   *     may or may not be stored; retrying it with the same ids is safe), {@code CANCELLED} when
   *     the caller went away
   */
  public List<FeedbackOutcome> record(List<FeedbackEvent> events, String field, Deadline deadline) {
    RecordEventsRequest request = RecordEventsRequest.newBuilder().addAllEvents(checked(events, field)).build();
    Deadline hop = budget.hop(deadline, 1.0, timeout);
    RecordEventsResponse response;
    try {
      response =
          await(
              caller.call(hop, false, d -> stubs.features().withDeadline(d).recordEvents(request)), hop);
    } catch (StatusRuntimeException e) {
      throw translated(e.getStatus(), field);
    }
    if (response.getOutcomesCount() != events.size()) {
      throw Status.INTERNAL
          .withDescription(
              "the feature tier answered " + response.getOutcomesCount() + " outcomes for " + events.size() + " events")
          .asRuntimeException();
    }
    long stored = response.getOutcomesList().stream().filter(o -> o == FeedbackOutcome.FEEDBACK_OUTCOME_STORED).count();
    recorded.add(stored, STORED);
    if (stored < events.size()) {
      recorded.add(events.size() - stored, DUPLICATE);
    }
    Span span = Span.current();
    if (span.isRecording()) {
      span.setAttribute(EVENTS, (long) events.size());
    }
    return response.getOutcomesList();
  }

  /**
   * The request observer of a {@code StreamFeedback} call: each message is written when it
   * arrives (the call's callbacks run one at a time, so the next message is read only after the
   * previous one is written); the summary is sent at the half-close. The first failing message ends
   * the call with its status, its field prefixed with {@code requests[n].}; later messages are
   * ignored.
   *
   * @param deadline the call's deadline, or {@code null}: each batch then gets the feedback timeout
   */
  public StreamObserver<StreamFeedbackRequest> stream(
      StreamObserver<StreamFeedbackResponse> responses, Deadline deadline) {
    return new StreamObserver<>() {
      private long batches;
      private long stored;
      private long duplicates;
      private boolean failed;

      @Override
      public void onNext(StreamFeedbackRequest message) {
        if (failed) {
          return;
        }
        Deadline batchDeadline =
            deadline != null ? deadline : Deadline.after(timeout.plus(budget.needed()).toNanos(), TimeUnit.NANOSECONDS);
        try {
          List<FeedbackOutcome> outcomes = record(message.getEventsList(), "requests[" + batches + "].events", batchDeadline);
          batches++;
          for (FeedbackOutcome outcome : outcomes) {
            if (outcome == FeedbackOutcome.FEEDBACK_OUTCOME_STORED) {
              stored++;
            } else {
              duplicates++;
            }
          }
        } catch (RuntimeException e) {
          failed = true;
          responses.onError(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        failed = true; // the client cancelled: nothing to answer
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        responses.onNext(
            StreamFeedbackResponse.newBuilder()
                .setBatchCount(batches)
                .setStoredCount(stored)
                .setDuplicateCount(duplicates)
                .build());
        responses.onCompleted();
      }
    };
  }

  /**
   * The batch as sent on: checked, events without a timestamp stamped with the gateway's time.
   *
   * @throws InvalidArgumentException naming the first invalid field
   */
  private List<FeedbackEvent> checked(List<FeedbackEvent> events, String field) {
    if (events.isEmpty()) {
      throw new InvalidArgumentException(field, "must not be empty (expected: 1.." + MAX_BATCH + " events)");
    }
    if (events.size() > MAX_BATCH) {
      throw new InvalidArgumentException(field, events.size() + " events (expected: at most " + MAX_BATCH + ")");
    }
    Timestamp now = null;
    List<FeedbackEvent> checked = events;
    for (int i = 0; i < events.size(); i++) {
      FeedbackEvent event = events.get(i);
      String prefix = field + "[" + i + "].";
      requireId(prefix + "event_id", event.getEventId());
      requireId(prefix + "user_id", event.getUserId());
      requireId(prefix + "item_id", event.getItemId());
      if (event.getType() == EventType.EVENT_TYPE_UNSPECIFIED) {
        throw new InvalidArgumentException(prefix + "type", "must be set (expected: " + TYPES + ")");
      }
      if (event.getType() == EventType.UNRECOGNIZED) {
        throw new InvalidArgumentException(
            prefix + "type", event.getTypeValue() + " is not an event type (expected: " + TYPES + ")");
      }
      if (event.hasTimestamp() && !Timestamps.isValid(event.getTimestamp())) {
        throw new InvalidArgumentException(
            prefix + "timestamp",
            "seconds " + event.getTimestamp().getSeconds() + ", nanos " + event.getTimestamp().getNanos()
                + " (expected: a valid google.protobuf.Timestamp, 0001-01-01 to 9999-12-31)");
      }
      requireMapLimits(
          prefix + "context", event.getContextMap(), MAX_CONTEXT_ENTRIES, MAX_CONTEXT_KEY_LENGTH, MAX_CONTEXT_VALUE_LENGTH);
      if (!event.hasTimestamp()) {
        if (now == null) {
          now = Timestamps.fromMillis(clock.millis());
          checked = new ArrayList<>(events);
        }
        checked.set(i, event.toBuilder().setTimestamp(now).build());
      }
    }
    return checked;
  }

  /** What the client sees of a failed write. */
  private static StatusRuntimeException translated(Status status, String field) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    return switch (status.getCode()) {
      // The tier names "events[i].field": in a stream, the message's prefix goes in front.
      case INVALID_ARGUMENT ->
          status
              .withDescription(
                  field.equals("events") || !description.startsWith("events")
                      ? description
                      : field + description.substring("events".length()))
              .asRuntimeException();
      case FAILED_PRECONDITION, RESOURCE_EXHAUSTED, CANCELLED -> status.asRuntimeException();
      case DEADLINE_EXCEEDED ->
          Status.DEADLINE_EXCEEDED
              .withDescription("the feedback write did not finish in time (" + description + "); " + RETRY)
              .asRuntimeException();
      default ->
          Status.UNAVAILABLE
              .withDescription(
                  "the feature tier could not record the feedback (" + status.getCode() + ": " + description + "); " + RETRY)
              .asRuntimeException();
    };
  }

  /**
   * Waits for the write. It ends by its hop's deadline (every attempt carries it); the slack only
   * guards against a lost callback.
   *
   * @throws StatusRuntimeException the call's status
   */
  private static <T> T await(CompletableFuture<T> call, Deadline hop) {
    long wait = Math.max(0, hop.timeRemaining(TimeUnit.NANOSECONDS)) + AWAIT_SLACK_NANOS;
    try {
      return call.get(wait, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      call.cancel(true);
      throw Status.DEADLINE_EXCEEDED.withDescription("no answer by the hop's deadline").asRuntimeException();
    } catch (CancellationException e) {
      throw Status.CANCELLED.withDescription("cancelled").asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }
}
