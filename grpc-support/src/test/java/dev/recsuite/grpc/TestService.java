package dev.recsuite.grpc;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceProto;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.util.concurrent.Future;

/**
 * A fake of the recall service, defined by hand over the real proto descriptor, so that tests
 * control the handler and reflection sees a real schema.
 */
final class TestService {

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

  private TestService() {}

  /** Returns the service with {@code handler} behind its one method. */
  static ServerServiceDefinition of(
      ServerCalls.UnaryMethod<RecallRequest, RecallResponse> handler) {
    return ServerServiceDefinition.builder(DESCRIPTOR)
        .addMethod(RECALL, ServerCalls.asyncUnaryCall(handler))
        .build();
  }

  /** Returns a service answering every call with {@code bundle_version = version}. */
  static ServerServiceDefinition answering(String version) {
    return of(
        (request, response) -> {
          response.onNext(RecallResponse.newBuilder().setBundleVersion(version).build());
          response.onCompleted();
        });
  }

  static RecallRequest request(String userId) {
    return RecallRequest.newBuilder().setUserId(userId).build();
  }

  static RecallResponse call(Channel channel, RecallRequest request) {
    return ClientCalls.blockingUnaryCall(channel, RECALL, CallOptions.DEFAULT, request);
  }

  static Future<RecallResponse> callAsync(Channel channel, RecallRequest request) {
    return ClientCalls.futureUnaryCall(channel.newCall(RECALL, CallOptions.DEFAULT), request);
  }
}
