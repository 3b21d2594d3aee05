package dev.recsuite.gateway.internal;

import dev.recsuite.gateway.Downstream;
import dev.recsuite.gateway.GatewayStats;
import dev.recsuite.gateway.v1.DegradedReason;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** {@link GatewayStats} over the gateway's counters, breakers and popular list. */
public final class GatewayStatsView implements GatewayStats {

  private final ResilienceMetrics metrics;
  private final DownstreamCallers callers;
  private final PopularList popular;

  public GatewayStatsView(ResilienceMetrics metrics, DownstreamCallers callers, PopularList popular) {
    this.metrics = metrics;
    this.callers = callers;
    this.popular = popular;
  }

  @Override
  public long requests() {
    return metrics.requests();
  }

  @Override
  public long degradedRequests() {
    return metrics.degradedRequests();
  }

  @Override
  public long failedRequests() {
    return metrics.failedRequests();
  }

  @Override
  public long fallbacks(DegradedReason reason) {
    return metrics.fallbacks(reason);
  }

  @Override
  public CircuitBreaker.State breakerState(Downstream downstream) {
    return callers.of(downstream).breaker().getState();
  }

  @Override
  public long breakerOpenings(Downstream downstream) {
    return metrics.breakerOpenings(downstream);
  }

  @Override
  public long attempts(Downstream downstream) {
    return metrics.attempts(downstream);
  }

  @Override
  public long failures(Downstream downstream) {
    return metrics.failures(downstream);
  }

  @Override
  public long retries(Downstream downstream) {
    return metrics.retries(downstream);
  }

  @Override
  public long hedges(Downstream downstream) {
    return metrics.hedges(downstream);
  }

  @Override
  public long refused(Downstream downstream) {
    return metrics.refused(downstream);
  }

  @Override
  public int popularListSize() {
    return popular.current().items().size();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("GatewayStats[requests=").append(requests())
        .append(", degraded=").append(degradedRequests())
        .append(", failed=").append(failedRequests());
    for (Downstream d : Downstream.values()) {
      s.append(", ").append(d.label()).append("={breaker=").append(breakerState(d))
          .append(", openings=").append(breakerOpenings(d))
          .append(", attempts=").append(attempts(d))
          .append(", failures=").append(failures(d))
          .append(", retries=").append(retries(d))
          .append(", hedges=").append(hedges(d))
          .append(", refused=").append(refused(d)).append('}');
    }
    return s.append(", popular=").append(popularListSize()).append(']').toString();
  }
}
