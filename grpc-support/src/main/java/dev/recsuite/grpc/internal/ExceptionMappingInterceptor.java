package dev.recsuite.grpc.internal;

import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.NotFoundException;
import dev.recsuite.grpc.ResourceExhaustedException;
import dev.recsuite.grpc.UnavailableException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become gRPC statuses; {@code UNKNOWN} never reaches a client.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>Thrown (or passed to {@code onError})</th><th>Status</th></tr>
 *   <tr><td>{@link InvalidArgumentException}</td>
 *       <td>{@code INVALID_ARGUMENT}, "field: problem"</td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>{@code NOT_FOUND}</td></tr>
 *   <tr><td>{@link ResourceExhaustedException}</td><td>{@code RESOURCE_EXHAUSTED}</td></tr>
 *   <tr><td>{@link UnavailableException}</td><td>{@code UNAVAILABLE}</td></tr>
 *   <tr><td>{@link StatusRuntimeException}, {@link StatusException}</td><td>their status
 *       (an {@code UNKNOWN} one becomes {@code INTERNAL})</td></tr>
 *   <tr><td>{@link CancellationException}</td><td>{@code CANCELLED}, or {@code DEADLINE_EXCEEDED}
 *       when the call's deadline has passed</td></tr>
 *   <tr><td>{@link TimeoutException}</td><td>{@code DEADLINE_EXCEEDED}</td></tr>
 *   <tr><td>anything else, when the call is already cancelled or past its deadline</td>
 *       <td>{@code CANCELLED} or {@code DEADLINE_EXCEEDED}</td></tr>
 *   <tr><td>anything else</td><td>{@code INTERNAL} "internal error", logged once at ERROR with
 *       the method name</td></tr>
 * </table>
 *
 * <p>{@link CompletionException} and {@link ExecutionException} are unwrapped first. Descriptions
 * of the four exceptions of {@code dev.recsuite.grpc} are their messages; the other rows send a
 * fixed description ("cancelled", "deadline exceeded", "internal error"): nothing of an unexpected
 * exception (message, stack trace) reaches the client.
 *
 * <p>It catches exceptions thrown from listener callbacks ({@code onMessage}, {@code onHalfClose}
 * ...) and rewrites {@code ServerCall.close} calls with {@code UNKNOWN}, which is what gRPC sends
 * when a handler calls {@code responseObserver.onError(e)} with a non-status exception.
 */
public final class ExceptionMappingInterceptor implements ServerInterceptor {

  /** The description of every {@code INTERNAL} status this interceptor produces. */
  public static final String INTERNAL_DESCRIPTION = "internal error";

  private static final Logger log = LoggerFactory.getLogger(ExceptionMappingInterceptor.class);

