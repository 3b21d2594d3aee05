package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.recsuite.grpc.internal.ExceptionMappingInterceptor;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** The mapping table, row by row, through a real (in-process) server. */
class ExceptionMappingTest {

  private static final String INTERNAL = ExceptionMappingInterceptor.INTERNAL_DESCRIPTION;

  private final String serverName = InProcessServerBuilder.generateName();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger mappingLogger =
      (Logger) LoggerFactory.getLogger(ExceptionMappingInterceptor.class);
  private GrpcServer server;
  private ManagedChannel channel;

  @BeforeEach
  void captureLogs() {
    logged.list = new CopyOnWriteArrayList<>(); // handler threads append while the test reads
    logged.start();
    mappingLogger.addAppender(logged);
    // Expected errors stay out of the build output; the test reads them from the list.
    mappingLogger.setAdditive(false);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    mappingLogger.detachAppender(logged);
    mappingLogger.setAdditive(true);
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownGracefully();
    }
  }

  /** How the handler reports the failure. */
  enum Via {
    THROWN,
    ON_ERROR
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row(
            new InvalidArgumentException("user_id", "must not be empty"),
            Status.Code.INVALID_ARGUMENT,
            "user_id: must not be empty"),
        row(
            new NotFoundException("bundle v7 not found"),
            Status.Code.NOT_FOUND,
            "bundle v7 not found"),
        row(
            new ResourceExhaustedException("128 calls in flight"),
            Status.Code.RESOURCE_EXHAUSTED,
            "128 calls in flight"),
        row(
            new UnavailableException("no bundle loaded yet"),
            Status.Code.UNAVAILABLE,
            "no bundle loaded yet"),
        row(
            Status.FAILED_PRECONDITION.withDescription("as is").asRuntimeException(),
            Status.Code.FAILED_PRECONDITION,
            "as is"),
        row(
            Status.ABORTED.withDescription("checked").asException(),
            Status.Code.ABORTED,
            "checked"),
        row(
            Status.UNKNOWN.withDescription("vague").asRuntimeException(),
            Status.Code.INTERNAL,
            INTERNAL),
        row(new CancellationException("task cancelled"), Status.Code.CANCELLED, "cancelled"),
        row(
            new TimeoutException("db at 10.0.0.3 timed out"),
            Status.Code.DEADLINE_EXCEEDED,
            "deadline exceeded"),
        row(
            new CompletionException(new NotFoundException("item 42 not found")),
            Status.Code.NOT_FOUND,
            "item 42 not found"),
        row(
            new ExecutionException(new UnavailableException("ranking down")),
            Status.Code.UNAVAILABLE,
            "ranking down"),
        row(new IllegalStateException("password=hunter2"), Status.Code.INTERNAL, INTERNAL),
        row(new IllegalArgumentException("bug"), Status.Code.INTERNAL, INTERNAL),
        row(new AssertionError("bug"), Status.Code.INTERNAL, INTERNAL));
  }

  private static Arguments row(Throwable failure, Status.Code code, String description) {
    return Arguments.of(failure, code, description);
  }

  @ParameterizedTest(name = "{0} via {3} -> {1}")
  @MethodSource("tableByVia")
  void failure_reachesTheClientAsTheMappedStatus(
      Throwable failure, Status.Code code, String description, Via via) throws IOException {
    start(failingWith(failure, via));

    StatusRuntimeException e = callExpectingFailure();

    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).isEqualTo(description);
  }

  static Stream<Arguments> tableByVia() {
    return table()
        .flatMap(
            row -> {
              Object[] a = row.get();
              Throwable failure = (Throwable) a[0];
              boolean unchecked = failure instanceof RuntimeException || failure instanceof Error;
              Stream<Via> vias = unchecked ? Stream.of(Via.values()) : Stream.of(Via.ON_ERROR);
              return vias.map(via -> Arguments.of(a[0], a[1], a[2], via));
            });
  }

  @Test
  void unexpectedException_isLoggedOnceAtErrorWithTheMethodName() throws IOException {
    IllegalStateException bug = new IllegalStateException("bug");
    start(failingWith(bug, Via.THROWN));

    callExpectingFailure();

    List<ILoggingEvent> errors =
        logged.list.stream().filter(event -> event.getLevel() == Level.ERROR).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.getFirst().getFormattedMessage())
        .contains(TestService.RECALL.getFullMethodName());
    assertThat(errors.getFirst().getThrowableProxy().getMessage()).isEqualTo("bug");
  }

  @Test
  void expectedException_isNotLoggedAtError() throws IOException {
    start(failingWith(new InvalidArgumentException("k", "0 (expected: 1..100)"), Via.THROWN));

    callExpectingFailure();

    assertThat(logged.list).noneMatch(event -> event.getLevel() == Level.ERROR);
  }

  @Test
  void callerInterceptor_seesTheMappedStatus() throws IOException {
    AtomicReference<Status> seen = new AtomicReference<>();
    server =
        GrpcServer.builder("test-service", InProcessServerBuilder.forName(serverName))
            .addService(failingWith(new NotFoundException("gone"), Via.THROWN))
            .intercept(recordingClose(seen))
            .build();
    server.start();

    callExpectingFailure();

    assertThat(seen.get().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void exceptionAfterTheDeadline_isDeadlineExceededAndNotLoggedAsError() throws IOException {
    AtomicReference<Status> seen = new AtomicReference<>();
    server =
        GrpcServer.builder("test-service", InProcessServerBuilder.forName(serverName))
            .addService(
                TestService.of(
                    (request, response) -> {
                      CountDownLatch over = new CountDownLatch(1);
                      Context.current().addListener(context -> over.countDown(), Runnable::run);
                      awaitUninterruptibly(over);
                      throw new IllegalStateException("downstream call failed: socket closed");
                    }))
            .intercept(recordingClose(seen))
            .build();
    server.start();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    channel(),
                    TestService.RECALL,
                    CallOptions.DEFAULT.withDeadlineAfter(50, TimeUnit.MILLISECONDS),
                    TestService.request("u1")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(seen.get().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(logged.list).noneMatch(event -> event.getLevel() == Level.ERROR);
  }

  @Test
  void callerInterceptorThatThrows_isMappedToInternal() throws IOException {
    ServerInterceptor broken =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            throw new IllegalStateException("broken interceptor");
          }
        };
    server =
        GrpcServer.builder("test-service", InProcessServerBuilder.forName(serverName))
            .addService(TestService.answering("v1"))
            .intercept(broken)
            .build();
    server.start();

    StatusRuntimeException e = callExpectingFailure();

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo(INTERNAL);
  }

  @Test
  void exceptionAfterTheResponse_keepsTheResponseAndIsLogged() throws IOException {
    start(
        TestService.of(
            (request, response) -> {
              response.onNext(RecallResponse.newBuilder().setBundleVersion("v1").build());
              response.onCompleted();
              throw new IllegalStateException("late");
            }));

    RecallResponse response = TestService.call(channel(), TestService.request("u1"));

    assertThat(response.getBundleVersion()).isEqualTo("v1");
    // The handler throws after the client has its answer: wait for the log, do not race it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(logged.list)
                    .anyMatch(
                        event ->
                            event.getLevel() == Level.ERROR
                                && event
                                    .getFormattedMessage()
                                    .contains("after the call was closed")));
  }

  private void start(ServerServiceDefinition service) throws IOException {
    server =
        GrpcServer.builder("test-service", InProcessServerBuilder.forName(serverName))
            .addService(service)
            .build();
    server.start();
  }

  private ManagedChannel channel() {
    if (channel == null) {
      channel = InProcessChannelBuilder.forName(serverName).build();
    }
    return channel;
  }

  private StatusRuntimeException callExpectingFailure() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> TestService.call(channel(), TestService.request("u1")));
    assertThat(e).as("the call fails").isNotNull();
    return e;
  }

  private static ServerServiceDefinition failingWith(Throwable failure, Via via) {
    return TestService.of(
        (request, response) -> {
          if (via == Via.ON_ERROR) {
            response.onError(failure);
          } else if (failure instanceof RuntimeException e) {
            throw e;
          } else {
            throw (Error) failure;
          }
        });
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ServerInterceptor recordingClose(AtomicReference<Status> seen) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return next.startCall(
            new SimpleForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                seen.compareAndSet(null, status);
                super.close(status, trailers);
              }
            },
            headers);
      }
    };
  }
}
