package dev.recsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Timestamps;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.FeedbackOutcome;
import dev.recsuite.feature.v1.OnlineActivity;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.gateway.v1.RecordFeedbackRequest;
import dev.recsuite.gateway.v1.RecordFeedbackResponse;
import dev.recsuite.gateway.v1.StreamFeedbackRequest;
import dev.recsuite.gateway.v1.StreamFeedbackResponse;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RecordFeedback and StreamFeedback (validation, outcomes, retries, status translation) and the
 * fresh history a Recommend passes to recall, against fake tiers over the in-process transport.
 */
@Timeout(60)
class GatewayFeedbackTest {

  private static final long EVENT_TIME = 1_800_000_000_000L;

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  private final FakeTiers tiers = new FakeTiers();

  private TestGateway start(String... args) throws Exception {
    return TestGateway.start(grpc, tiers, args);
  }

  @Test
  void recordFeedback_batch_answersOneOutcomePerEventAndARetryIsDuplicate() throws Exception {
    TestGateway gateway = start();
    RecordFeedbackRequest batch = batch(event("e1", EventType.EVENT_TYPE_CLICK), event("e2", EventType.EVENT_TYPE_LIKE));

    RecordFeedbackResponse first = gateway.stub.recordFeedback(batch);
    RecordFeedbackResponse retry = gateway.stub.recordFeedback(batch);

    assertThat(first.getOutcomesList()).containsExactly(stored(), stored());
    assertThat(first.getStoredCount()).isEqualTo(2);
    assertThat(first.getDuplicateCount()).isZero();
    assertThat(retry.getOutcomesList()).containsExactly(duplicate(), duplicate());
    assertThat(retry.getDuplicateCount()).isEqualTo(2);
    assertThat(tiers.recorded).hasSize(2);
    assertThat(tiers.recorded.getFirst().getEventsList()).isEqualTo(batch.getEventsList());
  }

