package dev.recsuite.gateway.internal;

import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Carves per-hop deadlines out of a request's deadline: a hop gets {@code min(available × share,
 * cap)}, where {@code available} is the time left minus the gateway's own reserve for assembling
 * the answer. Hops that run one after another each take their share of what the earlier ones
 * left, so every downstream call ends before the request's deadline with the reserve to spare.
 */
public final class TimeBudget {

  private final long reserveNanos;
  private final long minCallNanos;

  /**
   * @param reserve the time kept for the gateway itself
   * @param minCallTime the least time worth starting a downstream call with
   */
  public TimeBudget(Duration reserve, Duration minCallTime) {
    this.reserveNanos = reserve.toNanos();
    this.minCallNanos = minCallTime.toNanos();
  }

  /** The deadline of a hop that may use {@code share} of the available time, at most {@code cap}. */
  public Deadline hop(Deadline request, double share, Duration cap) {
    long available = available(request);
    long hop = Math.min((long) (Math.max(available, 0) * share), cap.toNanos());
    return Deadline.after(hop, TimeUnit.NANOSECONDS);
  }

  /** Whether the request has too little time left for any downstream call. */
  public boolean tooShort(Deadline request) {
    return available(request) < minCallNanos;
  }

  /** The time left for downstream calls: until the deadline, minus the reserve. */
  public long available(Deadline request) {
    return request.timeRemaining(TimeUnit.NANOSECONDS) - reserveNanos;
  }

  /** The reserve plus the least call time: what a request needs to be worth calling anyone. */
  public Duration needed() {
    return Duration.ofNanos(reserveNanos + minCallNanos);
  }
}
