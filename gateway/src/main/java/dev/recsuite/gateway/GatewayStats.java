package dev.recsuite.gateway;

import dev.recsuite.gateway.v1.DegradedReason;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Counters of the gateway's resilience machinery since it started, for metrics and tests: requests,
 * degraded answers and their reasons, and per downstream the breaker, retries, hedges and calls
 * refused by the breaker or the bulkhead. Live values, safe to read from any thread.
 */
public interface GatewayStats {

  /** {@code Recommend} calls that passed validation. */
  long requests();

  /** Answers with {@code degraded = true}. */
  long degradedRequests();

  /** Requests that ended with an error status (no fallback was possible). */
  long failedRequests();

  /** Answers flagged with {@code reason}; one answer may count under several reasons. */
  long fallbacks(DegradedReason reason);

  /** The state of {@code downstream}'s circuit breaker now. */
  CircuitBreaker.State breakerState(Downstream downstream);

  /** How often {@code downstream}'s breaker has opened. */
  long breakerOpenings(Downstream downstream);

  /** Attempts sent to {@code downstream}, retries and hedges included. */
  long attempts(Downstream downstream);

  /** Attempts to {@code downstream} that failed (by the breaker's definition of failure). */
  long failures(Downstream downstream);

  /** Retries sent to {@code downstream}. */
  long retries(Downstream downstream);

  /** Hedged attempts sent to {@code downstream}. */
  long hedges(Downstream downstream);

  /** Calls to {@code downstream} not sent because its breaker was open or its bulkhead full. */
  long refused(Downstream downstream);

  /** Items in the cached popular list (0 before the first successful refresh). */
  int popularListSize();
}
