package dev.recsuite.gateway.internal;

import dev.recsuite.gateway.Downstream;
import dev.recsuite.gateway.v1.DegradedReason;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's counters: requests and fallbacks, and per downstream attempts, failures, retries,
 * hedges, refusals and breaker openings. A seam for a metrics library (OpenTelemetry comes later):
 * it reads them through {@link dev.recsuite.gateway.GatewayStats}. Thread-safe.
 */
public final class ResilienceMetrics {

  private final LongAdder requests = new LongAdder();
  private final LongAdder degraded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<DegradedReason, LongAdder> fallbacks = new EnumMap<>(DegradedReason.class);
  private final Map<Downstream, PerDownstream> downstreams = new EnumMap<>(Downstream.class);

  /** Creates zeroed counters. */
  public ResilienceMetrics() {
    for (DegradedReason reason : DegradedReason.values()) {
      fallbacks.put(reason, new LongAdder());
    }
    for (Downstream downstream : Downstream.values()) {
      downstreams.put(downstream, new PerDownstream());
    }
  }

  void request() {
    requests.increment();
  }

  void answered(boolean isDegraded, Collection<DegradedReason> reasons) {
    if (isDegraded) {
      degraded.increment();
    }
    for (DegradedReason reason : reasons) {
      LongAdder counter = fallbacks.get(reason);
      if (counter != null) {
        counter.increment();
      }
    }
  }

  void failed() {
    failed.increment();
  }

  void countAttempt(Downstream downstream) {
    downstreams.get(downstream).attempts.increment();
  }

  void countFailure(Downstream downstream) {
    downstreams.get(downstream).failures.increment();
  }

  void countRetry(Downstream downstream) {
    downstreams.get(downstream).retries.increment();
  }

  void countHedge(Downstream downstream) {
    downstreams.get(downstream).hedges.increment();
  }

  void countRefused(Downstream downstream) {
    downstreams.get(downstream).refused.increment();
  }

  void countBreakerOpened(Downstream downstream) {
    downstreams.get(downstream).openings.increment();
  }

  long requests() {
    return requests.sum();
  }

  long degradedRequests() {
    return degraded.sum();
  }

  long failedRequests() {
    return failed.sum();
  }

  long fallbacks(DegradedReason reason) {
    LongAdder counter = fallbacks.get(reason);
    return counter == null ? 0 : counter.sum();
  }

  long attempts(Downstream downstream) {
    return downstreams.get(downstream).attempts.sum();
  }

  long failures(Downstream downstream) {
    return downstreams.get(downstream).failures.sum();
  }

  long retries(Downstream downstream) {
    return downstreams.get(downstream).retries.sum();
  }

  long hedges(Downstream downstream) {
    return downstreams.get(downstream).hedges.sum();
  }

  long refused(Downstream downstream) {
    return downstreams.get(downstream).refused.sum();
  }

  long breakerOpenings(Downstream downstream) {
    return downstreams.get(downstream).openings.sum();
  }

  private static final class PerDownstream {
    final LongAdder attempts = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder hedges = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder openings = new LongAdder();
  }
}
