package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.grpc.telemetry.TelemetrySettings;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GrpcServerTelemetryTest {

  private final String serverName = InProcessServerBuilder.generateName();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : cleanup.reversed()) {
      closeable.close();
    }
    sdk.close();
  }

  @Test
  void telemetry_clientCall_serverSpanIsTheClientSpansChildAndCurrentInTheHandler() throws IOException {
    Telemetry telemetry = Telemetry.of("test-service", sdk);
    AtomicReference<SpanContext> inHandler = new AtomicReference<>();
    start(
        inProcess()
            .telemetry(telemetry)
            .addService(
                TestService.of(
                    (request, response) -> {
                      inHandler.set(Span.current().getSpanContext());
                      response.onNext(RecallResponse.newBuilder().setBundleVersion("v1").build());
                      response.onCompleted();
                    })));

    TestService.call(
        ClientInterceptors.intercept(channel(), telemetry.clientInterceptors()), TestService.request("u1"));

    // The server span ends when the call completes on the server, just after the client's answer.
    List<SpanData> finished = await().atMost(Duration.ofSeconds(5)).until(spans::getFinishedSpanItems, s -> s.size() == 2);
    SpanData client = only(finished, SpanKind.CLIENT);
    SpanData server = only(finished, SpanKind.SERVER);
    assertThat(server.getName()).isEqualTo("dev.recsuite.recall.v1.RecallService/Recall");
    assertThat(server.getTraceId()).isEqualTo(client.getTraceId());
    assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
    assertThat(inHandler.get().getSpanId()).isEqualTo(server.getSpanId());
  }

  @Test
  void telemetry_noop_addsNoInterceptorAndNoSpan() throws IOException {
    Telemetry noop = Telemetry.noop();
    start(inProcess().telemetry(noop).addService(TestService.answering("v1")));

    TestService.call(ClientInterceptors.intercept(channel(), noop.clientInterceptors()), TestService.request("u1"));

    assertThat(noop.serverInterceptors()).isEmpty();
    assertThat(noop.clientInterceptors()).isEmpty();
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void telemetry_serverLoad_isExportedAsInstruments() throws IOException {
    start(inProcess().telemetry(Telemetry.of("test-service", sdk)).maxConcurrentCalls(7).addService(TestService.answering("v1")));
    TestService.call(channel(), TestService.request("u1"));
    TestService.call(channel(), TestService.request("u2"));

    // The server records a call when it completes, just after the client has its answer.
    List<MetricData> collected =
        await().atMost(Duration.ofSeconds(5)).until(() -> List.copyOf(metrics.collectAllMetrics()), m -> rpcServerCalls(m) == 2);

    assertThat(longPoint(collected, "recsuite.server.max_concurrent_calls")).isEqualTo(7);
    assertThat(longPoint(collected, "recsuite.server.calls_in_flight")).isZero();
    assertThat(longPoint(collected, "recsuite.server.shed_calls")).isZero();
  }

  private static long rpcServerCalls(List<MetricData> metrics) {
    return metrics.stream()
        .filter(m -> m.getName().startsWith("rpc.server") && m.getName().contains("duration"))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .mapToLong(p -> p.getCount())
        .sum();
  }

  @Test
  void prometheusEndpoint_afterTraffic_servesTheRpcHistogramAndTheServerLoad() throws Exception {
    Telemetry telemetry = Telemetry.create("test-service", TelemetrySettings.defaults().withMetricsPort(0));
    telemetry.start();
    cleanup.add(telemetry::stop);
    GrpcServer server =
        start(GrpcServer.builder("test-service", ServerSettings.defaults()).telemetry(telemetry).addService(TestService.answering("v1")));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    cleanup.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    for (int i = 0; i < 3; i++) {
      TestService.call(channel, TestService.request("u" + i));
    }

    // The server records a call when it completes, just after the client has its answer.
    HttpResponse<String> scrape =
        await().atMost(Duration.ofSeconds(5))
            .until(() -> get(telemetry.metricsPort(), "/metrics"), r -> r.body().contains("rpc_method=\"Recall\"") && countOf(r.body()) == 3);

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    String body = scrape.body();
    assertThat(sample(body, "rpc_server_(call_)?duration_(seconds|milliseconds)_count\\{[^}]*rpc_method=\"Recall\"[^}]*\\}"))
        .isEqualTo(3);
    assertThat(body).containsPattern("rpc_server_(call_)?duration_(seconds|milliseconds)_bucket\\{");
    assertThat(sample(body, "recsuite_server_shed_calls_total\\{[^}]*service=\"test-service\"[^}]*\\}")).isZero();
    assertThat(sample(body, "recsuite_server_max_concurrent_calls\\{[^}]*\\}")).isEqualTo(512);
    assertThat(body).contains("jvm_memory_used_bytes");
    assertThat(get(telemetry.metricsPort(), "/other").statusCode()).isEqualTo(404);
  }

  @Test
  void create_otlpEndpoint_exportsTheServerSpansOverHttp() throws Exception {
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
    collector.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            paths.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
          }
        });
    collector.start();
    cleanup.add(() -> collector.stop(0));
    // The SDK reads otel.* system properties as it reads OTEL_* variables.
    System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
    System.setProperty("otel.bsp.schedule.delay", "100");
    Telemetry telemetry;
    try {
      telemetry = Telemetry.create("test-service", new TelemetrySettings("127.0.0.1", TelemetrySettings.METRICS_OFF, 1.0));
    } finally {
      System.clearProperty("otel.exporter.otlp.endpoint");
      System.clearProperty("otel.bsp.schedule.delay");
    }
    telemetry.start();
    cleanup.add(telemetry::stop);
    start(inProcess().telemetry(telemetry).addService(TestService.answering("v1")));

    TestService.call(channel(), TestService.request("u1"));

    await().atMost(Duration.ofSeconds(10)).until(() -> paths.contains("/v1/traces"));
  }

  @Test
  void prometheusEndpoint_portInUse_failsToStartNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Telemetry telemetry =
          Telemetry.create("test-service", TelemetrySettings.defaults().withMetricsPort(taken.getLocalPort()));
      cleanup.add(telemetry::stop);

      assertThatThrownBy(telemetry::start)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot listen for metrics on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void metricsPort_withoutEndpoint_isOff() throws IOException {
    Telemetry telemetry = Telemetry.create("test-service", TelemetrySettings.defaults());
    telemetry.start();
    cleanup.add(telemetry::stop);

    assertThat(telemetry.metricsPort()).isEqualTo(TelemetrySettings.METRICS_OFF);
  }

  private static double countOf(String body) {
    Matcher matcher =
        Pattern.compile("(?m)^rpc_server_(call_)?duration_(seconds|milliseconds)_count\\{[^}]*\\} (\\S+)").matcher(body);
    return matcher.find() ? Double.parseDouble(matcher.group(3)) : -1;
  }

  static double sample(String exposition, String seriesRegex) {
    Matcher matcher = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)").matcher(exposition);
    assertThat(matcher.find()).as("a sample %s in%n%s", seriesRegex, exposition).isTrue();
    return Double.parseDouble(matcher.group(matcher.groupCount()));
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind) {
    List<SpanData> ofKind = spans.stream().filter(s -> s.getKind() == kind).toList();
    assertThat(ofKind).as("%s spans in %s", kind, spans).hasSize(1);
    return ofKind.getFirst();
  }

  private static long longPoint(List<MetricData> metrics, String name) {
    MetricData metric = metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + metrics));
    return switch (metric.getType()) {
      case LONG_GAUGE -> metric.getLongGaugeData().getPoints().iterator().next().getValue();
      case LONG_SUM -> metric.getLongSumData().getPoints().iterator().next().getValue();
      default -> throw new AssertionError(name + " is " + metric.getType());
    };
  }

  private GrpcServer.Builder inProcess() {
    return GrpcServer.builder("test-service", InProcessServerBuilder.forName(serverName));
  }

  private GrpcServer start(GrpcServer.Builder builder) throws IOException {
    GrpcServer server = builder.build();
    cleanup.add(server::shutdownGracefully);
    server.start();
    return server;
  }

  private ManagedChannel channel() {
    ManagedChannel channel = InProcessChannelBuilder.forName(serverName).build();
    cleanup.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }
}
