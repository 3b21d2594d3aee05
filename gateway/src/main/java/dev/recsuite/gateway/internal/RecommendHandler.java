package dev.recsuite.gateway.internal;

import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecordFeedbackRequest;
import dev.recsuite.gateway.v1.RecordFeedbackResponse;
import dev.recsuite.gateway.v1.StreamFeedbackRequest;
import dev.recsuite.gateway.v1.StreamFeedbackResponse;
import dev.recsuite.common.v1.FeedbackOutcome;
import java.util.List;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The public {@code GatewayService}: {@code Recommend} validates, applies the default deadline when
 * the caller set none, and runs the pipeline; {@code RecordFeedback} and {@code StreamFeedback}
 * write feedback through the {@link FeedbackWriter}. Exceptions are mapped to statuses by the
 * shared interceptor.
 */
public final class RecommendHandler extends GatewayServiceGrpc.GatewayServiceImplBase {

  private final RecommendRequestValidator validator;
  private final RecommendationPipeline pipeline;
  private final Duration defaultDeadline;
  private final Supplier<String> requestIds;
  private final FeedbackWriter feedback;

  public RecommendHandler(
      RecommendRequestValidator validator,
      RecommendationPipeline pipeline,
      Duration defaultDeadline,
      Supplier<String> requestIds,
      FeedbackWriter feedback) {
    this.validator = validator;
    this.pipeline = pipeline;
    this.defaultDeadline = defaultDeadline;
    this.requestIds = requestIds;
    this.feedback = feedback;
  }

  @Override
  public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> responses) {
    validator.validate(request);
    // The handler returns at once; the pipeline answers from the thread that completes its last hop.
    pipeline
        .recommend(request, requestIds.get(), deadline())
        .whenComplete(
            (response, failure) -> {
              if (failure != null) {
                // The server's exception mapping unwraps the CompletionException.
                responses.onError(failure);
              } else {
                responses.onNext(response);
                responses.onCompleted();
              }
            });
  }

  @Override
  public void recordFeedback(RecordFeedbackRequest request, StreamObserver<RecordFeedbackResponse> responses) {
    List<FeedbackOutcome> outcomes = feedback.record(request.getEventsList(), "events", deadline());
    int stored = 0;
    for (FeedbackOutcome outcome : outcomes) {
      if (outcome == FeedbackOutcome.FEEDBACK_OUTCOME_STORED) {
        stored++;
      }
    }
    responses.onNext(
        RecordFeedbackResponse.newBuilder()
            .addAllOutcomes(outcomes)
            .setStoredCount(stored)
            .setDuplicateCount(outcomes.size() - stored)
            .build());
    responses.onCompleted();
  }

  @Override
  public StreamObserver<StreamFeedbackRequest> streamFeedback(StreamObserver<StreamFeedbackResponse> responses) {
    // A stream may last long: only a deadline the caller set bounds it; each batch has its own.
    return feedback.stream(responses, Context.current().getDeadline());
  }

  /** The caller's deadline, or the default one when the caller set none. */
  private Deadline deadline() {
    Deadline callerDeadline = Context.current().getDeadline();
    return callerDeadline != null
        ? callerDeadline
        : Deadline.after(defaultDeadline.toNanos(), TimeUnit.NANOSECONDS);
  }
}
