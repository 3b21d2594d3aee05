package dev.recsuite.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge from a Resilience4j breaker and bulkhead to OpenTelemetry instruments. */
class ResilienceInstrumentsTest {

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "recall",
          CircuitBreakerConfig.custom()
              .failureRateThreshold(50)
              .slidingWindow(4, 4, SlidingWindowType.COUNT_BASED)
              .waitDurationInOpenState(Duration.ofMinutes(1))
              .build());
  private final Bulkhead bulkhead =
      Bulkhead.of("recall", BulkheadConfig.custom().maxConcurrentCalls(3).maxWaitDuration(Duration.ZERO).build());

  @AfterEach
  void close() {
    meters.close();
  }

  @Test
  void bind_callsAndRefusals_areCountedByKindAndTheOpenStateIsOne() {
    ResilienceInstruments.bind(meters.get("test"), "recall", breaker, bulkhead);

    breaker.onSuccess(20, TimeUnit.MILLISECONDS);
    for (int i = 0; i < 3; i++) {
      breaker.onError(40, TimeUnit.MILLISECONDS, new IllegalStateException("down"));
    }
    boolean permitted = breaker.tryAcquirePermission(); // open now: refused
    bulkhead.tryAcquirePermission();
    bulkhead.tryAcquirePermission();

    Collection<MetricData> metrics = reader.collectAllMetrics();
    assertThat(permitted).isFalse();
    assertThat(histogramCount(metrics, "resilience4j.circuitbreaker.calls", "successful")).isEqualTo(1);
    assertThat(histogramCount(metrics, "resilience4j.circuitbreaker.calls", "failed")).isEqualTo(3);
    assertThat(histogramSum(metrics, "failed")).isEqualTo(0.12, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(longValue(metrics, "resilience4j.circuitbreaker.not.permitted.calls", Attributes.of(ResilienceInstruments.NAME, "recall")))
        .isEqualTo(1);
    assertThat(state(metrics, "open")).isEqualTo(1);
    assertThat(state(metrics, "closed")).isZero();
    assertThat(doubleValue(metrics, "resilience4j.circuitbreaker.failure.rate")).isEqualTo(75.0);
    assertThat(longValue(metrics, "resilience4j.bulkhead.available.concurrent.calls", Attributes.of(ResilienceInstruments.NAME, "recall")))
        .isEqualTo(1);
    assertThat(longValue(metrics, "resilience4j.bulkhead.max.allowed.concurrent.calls", Attributes.of(ResilienceInstruments.NAME, "recall")))
        .isEqualTo(3);
  }

  @Test
  void close_unregistersTheGaugesAndSilencesTheEvents() {
    ResilienceInstruments instruments = ResilienceInstruments.bind(meters.get("test"), "recall", breaker, bulkhead);
    instruments.close();

    breaker.onSuccess(20, TimeUnit.MILLISECONDS);

    assertThat(reader.collectAllMetrics())
        .extracting(MetricData::getName)
        .doesNotContain("resilience4j.circuitbreaker.state", "resilience4j.bulkhead.available.concurrent.calls")
        .doesNotContain("resilience4j.circuitbreaker.calls");
  }

  private static MetricData metric(Collection<MetricData> metrics, String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + metrics));
  }

  private static long histogramCount(Collection<MetricData> metrics, String name, String kind) {
    return metric(metrics, name).getHistogramData().getPoints().stream()
        .filter(p -> kind.equals(p.getAttributes().get(ResilienceInstruments.KIND)))
        .mapToLong(p -> p.getCount())
        .sum();
  }

  private static double histogramSum(Collection<MetricData> metrics, String kind) {
    return metric(metrics, "resilience4j.circuitbreaker.calls").getHistogramData().getPoints().stream()
        .filter(p -> kind.equals(p.getAttributes().get(ResilienceInstruments.KIND)))
        .mapToDouble(p -> p.getSum())
        .sum();
  }

  private static long state(Collection<MetricData> metrics, String state) {
    return metric(metrics, "resilience4j.circuitbreaker.state").getLongGaugeData().getPoints().stream()
        .filter(p -> state.equals(p.getAttributes().get(ResilienceInstruments.STATE)))
        .mapToLong(p -> p.getValue())
        .findFirst()
        .orElseThrow();
  }

  private static double doubleValue(Collection<MetricData> metrics, String name) {
    return metric(metrics, name).getDoubleGaugeData().getPoints().iterator().next().getValue();
  }

  private static long longValue(Collection<MetricData> metrics, String name, Attributes attributes) {
    MetricData metric = metric(metrics, name);
    Collection<? extends PointData> points =
        switch (metric.getType()) {
          case LONG_GAUGE -> metric.getLongGaugeData().getPoints();
          case LONG_SUM -> metric.getLongSumData().getPoints();
          default -> throw new AssertionError(name + " is " + metric.getType());
        };
    return points.stream()
        .filter(p -> p.getAttributes().equals(attributes))
        .mapToLong(p -> p instanceof io.opentelemetry.sdk.metrics.data.LongPointData l ? l.getValue() : -1)
        .findFirst()
        .orElseThrow();
  }
}
