package dev.recsuite.gateway.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one tier's Resilience4j circuit breaker and bulkhead into OpenTelemetry instruments,
 * under the names {@code resilience4j-micrometer} uses (so its Grafana dashboards apply), with the
 * attribute {@code name} (the tier: {@code recall}, {@code features}, {@code ranking}):
 *
 * <ul>
 *   <li>{@code resilience4j.circuitbreaker.calls} (histogram, seconds; {@code kind}: {@code
 *       successful}, {@code failed}, {@code ignored}): every call the breaker recorded, from its
 *       event publisher;
 *   <li>{@code resilience4j.circuitbreaker.not.permitted.calls} (counter): calls refused while
 *       open;
 *   <li>{@code resilience4j.circuitbreaker.state} (gauge, {@code state}): 1 for the current state,
 *       0 for the others;
 *   <li>{@code resilience4j.circuitbreaker.failure.rate}, {@code
 *       resilience4j.circuitbreaker.slow.call.rate} (gauges, percent over the sliding window, -1
 *       until it holds the minimum number of calls);
 *   <li>{@code resilience4j.bulkhead.available.concurrent.calls}, {@code
 *       resilience4j.bulkhead.max.allowed.concurrent.calls} (gauges): saturation is one minus
 *       their ratio.
 * </ul>
 *
 * Gauges are read when metrics are collected; the call path pays one event dispatch and one
 * histogram record per call. Resilience4j's event consumers cannot be removed: after {@link
 * #close()} they do nothing.
 */
public final class ResilienceInstruments implements AutoCloseable {

  static final AttributeKey<String> NAME = AttributeKey.stringKey("name");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("state");

  private static final Logger log = LoggerFactory.getLogger(ResilienceInstruments.class);
  private static final List<Double> SECONDS =
      List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0);

  private final List<AutoCloseable> observers = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ResilienceInstruments() {}

  /**
   * Registers the instruments of {@code breaker} and {@code bulkhead}, named {@code name}.
   *
   * @return a handle that unregisters the gauges and silences the event consumers
   */
  public static ResilienceInstruments bind(Meter meter, String name, CircuitBreaker breaker, Bulkhead bulkhead) {
    ResilienceInstruments instruments = new ResilienceInstruments();
    instruments.bindBreaker(meter, name, breaker);
    instruments.bindBulkhead(meter, name, bulkhead);
    return instruments;
  }

  private void bindBreaker(Meter meter, String name, CircuitBreaker breaker) {
    DoubleHistogram calls =
        meter
            .histogramBuilder("resilience4j.circuitbreaker.calls")
            .setDescription("Calls recorded by the circuit breaker, by kind (successful, failed, ignored).")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(SECONDS)
            .build();
    LongCounter notPermitted =
        meter
            .counterBuilder("resilience4j.circuitbreaker.not.permitted.calls")
            .setDescription("Calls the open circuit breaker refused.")
            .setUnit("{call}")
            .build();
    Attributes successful = Attributes.of(NAME, name, KIND, "successful");
    Attributes failed = Attributes.of(NAME, name, KIND, "failed");
    Attributes ignored = Attributes.of(NAME, name, KIND, "ignored");
    Attributes byName = Attributes.of(NAME, name);
    CircuitBreaker.EventPublisher events = breaker.getEventPublisher();
    events.onSuccess(
        e -> {
          if (!closed.get()) {
            calls.record(seconds(e.getElapsedDuration()), successful);
          }
        });
    events.onError(
        e -> {
          if (!closed.get()) {
            calls.record(seconds(e.getElapsedDuration()), failed);
          }
        });
    events.onIgnoredError(
        e -> {
          if (!closed.get()) {
            calls.record(seconds(e.getElapsedDuration()), ignored);
          }
        });
    events.onCallNotPermitted(
        e -> {
          if (!closed.get()) {
            notPermitted.add(1, byName);
          }
        });

    Map<CircuitBreaker.State, Attributes> states = new EnumMap<>(CircuitBreaker.State.class);
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      states.put(state, Attributes.of(NAME, name, STATE, state.name().toLowerCase(java.util.Locale.ROOT)));
    }
    observers.add(
        meter
            .gaugeBuilder("resilience4j.circuitbreaker.state")
            .ofLongs()
            .setDescription("1 for the circuit breaker's current state (closed, open, half_open...), 0 for the others.")
            .buildWithCallback(
                m -> {
                  CircuitBreaker.State current = breaker.getState();
                  states.forEach((state, attributes) -> m.record(state == current ? 1 : 0, attributes));
                }));
    observers.add(
        meter
            .gaugeBuilder("resilience4j.circuitbreaker.failure.rate")
            .setDescription("Failure rate over the breaker's window in percent; -1 until it holds the minimum calls.")
            .setUnit("%")
            .buildWithCallback(m -> m.record(breaker.getMetrics().getFailureRate(), byName)));
    observers.add(
        meter
            .gaugeBuilder("resilience4j.circuitbreaker.slow.call.rate")
            .setDescription("Slow-call rate over the breaker's window in percent; -1 until it holds the minimum calls.")
            .setUnit("%")
            .buildWithCallback(m -> m.record(breaker.getMetrics().getSlowCallRate(), byName)));
  }

  private void bindBulkhead(Meter meter, String name, Bulkhead bulkhead) {
    Attributes byName = Attributes.of(NAME, name);
    observers.add(
        meter
            .gaugeBuilder("resilience4j.bulkhead.available.concurrent.calls")
            .ofLongs()
            .setDescription("Calls the bulkhead still admits; 0 = saturated, further calls are refused.")
            .setUnit("{call}")
            .buildWithCallback(m -> m.record(bulkhead.getMetrics().getAvailableConcurrentCalls(), byName)));
    observers.add(
        meter
            .gaugeBuilder("resilience4j.bulkhead.max.allowed.concurrent.calls")
            .ofLongs()
            .setDescription("The bulkhead's limit of calls in flight.")
            .setUnit("{call}")
            .buildWithCallback(m -> m.record(bulkhead.getMetrics().getMaxAllowedConcurrentCalls(), byName)));
  }

  private static double seconds(java.time.Duration duration) {
    return duration.toNanos() / (double) TimeUnit.SECONDS.toNanos(1);
  }

  /** Unregisters the gauges; the event consumers do nothing from now on. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable observer : observers) {
      try {
        observer.close();
      } catch (Exception e) {
        log.debug("closing an instrument failed", e);
      }
    }
  }
}