  @Test
  void recordFeedback_eventWithoutTimestamp_isStampedWithTheGatewaysClock() throws Exception {
    TestGateway gateway = start();

    gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW).toBuilder().clearTimestamp().build()));

    assertThat(Timestamps.toMillis(tiers.recorded.getFirst().getEvents(0).getTimestamp()))
        .isEqualTo(gateway.clock.millis());
  }

  @Test
  void recordFeedback_unknownTypeNumber_isInvalidArgumentAndNothingIsSent() throws Exception {
    TestGateway gateway = start();
    FeedbackEvent unknown = event("e2", EventType.EVENT_TYPE_VIEW).toBuilder().setTypeValue(42).build();

    Status status = statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_LIKE), unknown)));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("events[1].type: 42 is not an event type (expected: 1..8, EVENT_TYPE_VIEW to EVENT_TYPE_DISLIKE)");
    assertThat(tiers.recorded).isEmpty();
  }

  @Test
  void recordFeedback_invalidFields_areNamedAndNothingIsSent() throws Exception {
    TestGateway gateway = start();
    List<FeedbackEvent> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(event("e" + i, EventType.EVENT_TYPE_VIEW));
    }
    FeedbackEvent.Builder bigContext = event("e1", EventType.EVENT_TYPE_VIEW).toBuilder();
    for (int i = 0; i < 17; i++) {
      bigContext.putContext("k" + i, "v");
    }

    assertThat(statusOf(() -> gateway.stub.recordFeedback(RecordFeedbackRequest.getDefaultInstance())).getDescription())
        .isEqualTo("events: must not be empty (expected: 1..1000 events)");
    assertThat(statusOf(() -> gateway.stub.recordFeedback(RecordFeedbackRequest.newBuilder().addAllEvents(tooMany).build())).getDescription())
        .isEqualTo("events: 1001 events (expected: at most 1000)");
    assertThat(statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_UNSPECIFIED)))).getDescription())
        .startsWith("events[0].type: must be set");
    assertThat(statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW).toBuilder().setUserId("").build()))).getDescription())
        .isEqualTo("events[0].user_id: must not be empty");
    assertThat(statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW), event("", EventType.EVENT_TYPE_VIEW)))).getDescription())
        .isEqualTo("events[1].event_id: must not be empty");
    assertThat(statusOf(() -> gateway.stub.recordFeedback(batch(bigContext.build()))).getDescription())
        .isEqualTo("events[0].context: 17 entries (expected: at most 16)");
    assertThat(statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW).toBuilder()
                .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(1).setNanos(-5)).build()))).getDescription())
        .startsWith("events[0].timestamp: seconds 1, nanos -5");
    assertThat(tiers.recorded).isEmpty();
  }

  @Test
  void recordFeedback_featureTiersInvalidArgument_passesThroughUnchanged() throws Exception {
    TestGateway gateway = start();
    tiers.recordMethod.failNext(1, Status.INVALID_ARGUMENT.withDescription("events[0].timestamp: 1 (far in the past)"));

    Status status = statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW))));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("events[0].timestamp: 1 (far in the past)");
    assertThat(tiers.recorded).hasSize(1);
  }

  @Test
  void recordFeedback_unavailableOnce_isRetriedAndCountedOnce() throws Exception {
    TestGateway gateway = start();
    tiers.recordMethod.failNext(1, Status.UNAVAILABLE.withDescription("store hiccup"));

    RecordFeedbackResponse response = gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW)));

    assertThat(response.getOutcomesList()).containsExactly(stored());
    assertThat(tiers.recordMethod.calls).hasValue(2);
    assertThat(gateway.stats.retries(Downstream.FEEDBACK)).isEqualTo(1);
  }

  @Test
  void recordFeedback_storeDown_isUnavailableSayingARetryIsSafe() throws Exception {
    TestGateway gateway = start();
    tiers.recordMethod.failure.set(Status.UNAVAILABLE.withDescription("feedback store failed: connection refused"));

    Status status = statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW))));

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription())
        .contains("connection refused")
        .endsWith("the batch may or may not be stored: retry it with the same event ids");
  }

  @Test
  void recordFeedback_withoutAStore_isFailedPrecondition() throws Exception {
    TestGateway gateway = start();
    tiers.recordMethod.failure.set(Status.FAILED_PRECONDITION.withDescription("no feedback store (--feedback-store none)"));

    Status status = statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW))));

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(gateway.stats.failures(Downstream.FEEDBACK)).isZero();
  }

  @Test
  void recordFeedback_slowWrite_endsAtTheFeedbackTimeout() throws Exception {
    TestGateway gateway = start("--feedback-timeout", "200ms");
    tiers.recordMethod.hold.set(new CountDownLatch(1));

    long started = System.nanoTime();
    Status status = statusOf(() -> gateway.stub.recordFeedback(batch(event("e1", EventType.EVENT_TYPE_VIEW))));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(status.getDescription()).endsWith("retry it with the same event ids");
    assertThat(tookMillis).isBetween(150L, 1_500L);
  }

  @Test
  void streamFeedback_batches_areWrittenAsTheyArriveAndSummedAtTheEnd() throws Exception {
    TestGateway gateway = start();
    Result<StreamFeedbackResponse> result = new Result<>();
    StreamObserver<StreamFeedbackRequest> stream = gateway.async.streamFeedback(result);

    stream.onNext(streamBatch(event("e1", EventType.EVENT_TYPE_VIEW), event("e2", EventType.EVENT_TYPE_CLICK)));
    await().atMost(Duration.ofSeconds(5)).until(() -> tiers.recorded.size() == 1);
    stream.onNext(streamBatch(event("e2", EventType.EVENT_TYPE_CLICK), event("e3", EventType.EVENT_TYPE_PURCHASE)));
    stream.onCompleted();
    StreamFeedbackResponse summary = result.get();

    assertThat(summary.getBatchCount()).isEqualTo(2);
    assertThat(summary.getStoredCount()).isEqualTo(3);
    assertThat(summary.getDuplicateCount()).isEqualTo(1);
  }

  @Test
  void streamFeedback_invalidMessage_endsTheCallNamingItAndKeepsTheOnesBefore() throws Exception {
    TestGateway gateway = start();
    Result<StreamFeedbackResponse> result = new Result<>();
    StreamObserver<StreamFeedbackRequest> stream = gateway.async.streamFeedback(result);

    stream.onNext(streamBatch(event("e1", EventType.EVENT_TYPE_VIEW)));
    stream.onNext(streamBatch(event("e2", EventType.EVENT_TYPE_VIEW), event("e3", EventType.EVENT_TYPE_UNSPECIFIED)));
    stream.onNext(streamBatch(event("e4", EventType.EVENT_TYPE_VIEW)));
    stream.onCompleted();
    Status status = catchThrowableOfType(StatusRuntimeException.class, result::get).getStatus();

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("requests[1].events[1].type: must be set");
    assertThat(tiers.storedEventIds).containsExactly("e1");
  }

  @Test
  void streamFeedback_nonFiniteNumber_namesTheMessageOfTheStream() throws Exception {
    TestGateway gateway = start();
    Result<StreamFeedbackResponse> result = new Result<>();
    StreamObserver<StreamFeedbackRequest> stream = gateway.async.streamFeedback(result);

    stream.onNext(streamBatch(event("e1", EventType.EVENT_TYPE_VIEW)));
    stream.onNext(
        streamBatch(event("e2", EventType.EVENT_TYPE_VIEW), event("e3", EventType.EVENT_TYPE_RATING).toBuilder().setValue(Float.NaN).build()));
    stream.onCompleted();
    Status status = catchThrowableOfType(StatusRuntimeException.class, result::get).getStatus();

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("requests[1].events[1].value: NaN (expected: a finite number)");
  }

  @Test
  void streamFeedback_malformedMessage_namesTheMessageOfTheStream() throws Exception {
    TestGateway gateway = start();
    ClientCall<byte[], StreamFeedbackResponse> call =
        gateway.async.getChannel().newCall(
            GatewayServiceGrpc.getStreamFeedbackMethod().toBuilder(new RawBytes(), GatewayServiceGrpc.getStreamFeedbackMethod().getResponseMarshaller()).build(),
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(streamBatch(event("e1", EventType.EVENT_TYPE_VIEW)).toByteArray());
    call.sendMessage(new byte[] {(byte) 0xff, 0x01, 0x02});
    call.halfClose();

    Status status = closed.get(10, TimeUnit.SECONDS);

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("requests[1]: not a valid dev.recsuite.gateway.v1.StreamFeedbackRequest message");
  }

  /** Sends bytes as they are. */
  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      throw new UnsupportedOperationException("requests only");
    }
  }

  @Test
  void streamFeedback_featureTiersInvalidArgument_isPrefixedWithTheMessage() throws Exception {
    TestGateway gateway = start();
    Result<StreamFeedbackResponse> result = new Result<>();
    StreamObserver<StreamFeedbackRequest> stream = gateway.async.streamFeedback(result);
    tiers.recordMethod.failNext(1, Status.INVALID_ARGUMENT.withDescription("events[0].value: 9.0 (expected: a rating in 0.5..5.0)"));

    stream.onNext(streamBatch(event("e1", EventType.EVENT_TYPE_RATING)));
    stream.onCompleted();
    Status status = catchThrowableOfType(StatusRuntimeException.class, result::get).getStatus();

    assertThat(status.getDescription()).isEqualTo("requests[0].events[0].value: 9.0 (expected: a rating in 0.5..5.0)");
  }

  @Test
  void recommend_freshHistory_userFeaturesFirstThenRecallWithConsumedAndDislikedItems() throws Exception {
    TestGateway gateway = start();
    tiers.online.set(OnlineActivity.newBuilder().setEventCount(3).addConsumedItemIds("c18").addConsumedItemIds("c15").build());
    tiers.disliked.set(List.of("c17"));
    tiers.userMethod.hold.set(new CountDownLatch(1));

    CompletableFuture<RecommendResponse> answer =
        CompletableFuture.supplyAsync(() -> gateway.stub.withDeadlineAfter(10, TimeUnit.SECONDS).recommend(request("u1", 5)));
    await().atMost(Duration.ofSeconds(5)).until(() -> tiers.userMethod.calls.get() == 1);
    int recallCallsWhileUserFeaturesPending = tiers.recallMethod.calls.get();
    tiers.userMethod.release();
    RecommendResponse response = answer.get(10, TimeUnit.SECONDS);

    assertThat(recallCallsWhileUserFeaturesPending).isZero();
    RecallRequest recall = tiers.lastRecall.get();
    assertThat(recall.getRecentItemIdsList()).containsExactly("c18", "c15");
    assertThat(recall.getDislikedItemIdsList()).containsExactly("c17");
    // The fake recall ignores both lists; the gateway's final filter drops them anyway.
    assertThat(ids(response)).containsExactly("c19", "c16", "c14", "c13", "c12");
    assertThat(response.getDegraded()).isFalse();
  }

  @Test
  void recommend_freshHistoryOff_callsBothAtOnceAndStillDropsFreshItems() throws Exception {
    TestGateway gateway = start("--recall-fresh-history", "false");
    tiers.online.set(OnlineActivity.newBuilder().addConsumedItemIds("c19").build());
    tiers.disliked.set(List.of("c18"));

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(tiers.lastRecall.get().getRecentItemIdsCount()).isZero();
    assertThat(tiers.lastRecall.get().getDislikedItemIdsCount()).isZero();
    assertThat(ids(response)).containsExactly("c17", "c16", "c15");
  }

  @Test
  void recommend_userFeaturesFail_recallRunsWithTheBundlesHistoryAndTheAnswerIsFlagged() throws Exception {
    TestGateway gateway = start();
    tiers.userMethod.failure.set(Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request("u1", 3));

    assertThat(tiers.lastRecall.get().getRecentItemIdsCount()).isZero();
    assertThat(ids(response)).containsExactly("c19", "c18", "c17");
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE);
  }

  @Test
  void recommend_recallFails_popularFallbackLeavesOutFreshItems() throws Exception {
    TestGateway gateway = start();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.stats.popularListSize() == 10);
    tiers.online.set(OnlineActivity.newBuilder().addConsumedItemIds("p9").build());
    tiers.disliked.set(List.of("p8"));
    tiers.recallMethod.failure.set(Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request("u1", 10));

    assertThat(ids(response)).hasSize(8).doesNotContain("p9", "p8");
    assertThat(response.getDegradedReasonsList()).contains(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
  }

  private static RecommendRequest request(String user, int k) {
    return RecommendRequest.newBuilder().setUserId(user).setK(k).build();
  }

  private static List<String> ids(RecommendResponse response) {
    return response.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }

  private static RecordFeedbackRequest batch(FeedbackEvent... events) {
    return RecordFeedbackRequest.newBuilder().addAllEvents(List.of(events)).build();
  }

  private static StreamFeedbackRequest streamBatch(FeedbackEvent... events) {
    return StreamFeedbackRequest.newBuilder().addAllEvents(List.of(events)).build();
  }

  private static FeedbackEvent event(String id, EventType type) {
    return FeedbackEvent.newBuilder()
        .setEventId(id)
        .setUserId("u1")
        .setItemId("m1")
        .setType(type)
        .setTimestamp(Timestamps.fromMillis(EVENT_TIME))
        .build();
  }

  private static FeedbackOutcome stored() {
    return FeedbackOutcome.FEEDBACK_OUTCOME_STORED;
  }

  private static FeedbackOutcome duplicate() {
    return FeedbackOutcome.FEEDBACK_OUTCOME_DUPLICATE;
  }

  private static Status statusOf(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  /** The single answer (or error) of a client-streaming call. */
  private static final class Result<T> implements StreamObserver<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private T value;

    @Override
    public void onNext(T next) {
      value = next;
    }

    @Override
    public void onError(Throwable t) {
      future.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      future.complete(value);
    }

    T get() throws Exception {
      try {
        return future.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
  }
}
