package dev.recsuite.grpc.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load shedding: a call that arrives while more than {@code limit} calls are in flight is answered
 * {@code RESOURCE_EXHAUSTED} at once, before its request is read, instead of waiting for a handler
 * until its deadline. A client with other replicas (the gateway) treats it as a failure of this
 * replica and tries another.
 *
 * <p>The count is {@link InFlightCalls}' (the same one the graceful drain waits for), which includes
 * this call: its stream tracer runs when the stream arrives, before the call reaches the handler
 * executor. Only the application's own services pass through this interceptor; health and
 * reflection are never shed, so a busy server still answers its health checks.
 */
public final class ConcurrencyLimitInterceptor implements ServerInterceptor {

  private final String service;
  private final int limit;
  private final InFlightCalls inFlight;
  private final LongAdder shed = new LongAdder();

  /**
   * Creates the interceptor.
   *
   * @param service the server's name, for the status description
   * @param limit the most calls in flight; must be positive
   * @param inFlight the server's in-flight count
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public ConcurrencyLimitInterceptor(String service, int limit, InFlightCalls inFlight) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
    this.service = service;
    this.limit = limit;
    this.inFlight = inFlight;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    int current = inFlight.count();
    if (current <= limit) {
      return next.startCall(call, headers);
    }
    shed.increment();
    call.close(
        Status.RESOURCE_EXHAUSTED.withDescription(
            service + " is overloaded: " + current + " calls in flight (limit: " + limit + ")"),
        new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** The number of calls shed since the server started. */
  public long shedCalls() {
    return shed.sum();
  }

  /** The limit. */
  public int limit() {
    return limit;
  }
}
