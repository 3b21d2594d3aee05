package dev.recsuite.grpc.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * recsuite's defaults for the OpenTelemetry SDK's autoconfiguration, applied under whatever the
 * operator set with the standard {@code OTEL_*} variables (or {@code otel.*} system properties),
 * which always win:
 *
 * <ul>
 *   <li>exporters: OTLP for traces (metrics) only when an OTLP endpoint for them is set ({@code
 *       OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), else none; no
 *       log exporter (logs go to stderr, with trace ids). The SDK's own default is OTLP to
 *       localhost, which would make every process without a collector retry failing exports.
 *   <li>sampler: {@code parentbased_traceidratio} with the service's ratio when traces are
 *       exported; {@code always_off} when they are not, so that nothing is recorded only to be
 *       dropped (spans still get ids, which the logs carry).
 *   <li>OTLP protocol {@code http/protobuf} (port 4318), the specification's default, sent by the
 *       JDK's HTTP client; the Java SDK's own default is {@code grpc}, whose senders (OkHttp or
 *       {@code opentelemetry-exporter-sender-grpc-managed-channel}, not on the registry here) are
 *       not on the class path.
 *   <li>{@code service.name}: the service's name.
 * </ul>
 */
public final class OtelDefaults {

  static final String TRACES_EXPORTER = "otel.traces.exporter";
  static final String METRICS_EXPORTER = "otel.metrics.exporter";
  static final String LOGS_EXPORTER = "otel.logs.exporter";
  static final String SAMPLER = "otel.traces.sampler";
  static final String SAMPLER_ARG = "otel.traces.sampler.arg";
  static final String SERVICE_NAME = "otel.service.name";
  static final String RESOURCE_ATTRIBUTES = "otel.resource.attributes";
  static final String ENDPOINT = "otel.exporter.otlp.endpoint";
  static final String PROTOCOL = "otel.exporter.otlp.protocol";

  private OtelDefaults() {}

  /**
   * The properties to add to {@code config}: only keys it does not set.
   *
   * @param config what the environment and system properties set
   * @param serviceName the service's name, e.g. {@code recall-service}
   * @param sampleRatio the share of new traces to sample, 0..1
   */
  public static Map<String, String> overrides(
      ConfigProperties config, String serviceName, double sampleRatio) {
    Map<String, String> overrides = new LinkedHashMap<>();
    boolean tracesExported = exported(config, TRACES_EXPORTER, "traces", overrides);
    exported(config, METRICS_EXPORTER, "metrics", overrides);
    if (config.getString(PROTOCOL) == null) {
      overrides.put(PROTOCOL, "http/protobuf");
    }
    if (config.getString(LOGS_EXPORTER) == null) {
      overrides.put(LOGS_EXPORTER, "none");
    }
    if (config.getString(SAMPLER) == null) {
      if (tracesExported) {
        overrides.put(SAMPLER, "parentbased_traceidratio");
        overrides.put(SAMPLER_ARG, Double.toString(sampleRatio));
      } else {
        overrides.put(SAMPLER, "always_off");
      }
    }
    String attributes = config.getString(RESOURCE_ATTRIBUTES, "");
    if (config.getString(SERVICE_NAME) == null && !attributes.contains("service.name=")) {
      overrides.put(SERVICE_NAME, serviceName);
    }
    return overrides;
  }

  /** Whether the signal is exported once {@code overrides} apply; adds its exporter if unset. */
  private static boolean exported(
      ConfigProperties config, String key, String signal, Map<String, String> overrides) {
    String exporter = config.getString(key);
    if (exporter != null) {
      return !exporter.isBlank() && !exporter.strip().equals("none");
    }
    boolean endpoint =
        config.getString(ENDPOINT) != null
            || config.getString("otel.exporter.otlp." + signal + ".endpoint") != null;
    overrides.put(key, endpoint ? "otlp" : "none");
    return endpoint;
  }

  /** A one-line summary of where the signals go, for the startup log. */
  public static String describe(ConfigProperties config, Map<String, String> overrides) {
    String traces = value(config, overrides, TRACES_EXPORTER);
    String metrics = value(config, overrides, METRICS_EXPORTER);
    String sampler = value(config, overrides, SAMPLER);
    String arg = value(config, overrides, SAMPLER_ARG);
    return "traces -> " + traces + " (sampler " + sampler + (arg == null ? "" : " " + arg) + "), metrics -> " + metrics;
  }

  private static String value(ConfigProperties config, Map<String, String> overrides, String key) {
    String set = config.getString(key);
    return set != null ? set : overrides.get(key);
  }
}
