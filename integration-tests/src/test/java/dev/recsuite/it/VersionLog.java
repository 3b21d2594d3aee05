package dev.recsuite.it;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only: records, for every call a tier serves, the bundle version the request pinned and the
 * version that answered ({@code bundle_version}, or {@code model_version} for ranking).
 */
final class VersionLog implements ServerInterceptor {

  /** One served call. */
  record Served(String method, String pinned, String served) {}

  private final Queue<Served> served = new ConcurrentLinkedQueue<>();

  List<Served> served() {
    return List.copyOf(served);
  }

  void clear() {
    served.clear();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    AtomicReference<String> pinned = new AtomicReference<>();
    String method = call.getMethodDescriptor().getFullMethodName();
    ServerCall<ReqT, RespT> recording =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(RespT message) {
            if (pinned.get() != null) {
              served.add(new Served(method, pinned.get(), version(message, "bundle_version", "model_version")));
            }
            super.sendMessage(message);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
      @Override
      public void onMessage(ReqT message) {
        pinned.set(version(message, "bundle_version"));
        super.onMessage(message);
      }
    };
  }

  /** The first of the named string fields the message has, or null when it has none of them. */
  private static String version(Object message, String... fields) {
    if (!(message instanceof Message proto)) {
      return null;
    }
    for (String name : fields) {
      FieldDescriptor field = proto.getDescriptorForType().findFieldByName(name);
      if (field != null) {
        return (String) proto.getField(field);
      }
    }
    return null;
  }
}