  /** Creates the interceptor. */
  public ExceptionMappingInterceptor() {}

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    MappingCall<ReqT, RespT> mappingCall = new MappingCall<>(call, Context.current());
    ServerCall.Listener<ReqT> listener;
    try {
      listener = next.startCall(mappingCall, headers);
    } catch (RuntimeException | Error e) {
      mappingCall.fail(e);
      rethrowIfFatal(e);
      return new ServerCall.Listener<>() {};
    }
    return new MappingListener<>(listener, mappingCall);
  }

  /** A status and trailers to close a call with. */
  record Mapped(Status status, Metadata trailers, boolean unexpected) {}

  /**
   * The mapping table.
   *
   * @param thrown what the handler threw or passed to {@code onError}
   * @param context the call's context, to tell an expired deadline from a bug
   * @param trailers the trailers to send unless the exception carries its own
   */
  static Mapped map(Throwable thrown, Context context, Metadata trailers) {
    Throwable t = unwrap(thrown);
    return switch (t) {
      case InvalidArgumentException e -> expected(Status.INVALID_ARGUMENT, e, trailers);
      case NotFoundException e -> expected(Status.NOT_FOUND, e, trailers);
      case ResourceExhaustedException e -> expected(Status.RESOURCE_EXHAUSTED, e, trailers);
      case UnavailableException e -> expected(Status.UNAVAILABLE, e, trailers);
      case StatusRuntimeException e -> passThrough(e.getStatus(), e.getTrailers(), trailers, e);
      case StatusException e -> passThrough(e.getStatus(), e.getTrailers(), trailers, e);
      case CancellationException e -> callOver(context, e, trailers);
      case TimeoutException e -> generic(Status.DEADLINE_EXCEEDED, e, trailers);
      default -> {
        if (context.isCancelled() || deadlineExpired(context)) {
          // The client is gone or out of time: whatever the handler tripped over is a symptom.
          yield callOver(context, t, trailers);
        }
        yield internal(t, trailers);
      }
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null
        && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }

  private static Mapped expected(Status status, Throwable cause, Metadata trailers) {
    String message = cause.getMessage();
    Status described = message == null ? status : status.withDescription(message);
    return new Mapped(described.withCause(cause), trailers, false);
  }

  /** DEADLINE_EXCEEDED when the call's deadline has passed, else CANCELLED; generic text. */
  private static Mapped callOver(Context context, Throwable cause, Metadata trailers) {
    return deadlineExpired(context)
        ? generic(Status.DEADLINE_EXCEEDED, cause, trailers)
        : generic(Status.CANCELLED, cause, trailers);
  }

  /** A status with a fixed description, for exceptions whose messages may reveal internals. */
  private static Mapped generic(Status status, Throwable cause, Metadata trailers) {
    String description = status.getCode().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return new Mapped(status.withDescription(description).withCause(cause), trailers, false);
  }

  private static Mapped passThrough(
      Status status, Metadata own, Metadata fallback, Throwable cause) {
    if (status.getCode() == Status.Code.UNKNOWN || status.isOk()) {
      return internal(cause, fallback);
    }
    return new Mapped(status, own != null ? own : fallback, false);
  }

  private static Mapped internal(Throwable cause, Metadata trailers) {
    return new Mapped(
        Status.INTERNAL.withDescription(INTERNAL_DESCRIPTION).withCause(cause), trailers, true);
  }

  private static boolean deadlineExpired(Context context) {
    Deadline deadline = context.getDeadline();
    return deadline != null && deadline.isExpired();
  }

  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError e) {
      throw e;
    }
  }

  private static void report(String method, Mapped mapped) {
    if (mapped.unexpected()) {
      log.error(
          "Unexpected error in {}; the client gets INTERNAL", method, mapped.status().getCause());
    } else if (log.isDebugEnabled()) {
      log.debug(
          "{} ended with {}: {}",
          method,
          mapped.status().getCode(),
          mapped.status().getDescription(),
          mapped.status().getCause());
    }
  }

  private static final class MappingCall<ReqT, RespT>
      extends SimpleForwardingServerCall<ReqT, RespT> {

    private final Context context;
    private final String method;
    private final AtomicBoolean closed = new AtomicBoolean();

    MappingCall(ServerCall<ReqT, RespT> delegate, Context context) {
      super(delegate);
      this.context = context;
      this.method = delegate.getMethodDescriptor().getFullMethodName();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closed.set(true);
      if (status.getCode() != Status.Code.UNKNOWN) {
        super.close(status, trailers);
        return;
      }
      // gRPC turns onError(nonStatusException) into UNKNOWN with the exception as the cause.
      Throwable cause = status.getCause() != null ? status.getCause() : status.asRuntimeException();
      Mapped mapped = map(cause, context, trailers);
      report(method, mapped);
      super.close(mapped.status(), mapped.trailers());
    }

    /** Closes the call for an exception thrown by the handler, unless it is closed already. */
    void fail(Throwable thrown) {
      Mapped mapped = map(thrown, context, new Metadata());
      if (closed.compareAndSet(false, true)) {
        report(method, mapped);
        super.close(mapped.status(), mapped.trailers());
      } else {
        log.error("Exception in {} after the call was closed", method, thrown);
      }
    }

    /** Logs an exception from a callback after which nothing can be sent any more. */
    void failAfterEnd(Throwable thrown) {
      log.error("Exception in {} after the call ended", method, thrown);
    }
  }

  private static final class MappingListener<ReqT>
      extends SimpleForwardingServerCallListener<ReqT> {

    private final MappingCall<ReqT, ?> call;

    MappingListener(ServerCall.Listener<ReqT> delegate, MappingCall<ReqT, ?> call) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onMessage(ReqT message) {
      try {
        super.onMessage(message);
      } catch (RuntimeException | Error e) {
        call.fail(e);
        rethrowIfFatal(e);
      }
    }

    @Override
    public void onHalfClose() {
      try {
        super.onHalfClose();
      } catch (RuntimeException | Error e) {
        call.fail(e);
        rethrowIfFatal(e);
      }
    }

    @Override
    public void onReady() {
      try {
        super.onReady();
      } catch (RuntimeException | Error e) {
        call.fail(e);
        rethrowIfFatal(e);
      }
    }

    @Override
    public void onCancel() {
      try {
        super.onCancel();
      } catch (RuntimeException | Error e) {
        call.failAfterEnd(e);
        rethrowIfFatal(e);
      }
    }

    @Override
    public void onComplete() {
      try {
        super.onComplete();
      } catch (RuntimeException | Error e) {
        call.failAfterEnd(e);
        rethrowIfFatal(e);
      }
    }
  }
}
