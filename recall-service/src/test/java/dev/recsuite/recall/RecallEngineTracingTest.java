package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.core.bundle.BundleRepository;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One span per source that runs and one for the merge, only under a sampled span. */
class RecallEngineTracingTest {

  @TempDir Path root;

  private final Fixture fixture = Fixture.create(11);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final Tracer tracer = tracing.get("test");

  @AfterEach
  void close() {
    tracing.close();
  }

  @Test
  void recall_underASampledSpan_tracesEverySourceThatRanAndTheMerge() throws IOException {
    fixture.writeBundle(root, "20260101-000000-fixture");
    RecallQuery query = RecallQuery.forUser("u3", 50).withText("midnight");
    RecallResult result;
    Span parent = tracer.spanBuilder("Recall").startSpan();
    try (RecallEngine engine = RecallEngine.open(new BundleRepository(root).openLatest(), RecallSettings.defaults(), tracer);
        Scope ignored = parent.makeCurrent()) {
      result = engine.recall(query);
    } finally {
      parent.end();
    }

    List<SpanData> children =
        spans.getFinishedSpanItems().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanContext().getSpanId())).toList();
    Map<String, Long> bySource =
        children.stream()
            .filter(s -> s.getAttributes().get(RecallEngine.SOURCE) != null)
            .collect(Collectors.toMap(s -> s.getAttributes().get(RecallEngine.SOURCE), s -> s.getAttributes().get(RecallEngine.CANDIDATES)));
    assertThat(bySource)
        .containsOnlyKeys("COLLABORATIVE", "CONTENT", "QUERY", "POPULAR", "CO_OCCURRENCE")
        .containsEntry("COLLABORATIVE", (long) result.count(RecallSource.RECALL_SOURCE_COLLABORATIVE))
        .containsEntry("QUERY", (long) result.count(RecallSource.RECALL_SOURCE_QUERY))
        .containsEntry("CO_OCCURRENCE", (long) result.count(RecallSource.RECALL_SOURCE_CO_OCCURRENCE));
    assertThat(bySource.get("QUERY")).isPositive();
    assertThat(children).extracting(SpanData::getName).contains("recall.collaborative", "recall.co_occurrence", "recall.merge");
    SpanData merge = children.stream().filter(s -> s.getName().equals("recall.merge")).findFirst().orElseThrow();
    assertThat(merge.getAttributes().get(RecallEngine.RETURNED)).isEqualTo((long) result.candidates().size());
  }

  @Test
  void recall_withoutQueryText_hasNoQuerySpan() throws IOException {
    fixture.writeBundle(root, "20260101-000000-fixture");
    Span parent = tracer.spanBuilder("Recall").startSpan();
    try (RecallEngine engine = RecallEngine.open(new BundleRepository(root).openLatest(), RecallSettings.defaults(), tracer);
        Scope ignored = parent.makeCurrent()) {
      engine.recall(RecallQuery.forUser("u3", 50));
    } finally {
      parent.end();
    }

    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).doesNotContain("recall.query").contains("recall.popular");
  }

  @Test
  void recall_withoutASampledSpan_createsNoSpan() throws IOException {
    fixture.writeBundle(root, "20260101-000000-fixture");
    try (RecallEngine engine = RecallEngine.open(new BundleRepository(root).openLatest(), RecallSettings.defaults(), tracer)) {
      assertThat(engine.recall(RecallQuery.forUser("u3", 50).withText("midnight")).candidates()).isNotEmpty();
    }

    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
