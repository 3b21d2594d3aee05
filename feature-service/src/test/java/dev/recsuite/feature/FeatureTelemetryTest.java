package dev.recsuite.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.ClientInterceptors;
import io.grpc.inprocess.InProcessServerBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Lookup spans and counters of the feature service. */
class FeatureTelemetryTest {

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  @TempDir Path root;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .build();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @Test
  void getItemFeatures_traced_spanUnderTheServerSpanCountsIdsAndUnknownOnes() throws Exception {
    ServedBundles<FeatureStore> stores = new ServedBundles<>("feature-service", Clock.systemUTC(), Duration.ofMinutes(5));
    stores.publish(TestBundles.VERSION, FeatureStore.load(TestBundles.write(root, TestBundles.VERSION)));
    Telemetry telemetry = Telemetry.of("feature-service", sdk);
    String name = grpc.newServerName();
    GrpcServer server =
        GrpcServer.builder("feature-service", InProcessServerBuilder.forName(name))
            .telemetry(telemetry)
            .addService(new FeatureGrpcService(stores, 10, telemetry))
            .build();
    server.start();
    grpc.register((AutoCloseable) server::shutdownGracefully);

    FeatureServiceGrpc.newBlockingStub(ClientInterceptors.intercept(grpc.channel(name), telemetry.clientInterceptors()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getItemFeatures(GetItemFeaturesRequest.newBuilder().addItemIds("m1").addItemIds("nobody-knows").build());

    List<SpanData> finished = await().atMost(Duration.ofSeconds(5)).until(spans::getFinishedSpanItems, s -> s.size() == 3);
    SpanData serverSpan = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData lookup = finished.stream().filter(s -> s.getName().equals("features.items")).findFirst().orElseThrow();
    assertThat(lookup.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
    assertThat(lookup.getAttributes().get(FeatureGrpcService.IDS)).isEqualTo(2L);
    assertThat(lookup.getAttributes().get(FeatureGrpcService.UNKNOWN)).isEqualTo(1L);
    assertThat(lookup.getAttributes().get(FeatureGrpcService.BUNDLE_VERSION)).isEqualTo(TestBundles.VERSION);
    MetricData lookups =
        metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("recsuite.features.lookups")).findFirst().orElseThrow();
    assertThat(lookups.getLongSumData().getPoints())
        .extracting(LongPointData::getAttributes, LongPointData::getValue)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                Attributes.of(AttributeKey.stringKey("kind"), "item", AttributeKey.booleanKey("known"), true), 1L),
            org.assertj.core.groups.Tuple.tuple(
                Attributes.of(AttributeKey.stringKey("kind"), "item", AttributeKey.booleanKey("known"), false), 1L));
  }
}
