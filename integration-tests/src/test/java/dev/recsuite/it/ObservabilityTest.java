package dev.recsuite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.it.RunningSuite.Tier;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry of the whole suite: one trace per {@code Recommend} across the four tiers, and the
 * Prometheus endpoints of running services. One small synthetic bundle is trained for the class.
 */
class ObservabilityTest {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  @TempDir static Path bundles;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeAll
  static void trainOneSmallBundle() throws Exception {
    new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC())
        .train(SyntheticData.generate(SyntheticSpec.defaults().withSize(300, 400, 30)), bundles, "synthetic");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : cleanup.reversed()) {
      closeable.close();
    }
  }

  @Test
  void recommend_isOneTraceAcrossTheFourTiersWithCorrectParentsAndASpanPerRecallSource() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    Map<Tier, Telemetry> telemetry = new EnumMap<>(Tier.class);
    for (Tier tier : Tier.values()) {
      OpenTelemetrySdk sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .setResource(Resource.getDefault().merge(Resource.builder().put(SERVICE_NAME, serviceName(tier)).build()))
                      .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                      .build())
              .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
              .build();
      cleanup.add(sdk);
      telemetry.put(tier, Telemetry.of(serviceName(tier), sdk));
    }
    RunningSuite suite = RunningSuite.builder(bundles).telemetry(telemetry::get).start();
    cleanup.add(suite);

    RecommendResponse response =
        GatewayServiceGrpc.newBlockingStub(suite.channel(suite.gatewayPort()))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .recommend(RecommendRequest.newBuilder().setUserId(knownUser()).setK(10).setQuery("the").build());
    assertThat(response.getItemsCount()).isEqualTo(10);
    assertThat(response.getDegraded()).isFalse();

    // Server spans end when their calls complete, just after the answers: wait for the tiers'.
    SpanData recommend =
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSpan(exporter, "gateway", "Recommend"), Optional::isPresent).orElseThrow();
    List<SpanData> trace =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> exporter.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(recommend.getTraceId())).toList(),
                spans -> spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).count() == 4);

    assertThat(recommend.getParentSpanContext().isValid()).as("the gateway's span is the root").isFalse();
    List<SpanData> servers = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).toList();
    assertThat(servers)
        .extracting(s -> s.getResource().getAttribute(SERVICE_NAME) + " " + s.getName())
        .containsExactlyInAnyOrder(
            "gateway dev.recsuite.gateway.v1.GatewayService/Recommend",
            "recall-service dev.recsuite.recall.v1.RecallService/Recall",
            "feature-service dev.recsuite.feature.v1.FeatureService/GetUserFeatures",
            "ranking-service dev.recsuite.ranking.v1.RankingService/Rank");
    for (SpanData server : servers) {
      if (server == recommend) {
        continue;
      }
      // Each tier's span: child of the gateway's client span of the same method, itself a child of
      // the gateway's request span.
      SpanData client = byId(trace, server.getParentSpanId());
      assertThat(client.getKind()).as("parent of %s", server.getName()).isEqualTo(SpanKind.CLIENT);
      assertThat(client.getName()).isEqualTo(server.getName());
      assertThat(client.getResource().getAttribute(SERVICE_NAME)).isEqualTo("gateway");
      assertThat(client.getParentSpanId()).isEqualTo(recommend.getSpanId());
    }

    SpanData recall = servers.stream().filter(s -> s.getName().endsWith("/Recall")).findFirst().orElseThrow();
    List<SpanData> recallChildren = trace.stream().filter(s -> s.getParentSpanId().equals(recall.getSpanId())).toList();
    assertThat(recallChildren)
        .extracting(s -> s.getAttributes().get(RecallEngine.SOURCE))
        .contains("COLLABORATIVE", "CONTENT", "QUERY", "POPULAR", "CO_OCCURRENCE");
    assertThat(recallChildren)
        .filteredOn(s -> s.getAttributes().get(RecallEngine.SOURCE) != null)
        .allSatisfy(s -> assertThat(s.getAttributes().get(RecallEngine.CANDIDATES)).isNotNull());
    assertThat(recallChildren).extracting(SpanData::getName).contains("recall.merge");
    assertThat(trace).extracting(SpanData::getName).contains("features.user", "ranking.score").doesNotContain("features.items");
    SpanData scoring = trace.stream().filter(s -> s.getName().equals("ranking.score")).findFirst().orElseThrow();
    assertThat(scoring.getAttributes().get(AttributeKey.stringKey("recsuite.model.version"))).isEqualTo(response.getModelVersion());
  }

  @Test
  void prometheusEndpoints_afterTraffic_showTheLatencyHistogramsAndTheBreakers() throws Exception {
    RunningSuite suite =
        RunningSuite.builder(bundles).tierArgs("--metrics-port", "0").gatewayArgs("--metrics-port", "0").start();
    cleanup.add(suite);
    GatewayServiceGrpc.GatewayServiceBlockingStub gateway =
        GatewayServiceGrpc.newBlockingStub(suite.channel(suite.gatewayPort()));
    for (int i = 0; i < 20; i++) {
      gateway.withDeadlineAfter(10, TimeUnit.SECONDS).recommend(RecommendRequest.newBuilder().setUserId(knownUser()).setK(5).build());
    }
    int gatewayMetrics = suite.telemetry(Tier.GATEWAY).metricsPort();
    assertThat(gatewayMetrics).isPositive();

    // The last server span may complete just after its answer.
    String body =
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape(gatewayMetrics), b -> value(b, series("rpc_server_duration_milliseconds_count", "rpc_method=\"Recommend\"")) >= 20);

    assertThat(body).contains("rpc_server_duration_milliseconds_bucket{");
    assertThat(value(body, series("rpc_client_duration_milliseconds_count", "rpc_method=\"Recall\""))).isGreaterThanOrEqualTo(20);
    assertThat(value(body, series("resilience4j_circuitbreaker_calls_seconds_count", "kind=\"successful\"", "name=\"recall\"")))
        .isGreaterThanOrEqualTo(20);
    assertThat(value(body, series("resilience4j_circuitbreaker_calls_seconds_count", "kind=\"successful\"", "name=\"ranking\"")))
        .isGreaterThanOrEqualTo(20);
    assertThat(value(body, series("resilience4j_circuitbreaker_state", "name=\"recall\"", "state=\"closed\""))).isEqualTo(1);
    assertThat(value(body, series("resilience4j_circuitbreaker_state", "name=\"recall\"", "state=\"open\""))).isZero();
    assertThat(value(body, series("resilience4j_bulkhead_max_allowed_concurrent_calls", "name=\"recall\""))).isEqualTo(128);
    assertThat(value(body, series("recsuite_gateway_requests_total", "outcome=\"all\""))).isGreaterThanOrEqualTo(20);
    assertThat(value(body, series("recsuite_gateway_downstream_duration_seconds_count", "status=\"OK\"", "tier=\"recall\"")))
        .isGreaterThanOrEqualTo(20);

    String recall = scrape(suite.telemetry(Tier.RECALL).metricsPort());
    assertThat(value(recall, series("recsuite_recall_candidates_count", "source=\"POPULAR\""))).isGreaterThanOrEqualTo(20);
    assertThat(value(recall, series("recsuite_bundle_loaded", "newest=\"true\""))).isEqualTo(1);
    assertThat(value(recall, series("recsuite_bundle_age_seconds"))).isGreaterThanOrEqualTo(0);
    assertThat(recall).contains("jvm_memory_used_bytes");
  }

  private static String serviceName(Tier tier) {
    return switch (tier) {
      case GATEWAY -> "gateway";
      case RECALL -> "recall-service";
      case FEATURES -> "feature-service";
      case RANKING -> "ranking-service";
    };
  }

  /** A user of the synthetic bundle (its ids are 1..300). */
  private static String knownUser() {
    return "7";
  }

  private static Optional<SpanData> serverSpan(InMemorySpanExporter exporter, String service, String method) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.SERVER && s.getName().endsWith("/" + method))
        .filter(s -> service.equals(s.getResource().getAttribute(SERVICE_NAME)))
        .findFirst();
  }

  private static SpanData byId(List<SpanData> trace, String spanId) {
    return trace.stream().filter(s -> s.getSpanId().equals(spanId)).findFirst().orElseThrow(() -> new AssertionError("no span " + spanId + " in " + trace));
  }

  /** A regex for the sample line of {@code metric} whose labels include all of {@code labels}. */
  private static String series(String metric, String... labels) {
    StringBuilder regex = new StringBuilder("(?m)^").append(Pattern.quote(metric)).append("\\{");
    for (String label : labels) {
      regex.append("(?=[^}]*").append(Pattern.quote(label)).append(")");
    }
    return regex.append("[^}]*\\} (\\S+)").toString();
  }

  private static double value(String body, String seriesRegex) {
    Matcher matcher = Pattern.compile(seriesRegex).matcher(body);
    if (!matcher.find()) {
      throw new AssertionError("no sample " + seriesRegex + " in:\n" + body);
    }
    return Double.parseDouble(matcher.group(1));
  }

  private static String scrape(int port) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }
}
