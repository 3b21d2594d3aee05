package dev.recsuite.grpc.internal;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Moves a call off the transport thread: the rest of the interceptor chain, the handler and every
 * listener callback run on {@code executor}, one at a time and in order, in the call's {@link
 * Context} (deadline, cancellation, caller). For the methods that may block (a bundle reload) on a
 * server whose other handlers run directly on the transport's event loop.
 */
public final class OffloadingInterceptor implements ServerInterceptor {

  private final Executor executor;
  private final Predicate<String> offloaded;

  /** @param executor where the calls run, e.g. virtual threads */
  public OffloadingInterceptor(Executor executor) {
    this(executor, method -> true);
  }

  /**
   * @param executor where the calls run, e.g. virtual threads
   * @param offloaded which methods (full names) move there; the others stay where they are
   */
  public OffloadingInterceptor(Executor executor, Predicate<String> offloaded) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.offloaded = Objects.requireNonNull(offloaded, "offloaded");
  }

  /** Whether calls of {@code fullMethodName} move to the executor. */
  public boolean offloads(String fullMethodName) {
    return offloaded.test(fullMethodName);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!offloaded.test(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    OffloadedListener<ReqT> listener =
        new OffloadedListener<>(MoreExecutors.newSequentialExecutor(executor), Context.current());
    listener.run(() -> listener.delegate = next.startCall(call, headers));
    return listener;
  }

  /**
   * Forwards each callback to the sequential executor; the first task there starts the call, so
   * {@code delegate} is set before any callback reads it (and only ever touched on that executor).
   */
  private static final class OffloadedListener<ReqT> extends ServerCall.Listener<ReqT> {

    private final Executor sequential;
    private final Context context;
    private ServerCall.Listener<ReqT> delegate;

    OffloadedListener(Executor sequential, Context context) {
      this.sequential = sequential;
      this.context = context;
    }

    void run(Runnable task) {
      sequential.execute(context.wrap(task));
    }

    @Override
    public void onMessage(ReqT message) {
      run(() -> delegate.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      run(() -> delegate.onHalfClose());
    }

    @Override
    public void onCancel() {
      run(() -> delegate.onCancel());
    }

    @Override
    public void onComplete() {
      run(() -> delegate.onComplete());
    }

    @Override
    public void onReady() {
      run(() -> delegate.onReady());
    }
  }
}
