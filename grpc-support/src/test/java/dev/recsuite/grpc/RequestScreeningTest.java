package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.StreamFeedbackRequest;
import dev.recsuite.gateway.v1.StreamFeedbackResponse;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request bytes that are not a message of the method's type get {@code INVALID_ARGUMENT} before any
 * handler runs, over a real connection that stays usable (grpc-java alone answers {@code UNKNOWN},
 * logs a stack trace per frame and, in a client stream, can drop the connection).
 */
class RequestScreeningTest {

  private static final long WAIT_SECONDS = 10;

  /** Not a protobuf message: field 1 announced as length-delimited with 100 bytes, then 2. */
  private static final byte[] TRUNCATED = {0x0a, 0x64, 0x41, 0x42};
  /** An invalid wire type (7) in the first tag. */
  private static final byte[] GARBAGE = {0x0f, (byte) 0xff, (byte) 0xff, 0x01};

  private final AtomicInteger handled = new AtomicInteger();
  private GrpcServer server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void unary_bytesThatAreNotTheRequestType_areInvalidArgumentAndTheHandlerNeverRuns() throws IOException {
    start(TestService.of((request, response) -> {
      handled.incrementAndGet();
      response.onNext(RecallResponse.getDefaultInstance());
      response.onCompleted();
    }));

    for (byte[] bytes : new byte[][] {TRUNCATED, GARBAGE}) {
      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw(TestService.RECALL), CallOptions.DEFAULT, bytes))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription())
                .isEqualTo("request: not a valid dev.recsuite.recall.v1.RecallRequest message (truncated, corrupt or of another type)");
          });
    }

    assertThat(handled).hasValue(0);
    assertThat(TestService.call(channel, TestService.request("u1"))).isEqualTo(RecallResponse.getDefaultInstance());
    assertThat(handled).hasValue(1);
  }

  @Test
  void unary_emptyBytes_areTheDefaultMessageAndReachTheHandler() throws IOException {
    start(TestService.of((request, response) -> {
      handled.incrementAndGet();
      response.onNext(RecallResponse.getDefaultInstance());
      response.onCompleted();
    }));

    byte[] answer = ClientCalls.blockingUnaryCall(channel, raw(TestService.RECALL), CallOptions.DEFAULT, new byte[0]);

    assertThat(answer).isEmpty();
    assertThat(handled).hasValue(1);
  }

  @Test
  void clientStream_aCorruptFrame_endsTheCallInvalidArgument_theHandlerSeesItCancelled_andTheConnectionStays()
      throws Exception {
    CompletableFuture<Throwable> handlerSaw = new CompletableFuture<>();
    MethodDescriptor<StreamFeedbackRequest, StreamFeedbackResponse> method = GatewayServiceGrpc.getStreamFeedbackMethod();
    start(ServerServiceDefinition.builder(GatewayServiceGrpc.SERVICE_NAME)
        .addMethod(method, ServerCalls.asyncClientStreamingCall(response -> new StreamObserver<>() {
          @Override
          public void onNext(StreamFeedbackRequest request) {
            handled.incrementAndGet();
          }

          @Override
          public void onError(Throwable t) {
            handlerSaw.complete(t);
          }

          @Override
          public void onCompleted() {
            response.onNext(StreamFeedbackResponse.newBuilder().setBatchCount(handled.get()).build());
            response.onCompleted();
          }
        }))
        .build());
    CompletableFuture<Status> outcome = new CompletableFuture<>();

    StreamObserver<byte[]> requests =
        ClientCalls.asyncClientStreamingCall(channel.newCall(raw(method), CallOptions.DEFAULT), new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {}

          @Override
          public void onError(Throwable t) {
            outcome.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            outcome.complete(Status.OK);
          }
        });
    requests.onNext(StreamFeedbackRequest.getDefaultInstance().toByteArray());
    requests.onNext(GARBAGE);
    requests.onNext(StreamFeedbackRequest.getDefaultInstance().toByteArray());
    requests.onCompleted();

    Status status = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("dev.recsuite.gateway.v1.StreamFeedbackRequest");
    assertThat(Status.fromThrowable(handlerSaw.get(WAIT_SECONDS, TimeUnit.SECONDS)).getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(handled).hasValue(1);
    // The same connection still serves a well-formed stream.
    StreamFeedbackResponse next =
        ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, StreamFeedbackRequest.getDefaultInstance());
    assertThat(next.getBatchCount()).isEqualTo(2);
  }

  private void start(ServerServiceDefinition service) throws IOException {
    server = GrpcServer.builder("screening-test", ServerSettings.defaults()).addService(service).build();
    server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  /** The method with its messages as raw bytes, sent as they are. */
  private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
    return method.toBuilder(BYTES, BYTES).build();
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
}
