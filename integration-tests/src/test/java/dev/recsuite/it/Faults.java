package dev.recsuite.it;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only fault injection for one replica: a server interceptor the test toggles to delay every
 * call or fail it with a status, and that counts the calls the replica received. A delay ends early
 * when the test heals the replica, so nothing waits out a long delay after the test is done.
 * Health and reflection are never affected (the interceptor sits on the service only).
 */
final class Faults implements ServerInterceptor {

  private final AtomicLong calls = new AtomicLong();
  private volatile Duration delay = Duration.ZERO;
  private volatile Status failure;
  private volatile CountDownLatch healed = new CountDownLatch(1);

  /** Delays every call by {@code delay} before it reaches the service. */
  void delay(Duration delay) {
    this.delay = delay;
  }

  /** Fails every call with {@code status}. */
  void fail(Status status) {
    this.failure = status;
  }

  /** Ends the faults, releasing calls that are being delayed. */
  void heal() {
    delay = Duration.ZERO;
    failure = null;
    CountDownLatch previous = healed;
    healed = new CountDownLatch(1);
    previous.countDown();
  }

  /** Calls this replica's service received (healthy or not). */
  long calls() {
    return calls.get();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    calls.incrementAndGet();
    Duration wait = delay;
    if (!wait.isZero()) {
      // Handlers run on virtual threads: waiting here costs nothing but the call's time.
      CountDownLatch latch = healed;
      try {
        latch.await(wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Status status = failure;
    if (status != null) {
      call.close(status, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
