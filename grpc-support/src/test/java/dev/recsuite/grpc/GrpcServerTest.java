package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GrpcServerTest {

  private static final long WAIT_SECONDS = 10;

  private final String serverName = InProcessServerBuilder.generateName();
  private final List<GrpcServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    for (GrpcServer server : servers) {
      server.shutdownGracefully();
    }
  }

  @Test
  void start_marksOverallAndEachServiceServing() throws IOException {
    start(inProcess().addService(TestService.answering("v1")));

    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel());

    assertThat(health.check(healthOf("")).getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(healthOf(TestService.SERVICE)).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void start_servesTheRegisteredService() throws IOException {
    start(inProcess().addService(TestService.answering("v7")));

    RecallResponse response = TestService.call(channel(), TestService.request("u1"));

    assertThat(response.getBundleVersion()).isEqualTo("v7");
  }

  @Test
  void reflection_listsTheRegisteredServiceBesideHealthAndReflection() throws Exception {
    start(inProcess().addService(TestService.answering("v1")));
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();

    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel()).serverReflectionInfo(completing(answer));
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();

    List<String> services =
        answer
            .get(WAIT_SECONDS, TimeUnit.SECONDS)
            .getListServicesResponse()
            .getServiceList()
            .stream()
            .map(ServiceResponse::getName)
            .toList();
    assertThat(services)
        .containsExactlyInAnyOrder(
            TestService.SERVICE, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
  }

  @Test
  void handlers_runOnNamedVirtualThreads() throws IOException {
    AtomicReference<Thread> handlerThread = new AtomicReference<>();
    start(
        inProcess()
            .addService(
                TestService.of(
                    (request, response) -> {
                      handlerThread.set(Thread.currentThread());
                      response.onNext(RecallResponse.getDefaultInstance());
                      response.onCompleted();
                    })));

    TestService.call(channel(), TestService.request("u1"));

    assertThat(handlerThread.get().isVirtual()).isTrue();
    assertThat(handlerThread.get().getName()).startsWith("test-service-handler-");
  }

  @Test
  void shutdownGracefully_marksNotServingAndLetsTheInFlightCallFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GrpcServer server =
        start(
            inProcess()
                .shutdownGrace(Duration.ofMinutes(1))
                .addService(
                    TestService.of(
                        (request, response) -> {
                          entered.countDown();
                          awaitUninterruptibly(release);
                          response.onNext(
                              RecallResponse.newBuilder().setBundleVersion("v1").build());
                          response.onCompleted();
                        })));
    ManagedChannel channel = channel();
    BlockingQueue<ServingStatus> watched = watchHealth(channel, "");
    assertThat(watched.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
    Future<RecallResponse> inFlight = TestService.callAsync(channel, TestService.request("u1"));
    assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    Thread shutdown = Thread.ofPlatform().name("test-shutdown").start(server::shutdownGracefully);

    assertThat(watched.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
    // The shutdown parks once it waits for the in-flight call; only then is "still running" news.
    await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> shutdown.getState() == Thread.State.TIMED_WAITING);
    assertThat(inFlight).isNotDone();
    release.countDown();
    assertThat(inFlight.get(WAIT_SECONDS, TimeUnit.SECONDS).getBundleVersion()).isEqualTo("v1");
    shutdown.join(Duration.ofSeconds(WAIT_SECONDS));
    assertThat(shutdown.isAlive()).isFalse();
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownGracefully_openHealthWatch_doesNotWaitForTheGrace() throws Exception {
    GrpcServer server =
        start(
            inProcess().shutdownGrace(Duration.ofHours(1)).addService(TestService.answering("v1")));
    BlockingQueue<ServingStatus> watched = watchHealth(channel(), TestService.SERVICE);
    assertThat(watched.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);

    // With an hour of grace, only the in-flight count (zero) lets this return before @Timeout.
    server.shutdownGracefully();

    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownGracefully_callOutlivesTheGrace_isCancelled() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GrpcServer server =
        start(
            inProcess()
                .shutdownGrace(Duration.ZERO)
                .addService(
                    TestService.of(
                        (request, response) -> {
                          entered.countDown();
                          awaitUninterruptibly(release);
                        })));
    Future<RecallResponse> inFlight = TestService.callAsync(channel(), TestService.request("u1"));
    assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    try {
      server.shutdownGracefully();

      assertThat(server.isTerminated()).isTrue();
      assertThatThrownBy(() -> inFlight.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.OK));
    } finally {
      release.countDown();
    }
  }

  @Test
  void maxConcurrentCalls_exceeded_shedsAtOnceAndStillAnswersHealth() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GrpcServer server =
        start(
            inProcess()
                .maxConcurrentCalls(1)
                .addService(
                    TestService.of(
                        (request, response) -> {
                          entered.countDown();
                          awaitUninterruptibly(release);
                          response.onNext(RecallResponse.newBuilder().setBundleVersion("v1").build());
                          response.onCompleted();
                        })));
    ManagedChannel channel = channel();
    Future<RecallResponse> first = TestService.callAsync(channel, TestService.request("u1"));
    assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    try {
      assertThatThrownBy(() -> TestService.call(channel, TestService.request("u2")))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo("test-service is overloaded: 2 calls in flight (limit: 1)");
              });
      assertThat(HealthGrpc.newBlockingStub(channel).check(healthOf("")).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(server.stats()).isEqualTo(new ServerStats(1, 1, 1));
    } finally {
      release.countDown();
    }

    assertThat(first.get(WAIT_SECONDS, TimeUnit.SECONDS).getBundleVersion()).isEqualTo("v1");
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> server.stats().callsInFlight() == 0);
    assertThat(TestService.call(channel, TestService.request("u3")).getBundleVersion()).isEqualTo("v1");
  }

  @Test
  void maxConcurrentCalls_zero_neverSheds() throws Exception {
    CountDownLatch entered = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    GrpcServer server =
        start(
            inProcess()
                .maxConcurrentCalls(0)
                .addService(
                    TestService.of(
                        (request, response) -> {
                          entered.countDown();
                          awaitUninterruptibly(release);
                          response.onNext(RecallResponse.getDefaultInstance());
                          response.onCompleted();
                        })));
    ManagedChannel channel = channel();
    List<Future<RecallResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(TestService.callAsync(channel, TestService.request("u" + i)));
    }

    try {
      assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("all three calls run at once").isTrue();
      assertThat(server.stats()).isEqualTo(new ServerStats(3, 0, 0));
    } finally {
      release.countDown();
    }
    for (Future<RecallResponse> call : calls) {
      assertThat(call.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void shutdownNow_cancelsInFlightCallsWithoutWaitingForTheGrace() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GrpcServer server =
        start(
            inProcess()
                .shutdownGrace(Duration.ofHours(1))
                .addService(
                    TestService.of(
                        (request, response) -> {
                          entered.countDown();
                          awaitUninterruptibly(release);
                        })));
    Future<RecallResponse> inFlight = TestService.callAsync(channel(), TestService.request("u1"));
    assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    try {
      server.shutdownNow();

      assertThat(server.isTerminated()).isTrue();
      assertThatThrownBy(() -> inFlight.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(StatusRuntimeException.class);
      server.shutdownGracefully(); // harmless afterwards
    } finally {
      release.countDown();
    }
  }

  @Test
  void shutdownGracefully_twice_isHarmless() throws IOException {
    GrpcServer server = start(inProcess().addService(TestService.answering("v1")));

    server.shutdownGracefully();
    server.shutdownGracefully();

    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownGracefully_neverStarted_terminates() {
    GrpcServer server = inProcess().addService(TestService.answering("v1")).build();

    server.shutdownGracefully();

    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void start_twice_fails() throws IOException {
    GrpcServer server = start(inProcess().addService(TestService.answering("v1")));

    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("test-service: start: server is RUNNING (expected: NEW)");
  }

  @Test
  void netty_servesOnAnEphemeralLoopbackPort() throws IOException {
    GrpcServer server =
        start(
            GrpcServer.builder("test-service", ServerSettings.defaults())
                .addService(TestService.answering("v3")));

    ManagedChannel channel = netty(server.port());

    assertThat(server.port()).isPositive();
    assertThat(TestService.call(channel, TestService.request("u1")).getBundleVersion())
        .isEqualTo("v3");
  }

  @Test
  void shutdownGracefully_withConnectedClients_keepsServingThroughTheDrainDelayWhileNotServing()
      throws Exception {
    ServerSettings settings =
        new ServerSettings(
            "127.0.0.1", 0, 4096, 8192, Duration.ofSeconds(5), 0, Duration.ofMillis(800));
    GrpcServer server =
        start(GrpcServer.builder("test-service", settings).addService(TestService.answering("v1")));
    ManagedChannel channel = netty(server.port());
    assertThat(TestService.call(channel, TestService.request("u1")).getBundleVersion()).isEqualTo("v1");

    Thread stopping = Thread.ofPlatform().start(server::shutdownGracefully);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                HealthGrpc.newBlockingStub(channel).check(healthOf("")).getStatus()
                    == ServingStatus.NOT_SERVING);

    // Reported NOT_SERVING, yet still answering calls until the delay has passed.
    assertThat(TestService.call(channel, TestService.request("u2")).getBundleVersion()).isEqualTo("v1");
    stopping.join(Duration.ofSeconds(10));
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownGracefully_withoutClients_skipsTheDrainDelay() throws Exception {
    ServerSettings settings =
        new ServerSettings("127.0.0.1", 0, 4096, 8192, Duration.ofSeconds(5), 0, Duration.ofHours(1));
    GrpcServer server =
        start(GrpcServer.builder("test-service", settings).addService(TestService.answering("v1")));

    server.shutdownGracefully();

    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void netty_requestAboveMaxInboundMessageBytes_isRejected() throws IOException {
    ServerSettings settings =
        new ServerSettings("127.0.0.1", 0, 1024, 8192, ServerSettings.DEFAULT_SHUTDOWN_GRACE);
    GrpcServer server =
        start(GrpcServer.builder("test-service", settings).addService(TestService.answering("v1")));
    ManagedChannel channel = netty(server.port());

    assertThat(TestService.call(channel, TestService.request("a".repeat(1000))).getBundleVersion())
        .isEqualTo("v1");
    assertThatThrownBy(() -> TestService.call(channel, TestService.request("a".repeat(2000))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void start_portInUse_failsNamingTheAddress() throws IOException {
    GrpcServer first =
        start(
            GrpcServer.builder("first", ServerSettings.defaults())
                .addService(TestService.answering("v1")));
    int taken = first.port();
    GrpcServer second =
        GrpcServer.builder("test-service", ServerSettings.defaults().withPort(taken))
            .addService(TestService.answering("v1"))
            .build();
    servers.add(second);

    assertThatThrownBy(second::start)
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken + ": ")
        .hasMessageNotContaining("bind(");
  }

  @Test
  void handlers_runOnNamedVirtualThreadsByDefault() throws IOException {
    AtomicReference<Thread> handlerThread = new AtomicReference<>();
    GrpcServer server =
        start(GrpcServer.builder("test-service", ServerSettings.defaults()).addService(recordingThread(handlerThread)));

    TestService.call(netty(server.port()), TestService.request("u1"));

    assertThat(handlerThread.get().isVirtual()).isTrue();
    assertThat(handlerThread.get().getName()).startsWith("test-service-handler-");
  }

  @Test
  void nonBlockingHandlers_runOnTheTransportThreads() throws IOException {
    AtomicReference<Thread> handlerThread = new AtomicReference<>();
    GrpcServer server =
        start(
            GrpcServer.builder("test-service", ServerSettings.defaults())
                .nonBlockingHandlers()
                .addService(recordingThread(handlerThread)));

    assertThat(TestService.call(netty(server.port()), TestService.request("u1")).getBundleVersion())
        .isEqualTo("v1");

    assertThat(handlerThread.get().isVirtual()).isFalse();
    assertThat(handlerThread.get().getName()).doesNotStartWith("test-service-handler-");
  }

  @Test
  void nonBlockingHandlers_blockingMethodsStillRunOnNamedVirtualThreads() throws IOException {
    AtomicReference<Thread> handlerThread = new AtomicReference<>();
    GrpcServer server =
        start(
            GrpcServer.builder("test-service", ServerSettings.defaults())
                .nonBlockingHandlers()
                .blockingMethods(TestService.RECALL)
                .addService(recordingThread(handlerThread)));

    assertThat(TestService.call(netty(server.port()), TestService.request("u1")).getBundleVersion())
        .isEqualTo("v1");

    assertThat(handlerThread.get().isVirtual()).isTrue();
    assertThat(handlerThread.get().getName()).startsWith("test-service-handler-");
  }

  @Test
  void build_nonBlockingHandlersWithAHandlerExecutor_fails() {
    GrpcServer.Builder builder =
        inProcess()
            .addService(TestService.answering("v1"))
            .nonBlockingHandlers()
            .handlerExecutor(Runnable::run);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("test-service: build: nonBlockingHandlers and handlerExecutor exclude each other");
  }

  @Test
  void build_withoutService_fails() {
    assertThatThrownBy(() -> inProcess().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("test-service: build: no service added");
  }

  @Test
  void build_sameServiceTwice_failsNamingIt() {
    GrpcServer.Builder builder =
        inProcess().addService(TestService.answering("a")).addService(TestService.answering("b"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service added twice: " + TestService.SERVICE);
  }

  @Test
  void builder_negativeGrace_failsNamingTheValue() {
    assertThatThrownBy(() -> inProcess().shutdownGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shutdownGrace: PT-1S (expected: >= 0)");
  }

  private GrpcServer.Builder inProcess() {
    return GrpcServer.builder("test-service", InProcessServerBuilder.forName(serverName));
  }

  private GrpcServer start(GrpcServer.Builder builder) throws IOException {
    GrpcServer server = builder.build();
    servers.add(server);
    server.start();
    return server;
  }

  private ManagedChannel channel() {
    ManagedChannel channel = InProcessChannelBuilder.forName(serverName).build();
    channels.add(channel);
    return channel;
  }

  private static ServerServiceDefinition recordingThread(AtomicReference<Thread> thread) {
    return TestService.of(
        (request, response) -> {
          thread.set(Thread.currentThread());
          response.onNext(RecallResponse.newBuilder().setBundleVersion("v1").build());
          response.onCompleted();
        });
  }

  private ManagedChannel netty(int port) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  private static HealthCheckRequest healthOf(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  private static BlockingQueue<ServingStatus> watchHealth(ManagedChannel channel, String service) {
    BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
    HealthGrpc.newStub(channel)
        .watch(
            healthOf(service),
            new StreamObserver<>() {
              @Override
              public void onNext(HealthCheckResponse value) {
                statuses.add(value.getStatus());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    return statuses;
  }

  private static <T> StreamObserver<T> completing(CompletableFuture<T> future) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        future.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        future.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
