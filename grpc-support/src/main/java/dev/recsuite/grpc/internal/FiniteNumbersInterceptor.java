package dev.recsuite.grpc.internal;

import com.google.protobuf.Message;
import dev.recsuite.grpc.FiniteNumbers;
import dev.recsuite.grpc.InvalidArgumentException;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rejects every request message holding a NaN or infinite float or double, wherever it sits, with
 * {@code INVALID_ARGUMENT} naming the field ({@link FiniteNumbers}), before the handler sees it.
 * Methods whose request type holds no floating-point field are not touched at all.
 */
public final class FiniteNumbersInterceptor implements ServerInterceptor {

  private final Map<String, FiniteNumbers> checks;

  /** Prepares the checks of every method of {@code services} whose request type holds numbers. */
  public FiniteNumbersInterceptor(List<ServerServiceDefinition> services) {
    Map<String, FiniteNumbers> byMethod = new HashMap<>();
    for (ServerServiceDefinition service : services) {
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        MethodDescriptor<?, ?> descriptor = method.getMethodDescriptor();
        if (descriptor.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> marshaller
            && marshaller.getMessagePrototype() instanceof Message prototype) {
          FiniteNumbers check = FiniteNumbers.of(prototype.getDescriptorForType());
          if (check.applies()) {
            byMethod.put(descriptor.getFullMethodName(), check);
          }
        }
      }
    }
    this.checks = Map.copyOf(byMethod);
  }

  /** Whether any method needs checking. */
  public boolean applies() {
    return !checks.isEmpty();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    FiniteNumbers check = checks.get(call.getMethodDescriptor().getFullMethodName());
    ServerCall.Listener<ReqT> listener = next.startCall(call, headers);
    if (check == null) {
      return listener;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      private boolean rejected;

      @Override
      public void onMessage(ReqT message) {
        if (rejected) {
          return;
        }
        if (message instanceof Message proto) {
          try {
            check.require(proto);
          } catch (InvalidArgumentException e) {
            rejected = true;
            call.close(Status.INVALID_ARGUMENT.withDescription(e.getMessage()), new Metadata());
            return;
          }
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!rejected) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!rejected) {
          super.onReady();
        }
      }

      @Override
      public void onComplete() {
        // The handler never saw the end of its input: for it, the call was cancelled.
        if (rejected) {
          super.onCancel();
        } else {
          super.onComplete();
        }
      }
    };
  }
}
