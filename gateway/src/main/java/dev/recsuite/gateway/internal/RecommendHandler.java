package dev.recsuite.gateway.internal;

import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The public {@code Recommend} RPC: validates, applies the default deadline when the caller set
 * none, and runs the pipeline. Exceptions are mapped to statuses by the shared interceptor.
 */
public final class RecommendHandler extends GatewayServiceGrpc.GatewayServiceImplBase {

  private final RecommendRequestValidator validator;
  private final RecommendationPipeline pipeline;
  private final Duration defaultDeadline;
  private final Supplier<String> requestIds;

  public RecommendHandler(
      RecommendRequestValidator validator,
      RecommendationPipeline pipeline,
      Duration defaultDeadline,
      Supplier<String> requestIds) {
    this.validator = validator;
    this.pipeline = pipeline;
    this.defaultDeadline = defaultDeadline;
    this.requestIds = requestIds;
  }

  @Override
  public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> responses) {
    validator.validate(request);
    Deadline callerDeadline = Context.current().getDeadline();
    Deadline deadline =
        callerDeadline != null
            ? callerDeadline
            : Deadline.after(defaultDeadline.toNanos(), TimeUnit.NANOSECONDS);
    responses.onNext(pipeline.recommend(request, requestIds.get(), deadline));
    responses.onCompleted();
  }
}
