package dev.recsuite.grpc.security;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceProto;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.util.concurrent.atomic.AtomicReference;

/** A fake recall service for the security tests: answers {@code bundle_version = user_id}. */
final class TestServices {

  static final String SERVICE = "dev.recsuite.recall.v1.RecallService";

  static final MethodDescriptor<RecallRequest, RecallResponse> RECALL =
      MethodDescriptor.<RecallRequest, RecallResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Recall"))
          .setRequestMarshaller(ProtoUtils.marshaller(RecallRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(RecallResponse.getDefaultInstance()))
          .build();

  private static final ServiceDescriptor DESCRIPTOR =
      ServiceDescriptor.newBuilder(SERVICE)
          .setSchemaDescriptor(
              new ProtoFileDescriptorSupplier() {
                @Override
                public FileDescriptor getFileDescriptor() {
                  return RecallServiceProto.getDescriptor();
                }
              })
          .addMethod(RECALL)
          .build();

  private TestServices() {}

  /** Echoes the user id; records the {@link Caller} the server established in {@code seen}. */
  static ServerServiceDefinition echo(AtomicReference<Caller> seen) {
    return ServerServiceDefinition.builder(DESCRIPTOR)
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
