package dev.recsuite.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rows that depend on the call's context, which a client cannot observe. */
class ExceptionMappingInterceptorTest {

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("test-deadlines").factory());

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  @Test
  void map_anyExceptionAfterTheDeadline_isDeadlineExceededNotInternal() {
    Context.CancellableContext expired =
        Context.ROOT.withDeadline(Deadline.after(-1, TimeUnit.SECONDS), scheduler);

    ExceptionMappingInterceptor.Mapped mapped =
        ExceptionMappingInterceptor.map(
            new IllegalStateException("socket closed"), expired, new Metadata());

    assertThat(mapped.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(mapped.status().getDescription()).isEqualTo("deadline exceeded");
    assertThat(mapped.unexpected()).isFalse();
  }

  @Test
  void map_cancellationAfterTheDeadline_isDeadlineExceeded() {
    Context.CancellableContext expired =
        Context.ROOT.withDeadline(Deadline.after(-1, TimeUnit.SECONDS), scheduler);

    ExceptionMappingInterceptor.Mapped mapped =
        ExceptionMappingInterceptor.map(new CancellationException(), expired, new Metadata());

    assertThat(mapped.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void map_anyExceptionAfterTheClientCancelled_isCancelled() {
    Context.CancellableContext cancelled = Context.ROOT.withCancellation();
    cancelled.cancel(null);

    ExceptionMappingInterceptor.Mapped mapped =
        ExceptionMappingInterceptor.map(
            new IllegalStateException("interrupted"), cancelled, new Metadata());

    assertThat(mapped.status().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(mapped.unexpected()).isFalse();
  }

  @Test
  void map_unexpectedExceptionInALiveCall_isInternalAndFlaggedForTheLog() {
    ExceptionMappingInterceptor.Mapped mapped =
        ExceptionMappingInterceptor.map(
            new NullPointerException("x"), Context.ROOT, new Metadata());

    assertThat(mapped.status().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(mapped.status().getDescription()).isEqualTo("internal error");
    assertThat(mapped.unexpected()).isTrue();
  }

  @Test
  void map_statusExceptionWithTrailers_keepsItsTrailers() {
    Metadata own = new Metadata();
    Metadata.Key<String> key = Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);
    own.put(key, "100");

    ExceptionMappingInterceptor.Mapped mapped =
        ExceptionMappingInterceptor.map(
            Status.UNAVAILABLE.asRuntimeException(own), Context.ROOT, new Metadata());

    assertThat(mapped.trailers().get(key)).isEqualTo("100");
  }
}
