package dev.recsuite.grpc.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus scrape endpoint of one service: {@code GET /metrics} answers what the {@link
 * PrometheusMetricReader} collects from the service's meter provider, in the Prometheus text
 * format, or in OpenMetrics (with exemplars: trace ids of sampled requests) when the scraper asks
 * for it, as Prometheus does.
 *
 * <p>The JDK's HTTP server on one named daemon thread (scrapes are rare and quick) rather than the
 * exporter's own server, whose port cannot be read back after binding port 0 and which sets JVM
 * system properties when loaded.
 */
public final class PrometheusEndpoint implements AutoCloseable {

  /** The path Prometheus scrapes by default. */
  public static final String PATH = "/metrics";

  private static final Logger log = LoggerFactory.getLogger(PrometheusEndpoint.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMetricReader reader;
  private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();
  private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

  private PrometheusEndpoint(HttpServer server, ExecutorService executor, PrometheusMetricReader reader) {
    this.server = server;
    this.executor = executor;
    this.reader = reader;
  }

  /**
   * Binds and starts the endpoint.
   *
   * @param service the service's name, for the thread's name
   * @throws IOException if the address cannot be bound, e.g. {@code "cannot listen for metrics on
   *     127.0.0.1:9464: Address already in use"}
   */
  public static PrometheusEndpoint start(String service, String host, int port, PrometheusMetricReader reader)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      String reason = e instanceof BindException && e.getMessage() != null ? e.getMessage() : e.toString();
      throw new IOException("cannot listen for metrics on " + host + ":" + port + ": " + reason, e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name(service + "-metrics").daemon().factory());
    server.setExecutor(executor);
    PrometheusEndpoint endpoint = new PrometheusEndpoint(server, executor, reader);
    server.createContext("/", endpoint::handle);
    server.start();
    return endpoint;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      ExpositionFormatWriter writer =
          openMetrics.accepts(exchange.getRequestHeaders().getFirst("Accept")) ? openMetrics : text;
      try {
        MetricSnapshots snapshots = reader.collect();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, snapshots);
        body = out.toByteArray();
      } catch (RuntimeException e) {
        log.warn("metrics scrape failed", e);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream response = exchange.getResponseBody()) {
        response.write(body);
      }
    }
  }

  /** Stops serving at once and releases the port. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "PrometheusEndpoint[" + server.getAddress() + PATH + "]";
  }
}
