package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limits every server enforces on what one client or one request may do. */
class ServerLimitsTest {

  private final List<GrpcServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    servers.forEach(GrpcServer::shutdownNow);
  }

  @Test
  void maxConcurrentCallsPerConnection_extraCallsWaitInTheClientUntilAStreamFrees() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger entered = new AtomicInteger();
    ServerSettings settings =
        ServerSettings.defaults()
            .withConnections(new ConnectionPolicy(2, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, Duration.ZERO));
    GrpcServer server =
        start(
            GrpcServer.builder("test-service", settings)
                .addService(
                    TestService.of(
                        (request, response) -> {
                          entered.incrementAndGet();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          response.onNext(RecallResponse.newBuilder().setBundleVersion("v1").build());
                          response.onCompleted();
                        })));
    ManagedChannel channel = netty(server.port());

    List<Future<RecallResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(TestService.callAsync(channel, TestService.request("u" + i)));
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> entered.get() == 2);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> entered.get() == 2);
    assertThat(server.stats().callsInFlight()).isEqualTo(2);
    release.countDown();
    for (Future<RecallResponse> call : calls) {
      assertThat(call.get(5, TimeUnit.SECONDS).getBundleVersion()).isEqualTo("v1");
    }
    assertThat(entered.get()).isEqualTo(3);
  }

  @Test
  void maxConnectionAge_closesTheConnectionSoTheClientReconnects() throws Exception {
    ServerSettings settings =
        ServerSettings.defaults()
            .withConnections(
                new ConnectionPolicy(100, Duration.ofMinutes(1), Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(1)));
    GrpcServer server = start(GrpcServer.builder("test-service", settings).addService(TestService.answering("v1")));
    ManagedChannel channel = netty(server.port());
    assertThat(TestService.call(channel, TestService.request("u1")).getBundleVersion()).isEqualTo("v1");
    assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);

    await().atMost(Duration.ofSeconds(5)).until(() -> channel.getState(false) == ConnectivityState.IDLE);

    assertThat(TestService.call(channel, TestService.request("u2")).getBundleVersion()).isEqualTo("v1");
  }

  @Test
  void maxConnectionIdle_closesAnIdleConnection() throws Exception {
    ServerSettings settings =
        ServerSettings.defaults()
            .withConnections(new ConnectionPolicy(100, Duration.ofMinutes(1), Duration.ofMillis(300), Duration.ZERO, Duration.ZERO));
    GrpcServer server = start(GrpcServer.builder("test-service", settings).addService(TestService.answering("v1")));
    ManagedChannel channel = netty(server.port());
    assertThat(TestService.call(channel, TestService.request("u1")).getBundleVersion()).isEqualTo("v1");

    await().atMost(Duration.ofSeconds(5)).until(() -> channel.getState(false) == ConnectivityState.IDLE);
  }

  @Test
  void metadataAboveMaxInboundMetadataBytes_neverReachesTheServer() throws Exception {
    GrpcServer server =
        start(GrpcServer.builder("test-service", ServerSettings.defaults()).addService(TestService.answering("v1")));
    Metadata huge = new Metadata();
    huge.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "p".repeat(ServerSettings.DEFAULT_MAX_INBOUND_METADATA_BYTES + 1));
    ManagedChannel channel = netty(server.port());
    ManagedChannel padded =
        track(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
            .intercept(MetadataUtils.newAttachHeadersInterceptor(huge)).build());

    // The server advertises its limit (HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE); a gRPC client then
    // refuses to send the headers at all, and a client that ignores it has its stream reset.
    assertThatThrownBy(() -> TestService.call(padded, TestService.request("u1")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
          assertThat(e.getStatus().getCause()).hasMessageContaining("Header size exceeded max allowed size (8192)");
        });
    // The server is unharmed.
    assertThat(TestService.call(channel, TestService.request("u2")).getBundleVersion()).isEqualTo("v1");
  }

  @Test
  void nonFiniteNumberInARequest_isInvalidArgumentNamingTheField_beforeTheHandlerRuns() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    String name = InProcessServerBuilder.generateName();
    start(
        GrpcServer.builder("feature-service", InProcessServerBuilder.forName(name))
            .addService(
                new FeatureServiceGrpc.FeatureServiceImplBase() {
                  @Override
                  public void recordEvents(RecordEventsRequest request, StreamObserver<RecordEventsResponse> responses) {
                    handled.incrementAndGet();
                    responses.onNext(RecordEventsResponse.getDefaultInstance());
                    responses.onCompleted();
                  }
                }));
    var stub = FeatureServiceGrpc.newBlockingStub(track(InProcessChannelBuilder.forName(name).build()));
    FeedbackEvent.Builder event =
        FeedbackEvent.newBuilder().setEventId("e1").setUserId("u1").setItemId("i1").setType(EventType.EVENT_TYPE_RATING);

    assertThatThrownBy(() -> stub.recordEvents(RecordEventsRequest.newBuilder().addEvents(event.setValue(Float.NaN)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("events[0].value: NaN (expected: a finite number)");
        });
    assertThat(handled.get()).isZero();
    stub.recordEvents(RecordEventsRequest.newBuilder().addEvents(event.setValue(4.5f)).build());
    assertThat(handled.get()).isEqualTo(1);
  }

  private GrpcServer start(GrpcServer.Builder builder) throws Exception {
    GrpcServer server = builder.build();
    servers.add(server);
    server.start();
    return server;
  }

  private ManagedChannel netty(int port) {
    return track(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
  }

  private ManagedChannel track(ManagedChannel channel) {
    channels.add(channel);
    return channel;
  }
}
