package dev.recsuite.grpc.internal;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the calls in flight on the application's own services, so that a graceful shutdown can
 * stop waiting as soon as they are done.
 *
 * <p>Why not just {@code Server.awaitTermination}: a client that health-checks with {@code
 * Health/Watch} (as the gateway's channels do) or a reflection session keeps a stream open forever,
 * so termination would always take the whole grace period. Only the registered services are
 * counted; health and reflection streams are cancelled once these calls have finished.
 *
 * <p>A stream tracer rather than an interceptor: the transport creates it synchronously when the
 * stream arrives, before the call is queued on the handler executor, so no call slips past.
 */
public final class InFlightCalls extends ServerStreamTracer.Factory {

  private static final ServerStreamTracer NOT_COUNTED = new ServerStreamTracer() {};

  private final Set<String> countedServices;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  // Written under the lock (the idle condition needs it), read without: the load-shedding check
  // reads it on every call.
  private volatile int inFlight;

  /**
   * Creates the counter.
   *
   * @param countedServices the fully qualified service names whose calls are counted
   */
  public InFlightCalls(Set<String> countedServices) {
    this.countedServices = Set.copyOf(countedServices);
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    if (!countedServices.contains(MethodDescriptor.extractFullServiceName(fullMethodName))) {
      return NOT_COUNTED;
    }
    lock.lock();
    try {
      inFlight++;
    } finally {
      lock.unlock();
    }
    return new ServerStreamTracer() {
      private final AtomicBoolean closed = new AtomicBoolean();

      @Override
      public void streamClosed(Status status) {
        if (closed.compareAndSet(false, true)) {
          finished();
        }
      }
    };
  }

  /** Returns the number of counted calls in flight. */
  public int count() {
    return inFlight;
  }

  /**
   * Waits until no counted call is in flight.
   *
   * @return whether the calls finished within {@code timeout}
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (inFlight > 0) {
        if (remaining <= 0) {
          return false;
        }
        remaining = idle.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void finished() {
    lock.lock();
    try {
      inFlight--;
      if (inFlight == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InFlightCalls[" + count() + " of " + countedServices + "]";
  }
}
