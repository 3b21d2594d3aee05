package dev.recsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.recsuite.gateway.internal.RecommendationPipeline;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Traces and metrics of the gateway over fake tiers. */
class GatewayTelemetryTest {

  private static final String RECOMMEND = "dev.recsuite.gateway.v1.GatewayService/Recommend";

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  private final FakeTiers tiers = new FakeTiers();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private TestGateway start() throws Exception {
    TestGateway gateway = TestGateway.start(grpc, tiers, Telemetry.of("gateway", sdk));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.stats.popularListSize() == 10);
    return gateway;
  }

  @Test
  void recommend_recallRetriedOnACallbackThread_everyAttemptIsAChildOfTheRequestSpan() throws Exception {
    TestGateway gateway = start();
    tiers.recallMethod.failNext(1, Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request());

    SpanData server = awaitRequestSpan();
    List<SpanData> clients =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getTraceId().equals(server.getTraceId()) && s.getKind() == SpanKind.CLIENT)
            .toList();
    assertThat(clients)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(
            "dev.recsuite.recall.v1.RecallService/Recall",
            "dev.recsuite.recall.v1.RecallService/Recall",
            "dev.recsuite.feature.v1.FeatureService/GetUserFeatures",
            "dev.recsuite.ranking.v1.RankingService/Rank");
    assertThat(clients).allSatisfy(client -> assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId()));
    assertThat(server.getEvents()).extracting(EventData::getName).contains("retry");
    assertThat(server.getAttributes().get(RecommendationPipeline.REQUEST_ID)).isEqualTo(response.getRequestId());
    assertThat(server.getAttributes().get(RecommendationPipeline.DEGRADED)).isFalse();
    assertThat(server.getAttributes().get(RecommendationPipeline.CANDIDATES)).isEqualTo(20L);
  }

  @Test
  void recommend_rankingFails_requestSpanAndMetricsNameTheFallback() throws Exception {
    TestGateway gateway = start();
    tiers.rankMethod.failure.set(Status.UNAVAILABLE.withDescription("ranking down"));

    RecommendResponse response = gateway.stub.recommend(request());

    assertThat(response.getDegraded()).isTrue();
    SpanData server = awaitRequestSpan();
    assertThat(server.getAttributes().get(RecommendationPipeline.DEGRADED_REASONS)).containsExactly("RANKING_UNAVAILABLE");
    EventData fallback = server.getEvents().stream().filter(e -> e.getName().equals("fallback")).findFirst().orElseThrow();
    assertThat(fallback.getAttributes().get(RecommendationPipeline.REASON)).isEqualTo("RANKING_UNAVAILABLE");
    assertThat(fallback.getAttributes().get(RecommendationPipeline.CAUSE)).isEqualTo("UNAVAILABLE: ranking down");

    Collection<MetricData> collected = metrics.collectAllMetrics();
    assertThat(longSum(collected, "recsuite.gateway.fallbacks", Attributes.of(AttributeKey.stringKey("reason"), "RANKING_UNAVAILABLE")))
        .isEqualTo(1);
    assertThat(longSum(collected, "recsuite.gateway.requests", Attributes.of(AttributeKey.stringKey("outcome"), "degraded")))
        .isEqualTo(1);
    assertThat(
            histogram(collected, "recsuite.gateway.downstream.duration",
                Attributes.of(AttributeKey.stringKey("tier"), "ranking", AttributeKey.stringKey("status"), "UNAVAILABLE"))
                .getCount())
        .isEqualTo(1);
    assertThat(
            histogram(collected, "resilience4j.circuitbreaker.calls",
                Attributes.of(AttributeKey.stringKey("kind"), "failed", AttributeKey.stringKey("name"), "ranking"))
                .getCount())
        .isEqualTo(2); // the attempt and its retry
  }

  private SpanData awaitRequestSpan() {
    return await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(RECOMMEND) && s.getKind() == SpanKind.SERVER).findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static long longSum(Collection<MetricData> metrics, String name, Attributes attributes) {
    MetricData metric = metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    return metric.getLongSumData().getPoints().stream()
        .filter(p -> p.getAttributes().equals(attributes))
        .mapToLong(LongPointData::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no point " + attributes + " in " + metric));
  }

  private static HistogramPointData histogram(Collection<MetricData> metrics, String name, Attributes attributes) {
    MetricData metric = metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
    return metric.getHistogramData().getPoints().stream()
        .filter(p -> p.getAttributes().equals(attributes))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no point " + attributes + " in " + metric));
  }

  private static RecommendRequest request() {
    return RecommendRequest.newBuilder().setUserId("u1").setK(5).build();
  }
}
