package dev.recsuite.grpc.internal;

import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import dev.recsuite.grpc.FiniteNumbers;
import dev.recsuite.grpc.InvalidArgumentException;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Screens every request message of the registered services before their handlers see it, and
 * answers {@code INVALID_ARGUMENT} for
 *
 * <ul>
 *   <li>bytes that are not a message of the method's request type (truncated, garbage, invalid
 *       UTF-8 in a string): grpc-java would otherwise fail the call with {@code UNKNOWN}, log a
 *       stack trace per frame (a log flood a hostile client controls) and, in a client stream, let
 *       the handler answer a call already closed, which drops the whole connection;
 *   <li>NaN or infinite floats and doubles anywhere in the message, naming the field ({@link
 *       FiniteNumbers}).
 * </ul>
 *
 * <p>It works in two parts: {@link #services()} are the registered services with request
 * marshallers that do not throw (a message that does not parse becomes a per-method sentinel
 * instance), and this interceptor recognises the sentinel. Register the former, install the
 * latter. A refused message ends the call: the handler gets neither it nor the half-close, and
 * sees the call cancelled.
 */
public final class RequestScreening implements ServerInterceptor {

  /**
   * What to check in one method's requests: the sentinels its marshaller answers for a message
   * that does not parse and for one holding a non-finite number.
   */
  private record Screen(Object malformed, Object nonFinite, String typeName) {}

  private final List<ServerServiceDefinition> services;
  private final Map<String, Screen> screens;
  /**
   * Why the message just parsed on this thread holds a non-finite number (the field it names).
   * grpc-java parses a request and hands it to the listeners on the same thread, one right after
   * the other, so the marshaller leaves the reason here for {@link #interceptCall}'s listener.
   */
  private final ThreadLocal<String> nonFiniteReason = new ThreadLocal<>();

  /** Prepares the screening of every method of {@code services} whose requests are protobuf messages. */
  public RequestScreening(List<ServerServiceDefinition> services) {
    Map<String, Screen> byMethod = new HashMap<>();
    List<ServerServiceDefinition> wrapped = new ArrayList<>(services.size());
    for (ServerServiceDefinition service : services) {
      wrapped.add(wrap(service, byMethod, nonFiniteReason));
    }
    this.services = List.copyOf(wrapped);
    this.screens = Map.copyOf(byMethod);
  }

  /** The services to register: the given ones, with request parsing that never throws. */
  public List<ServerServiceDefinition> services() {
    return services;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Screen screen = screens.get(call.getMethodDescriptor().getFullMethodName());
    ServerCall.Listener<ReqT> listener = next.startCall(call, headers);
    if (screen == null) {
      return listener;
    }
    boolean stream = !call.getMethodDescriptor().getType().clientSendsOneMessage();
    return new SimpleForwardingServerCallListener<>(listener) {
      private boolean refused;
      private int received;

      @Override
      public void onMessage(ReqT message) {
        if (refused) {
          return;
        }
        // In a client stream, a refusal names the message: requests[n].
        String path = stream ? "requests[" + received + "]" : null;
        received++;
        Status status = check(screen, message, path);
        if (status != null) {
          refused = true;
          call.close(status, new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }

      @Override
      public void onComplete() {
        // The handler never saw the end of its input: for it, the call was cancelled.
        if (refused) {
          super.onCancel();
        } else {
          super.onComplete();
        }
      }
    };
  }

  /**
   * The status refusing {@code message}, or null when it may pass; {@code streamPath} names the
   * message in a client stream ({@code requests[n]}), null for a unary request.
   */
  private Status check(Screen screen, Object message, String streamPath) {
    if (message == screen.malformed()) {
      return Status.INVALID_ARGUMENT.withDescription(
          (streamPath != null ? streamPath : "request") + ": not a valid " + screen.typeName()
              + " message (truncated, corrupt or of another type)");
    }
    if (message == screen.nonFinite()) {
      String reason = nonFiniteReason.get();
      nonFiniteReason.remove();
      if (reason == null) {
        reason = (streamPath != null ? streamPath : "request") + ": a number is NaN or infinite";
      } else if (streamPath != null) {
        reason = streamPath + "." + reason;
      }
      return Status.INVALID_ARGUMENT.withDescription(reason);
    }
    return null;
  }

  private static ServerServiceDefinition wrap(
      ServerServiceDefinition service, Map<String, Screen> screens, ThreadLocal<String> nonFiniteReason) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName()).setSchemaDescriptor(original.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> screened = screened(method, screens, nonFiniteReason);
      methods.add(screened);
      descriptor.addMethod(screened.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(definition::addMethod);
    return definition.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> screened(
      ServerMethodDefinition<ReqT, RespT> method, Map<String, Screen> screens, ThreadLocal<String> nonFiniteReason) {
    MethodDescriptor<ReqT, RespT> descriptor = method.getMethodDescriptor();
    if (!(descriptor.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<ReqT> marshaller)
        || !(marshaller.getMessagePrototype() instanceof MessageLite prototype)) {
      return method;
    }
    FiniteNumbers finite =
        prototype instanceof Message message ? FiniteNumbers.of(message.getDescriptorForType()) : null;
    String typeName =
        prototype instanceof Message message
            ? message.getDescriptorForType().getFullName()
            : prototype.getClass().getSimpleName();
    TolerantMarshaller<ReqT> tolerant =
        new TolerantMarshaller<>(
            marshaller, sentinel(prototype), sentinel(prototype), finite != null && finite.applies() ? finite : null,
            nonFiniteReason);
    screens.put(descriptor.getFullMethodName(), new Screen(tolerant.malformed(), tolerant.nonFinite(), typeName));
    return ServerMethodDefinition.create(
        descriptor.toBuilder(tolerant, descriptor.getResponseMarshaller()).build(), method.getServerCallHandler());
  }

  /**
   * A fresh instance of the request type, never the default one that an empty request parses to:
   * only identity tells a sentinel from a real message.
   */
  @SuppressWarnings("unchecked")
  private static <T> T sentinel(MessageLite prototype) {
    return (T) prototype.newBuilderForType().buildPartial();
  }

  /**
   * Parses as the delegate's type does, but never throws: bytes that do not parse become {@code
   * malformed}; a message holding a non-finite number becomes {@code nonFinite}, its reason (the
   * field, named by {@link FiniteNumbers#require}) left in {@code reason}. The wire-format scan
   * ({@link FiniteNumbers#allFinite}) keeps the common case free of reflection.
   */
  private record TolerantMarshaller<T>(
      MethodDescriptor.PrototypeMarshaller<T> delegate,
      T malformed,
      T nonFinite,
      FiniteNumbers finite,
      ThreadLocal<String> reason)
      implements MethodDescriptor.PrototypeMarshaller<T> {

    @Override
    public InputStream stream(T value) {
      return delegate.stream(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T parse(InputStream stream) {
      byte[] bytes;
      T message;
      try {
        bytes = stream.readAllBytes();
        message = (T) ((MessageLite) delegate.getMessagePrototype()).getParserForType().parseFrom(bytes);
      } catch (IOException | RuntimeException e) {
        return malformed;
      }
      if (finite != null && !finite.allFinite(bytes)) {
        try {
          finite.require((Message) message);
        } catch (InvalidArgumentException e) {
          reason.set(e.getMessage());
          return nonFinite;
        }
      }
      return message;
    }

    @Override
    public T getMessagePrototype() {
      return delegate.getMessagePrototype();
    }

    @Override
    public Class<T> getMessageClass() {
      return delegate.getMessageClass();
    }
  }
}
