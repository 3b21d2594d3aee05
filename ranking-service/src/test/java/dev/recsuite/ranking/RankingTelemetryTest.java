package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.internal.RankingGrpcService;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.ClientInterceptors;
import io.grpc.inprocess.InProcessServerBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scoring span and the batch-size histogram of the ranking service. */
class RankingTelemetryTest {

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

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
  void rank_traced_scoringSpanNamesModelVersionKindAndBatchSize() throws Exception {
    ServedBundles<ServingModel> models = new ServedBundles<>("ranking-service", Clock.systemUTC(), Duration.ofMinutes(5));
    models.publish("v9", new ServingModel("v9", LinearRanker.fromModel(LinearRankerTest.handModel())));
    Telemetry telemetry = Telemetry.of("ranking-service", sdk);
    String name = grpc.newServerName();
    GrpcServer server =
        GrpcServer.builder("ranking-service", InProcessServerBuilder.forName(name))
            .telemetry(telemetry)
            .addService(new RankingGrpcService(models, 10, telemetry))
            .build();
    server.start();
    grpc.register((AutoCloseable) server::shutdownGracefully);

    RankingServiceGrpc.newBlockingStub(ClientInterceptors.intercept(grpc.channel(name), telemetry.clientInterceptors()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .rank(RankRequest.newBuilder().addCandidates(candidate("a")).addCandidates(candidate("b")).addCandidates(candidate("c")).build());

    List<SpanData> finished = await().atMost(Duration.ofSeconds(5)).until(spans::getFinishedSpanItems, s -> s.size() == 3);
    SpanData serverSpan = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData scoring = finished.stream().filter(s -> s.getName().equals("ranking.score")).findFirst().orElseThrow();
    assertThat(scoring.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
    assertThat(scoring.getAttributes().get(RankingGrpcService.MODEL_VERSION)).isEqualTo("v9");
    assertThat(scoring.getAttributes().get(RankingGrpcService.MODEL_KIND)).isEqualTo(LinearRanker.KIND);
    assertThat(scoring.getAttributes().get(RankingGrpcService.BATCH_SIZE)).isEqualTo(3L);
    MetricData batches =
        metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("recsuite.ranking.batch_size")).findFirst().orElseThrow();
    assertThat(batches.getHistogramData().getPoints()).singleElement().satisfies(p -> {
      assertThat(p.getCount()).isEqualTo(1);
      assertThat(p.getSum()).isEqualTo(3.0);
    });
  }

  private static RankCandidate candidate(String id) {
    return RankCandidate.newBuilder()
        .setItemId(id)
        .setFeatures(ItemFeatures.newBuilder().setItemId(id).setKnown(true).setPopularity(0.5f))
        .build();
  }
}
