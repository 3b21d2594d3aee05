package dev.recsuite.grpc.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.grpc.internal.OtelDefaults;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelDefaultsTest {

  private static Map<String, String> overrides(Map<String, String> set) {
    return OtelDefaults.overrides(DefaultConfigProperties.createFromMap(set), "recall-service", 0.25);
  }

  @Test
  void noEndpoint_exportsNothingAndRecordsNoSpan() {
    assertThat(overrides(Map.of()))
        .containsEntry("otel.traces.exporter", "none")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none")
        .containsEntry("otel.traces.sampler", "always_off")
        .containsEntry("otel.service.name", "recall-service");
  }

  @Test
  void otlpEndpoint_exportsTracesAndMetricsWithTheParentBasedRatio() {
    assertThat(overrides(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318")))
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.metrics.exporter", "otlp")
        .containsEntry("otel.logs.exporter", "none")
        .containsEntry("otel.traces.sampler", "parentbased_traceidratio")
        .containsEntry("otel.traces.sampler.arg", "0.25")
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf");
  }

  @Test
  void tracesEndpointOnly_exportsTracesButNotMetrics() {
    assertThat(overrides(Map.of("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces")))
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.metrics.exporter", "none");
  }

  @Test
  void operatorSettings_win() {
    Map<String, String> overrides =
        overrides(
            Map.of(
                "otel.traces.exporter", "console",
                "otel.traces.sampler", "always_on",
                "otel.service.name", "recall-eu-1"));

    assertThat(overrides)
        .doesNotContainKeys("otel.traces.exporter", "otel.traces.sampler", "otel.traces.sampler.arg", "otel.service.name");
  }

  @Test
  void exporterSetByTheOperator_samplesWithTheRatio() {
    assertThat(overrides(Map.of("otel.traces.exporter", "otlp")))
        .containsEntry("otel.traces.sampler", "parentbased_traceidratio")
        .containsEntry("otel.traces.sampler.arg", "0.25");
  }
}
