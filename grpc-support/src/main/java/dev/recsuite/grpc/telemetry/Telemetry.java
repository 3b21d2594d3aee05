package dev.recsuite.grpc.telemetry;

import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.internal.OtelDefaults;
import dev.recsuite.grpc.internal.PrometheusEndpoint;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.instrumentation.runtimetelemetry.RuntimeTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry of one service process: an {@link OpenTelemetry} instance (never the global
 * one), the gRPC server and client interceptors that trace every call and record {@code
 * rpc.server.duration} / {@code rpc.client.duration}, the Prometheus scrape endpoint and the JVM's
 * runtime metrics. Bind one per process in the service's Guice module and list it first in the
 * {@link dev.recsuite.grpc.Lifecycle}, so that it starts before the server and flushes after it:
 *
 * <pre>{@code
 * @Provides @Singleton
 * Telemetry telemetry(RecallServiceConfig config) {
 *   return Telemetry.create("recall-service", config.telemetry());
 * }
 *
 * @Provides @Singleton
 * GrpcServer server(ServerSettings settings, Telemetry telemetry, RecallGrpcService recall) {
 *   return GrpcServer.builder("recall-service", settings).telemetry(telemetry).addService(recall).build();
 * }
 * }</pre>
 *
 * <p>Tests bind {@link #of} over an SDK with an in-memory span exporter or metric reader instead.
 *
 * <p>Trace context travels in W3C {@code traceparent} headers; the gRPC instrumentation also
 * makes gRPC's {@code io.grpc.Context} and OpenTelemetry's context one (its {@code
 * io.grpc.override.ContextStorageOverride}), so a handler sees its call's server span as the
 * current span on whatever thread gRPC runs it.
 */
public final class Telemetry implements Managed {

  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

  private static final long SHUTDOWN_WAIT_SECONDS = 10;

  private final String serviceName;
  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk ownedSdk;
  private final TelemetrySettings settings;
  private final PrometheusMetricReader prometheus;
  private final GrpcTelemetry grpc;
  private final AtomicReference<PrometheusEndpoint> endpoint = new AtomicReference<>();
  private RuntimeTelemetry runtime;

  private Telemetry(
      String serviceName,
      OpenTelemetry openTelemetry,
      OpenTelemetrySdk ownedSdk,
      TelemetrySettings settings,
      PrometheusMetricReader prometheus,
      boolean instrumentRpc) {
    this.serviceName = requireName(serviceName);
    this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    this.ownedSdk = ownedSdk;
    this.settings = settings;
    this.prometheus = prometheus;
    this.grpc = instrumentRpc ? GrpcTelemetry.create(openTelemetry) : null;
  }

  /**
   * Builds the process's OpenTelemetry SDK from the standard {@code OTEL_*} environment variables
   * (and {@code otel.*} system properties) with recsuite's defaults under them: spans are exported
   * with OTLP only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set, then sampled parent-based with {@code settings}'
   * ratio; metrics go over OTLP likewise and to the Prometheus endpoint when {@code settings} has
   * a port; {@code service.name} is {@code serviceName}. Nothing listens or exports before {@link
   * #start()}.
   *
   * @param serviceName the service's name, e.g. {@code recall-service}
   * @throws IllegalArgumentException if the {@code OTEL_*} configuration is invalid (the SDK's
   *     message names the property)
   */
  public static Telemetry create(String serviceName, TelemetrySettings settings) {
    Objects.requireNonNull(settings, "settings");
    requireName(serviceName);
    PrometheusMetricReader prometheus =
        settings.metricsEnabled() ? PrometheusMetricReader.builder().build() : null;
    AtomicReference<String> described = new AtomicReference<>();
    OpenTelemetrySdk sdk;
    try {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .disableShutdownHook() // the lifecycle flushes, after the server has drained
              .addPropertiesCustomizer(
                  config -> {
                    Map<String, String> overrides =
                        OtelDefaults.overrides(config, serviceName, settings.traceSampleRatio());
                    described.set(OtelDefaults.describe(config, overrides));
                    return overrides;
                  })
              .addMeterProviderCustomizer(
                  (meters, config) -> prometheus == null ? meters : meters.registerMetricReader(prometheus))
              .build()
              .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      // The SDK's ConfigurationException names the property; keep its message, drop the wrapper.
      throw new IllegalArgumentException("OpenTelemetry configuration: " + e.getMessage(), e);
    }
    log.info(
        "{} telemetry: {}{}",
        serviceName,
        described.get(),
        prometheus == null ? "" : " and Prometheus on " + settings.metricsHost() + ":" + settings.metricsPort());
    return new Telemetry(serviceName, sdk, sdk, settings, prometheus, true);
  }

  /**
   * Expert: telemetry over a given {@link OpenTelemetry}, e.g. an SDK with an in-memory span
   * exporter in tests. The caller owns it: {@link #stop()} does not shut it down. No scrape
   * endpoint, no runtime metrics.
   *
   * @param serviceName the service's name, e.g. {@code recall-service}
   */
  public static Telemetry of(String serviceName, OpenTelemetry openTelemetry) {
    return new Telemetry(serviceName, openTelemetry, null, null, null, true);
  }

  /**
   * No telemetry at all: no interceptors, no-op tracers and meters. For tools that run a service in
   * process without observing it, and as the baseline of the overhead benchmark.
   */
  public static Telemetry noop() {
    return new Telemetry("noop", OpenTelemetry.noop(), null, null, null, false);
  }

  /** The OpenTelemetry instance of this process. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** A tracer of the instrumentation scope {@code scope}, e.g. {@code dev.recsuite.recall}. */
  public Tracer tracer(String scope) {
    return openTelemetry.getTracer(scope);
  }

  /** A meter of the instrumentation scope {@code scope}, e.g. {@code dev.recsuite.gateway}. */
  public Meter meter(String scope) {
    return openTelemetry.getMeter(scope);
  }

  /**
   * The interceptors that trace and measure every call of a server's own services; empty for
   * {@link #noop()}. {@link dev.recsuite.grpc.GrpcServer.Builder#telemetry} installs them.
   */
  public List<ServerInterceptor> serverInterceptors() {
    return grpc == null ? List.of() : List.of(grpc.createServerInterceptor());
  }

  /**
   * The interceptors that trace and measure every call of a client channel and carry the trace
   * context to the server; empty for {@link #noop()}. Add them to each channel's builder ({@code
   * NettyChannelBuilder.intercept(...)}).
   */
  public List<ClientInterceptor> clientInterceptors() {
    return grpc == null ? List.of() : List.of(grpc.createClientInterceptor());
  }

  /** The service's name, e.g. {@code recall-service}. */
  public String serviceName() {
    return serviceName;
  }

  /**
   * The port the Prometheus endpoint listens on (after {@link #start()}, useful with port 0), or
   * {@value TelemetrySettings#METRICS_OFF} when there is none.
   */
  public int metricsPort() {
    PrometheusEndpoint current = endpoint.get();
    return current == null ? TelemetrySettings.METRICS_OFF : current.port();
  }

  /**
   * Opens the Prometheus endpoint (when configured) and starts the JVM's runtime metrics (memory,
   * GC, threads, CPU, classes) of a process built by {@link #create}.
   *
   * @throws java.io.IOException if the endpoint cannot listen, e.g. {@code "cannot listen for
   *     metrics on 127.0.0.1:9464: Address already in use"}
   */
  @Override
  public synchronized void start() throws java.io.IOException {
    if (prometheus != null && endpoint.get() == null) {
      PrometheusEndpoint started =
          PrometheusEndpoint.start(serviceName, settings.metricsHost(), settings.metricsPort(), prometheus);
      endpoint.set(started);
      log.info("{} serves metrics on http://{}:{}{}", serviceName, settings.metricsHost(), started.port(), PrometheusEndpoint.PATH);
    }
    if (ownedSdk != null && runtime == null) {
      runtime = RuntimeTelemetry.create(ownedSdk);
    }
  }

  /**
   * Closes the endpoint and, for an SDK built by {@link #create}, flushes what is buffered (spans,
   * metrics) to the exporters and shuts the SDK down, waiting up to 10 s.
   */
  @Override
  public synchronized void stop() {
    PrometheusEndpoint current = endpoint.getAndSet(null);
    if (current != null) {
      current.close();
    }
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
    if (ownedSdk != null) {
      CompletableResultCode result = ownedSdk.shutdown().join(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
      if (!result.isSuccess()) {
        log.warn("{} telemetry: flushing spans and metrics failed or took over {} s", serviceName, SHUTDOWN_WAIT_SECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return "Telemetry[" + serviceName + (grpc == null ? ", noop" : "") + (prometheus == null ? "" : ", metrics port " + metricsPort()) + "]";
  }

  private static String requireName(String serviceName) {
    Objects.requireNonNull(serviceName, "serviceName");
    if (serviceName.isBlank()) {
      throw new IllegalArgumentException("serviceName: \"" + serviceName + "\" (expected: not blank)");
    }
    return serviceName;
  }
}
