package dev.recsuite.grpc.security;

import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.util.concurrent.atomic.AtomicReference;

/** A fake recall service for the security tests: answers {@code bundle_version = user_id}. */
final class TestServices {

  static final String SERVICE = RecallServiceGrpc.SERVICE_NAME;

  static final MethodDescriptor<RecallRequest, RecallResponse> RECALL = RecallServiceGrpc.getRecallMethod();

  private TestServices() {}

  /** Echoes the user id; records the {@link Caller} the server established in {@code seen}. */
  static ServerServiceDefinition echo(AtomicReference<Caller> seen) {
    return ServerServiceDefinition.builder(RecallServiceGrpc.getServiceDescriptor())
        .addMethod(
            RECALL,
            ServerCalls.asyncUnaryCall(
                (request, response) -> {
                  if (seen != null) {
                    seen.set(Caller.current().orElse(null));
                  }
                  response.onNext(RecallResponse.newBuilder().setBundleVersion(request.getUserId()).build());
                  response.onCompleted();
                }))
        .build();
  }
}
