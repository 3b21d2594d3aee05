package dev.recsuite.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.logback.mdc.v1_0.OpenTelemetryAppender;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default logging puts the current span's trace and span ids into each line. */
class TraceLogTest {

  private static final ClassLoader DEFAULTS_ONLY =
      new ClassLoader(null) {
        @Override
        protected URL findResource(String name) {
          return name.equals(DefaultLogbackConfigurator.RESOURCE)
              ? TraceLogTest.class.getClassLoader().getResource(name)
              : null;
        }
      };

  private static final SpanContext SPAN =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());

  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private PatternLayoutEncoder encoder;

  @BeforeEach
  void configureTheDefaults() {
    // A context of our own, like the one SLF4J binds, needs its MDC adapter.
    context.setMDCAdapter(new LogbackMDCAdapter());
    DefaultLogbackConfigurator configurator = new DefaultLogbackConfigurator(name -> null);
    configurator.setContext(context);
    configurator.configure(context, DEFAULTS_ONLY);
    context.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    OpenTelemetryAppender otel = (OpenTelemetryAppender) root.getAppender("OTEL");
    encoder = (PatternLayoutEncoder) ((ConsoleAppender<ILoggingEvent>) otel.getAppender("STDERR")).getEncoder();
    events.setContext(context);
    events.start();
    otel.addAppender(events);
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void lineLoggedInASpan_carriesItsTraceAndSpanIds() {
    try (Scope ignored = Span.wrap(SPAN).makeCurrent()) {
      context.getLogger("dev.recsuite.test").info("serving");
    }

    ILoggingEvent event = single();
    assertThat(event.getMDCPropertyMap())
        .containsEntry("trace_id", SPAN.getTraceId())
        .containsEntry("span_id", SPAN.getSpanId());
    assertThat(line(event))
        .contains("dev.recsuite.test trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331 - serving");
  }

  @Test
  void lineLoggedOutsideASpan_hasNoIds() {
    context.getLogger("dev.recsuite.test").info("starting");

    ILoggingEvent event = single();
    assertThat(event.getMDCPropertyMap()).doesNotContainKey("trace_id");
    assertThat(line(event)).contains("dev.recsuite.test - starting").doesNotContain("trace_id");
  }

  private ILoggingEvent single() {
    List<ILoggingEvent> logged = events.list;
    assertThat(logged).hasSize(1);
    return logged.getFirst();
  }

  private String line(ILoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
