package dev.recsuite.it.fuzz;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls a gRPC method with request frames given as raw bytes, so that a test can send what no
 * generated stub would: truncated or garbage messages, invalid UTF-8, unknown fields.
 */
final class RawCalls {

  /** Passes frames through unchanged. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try (stream) {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** What a call ended with: its status and, when OK, the response frame. */
  record Outcome(Status status, byte[] response, Duration took) {}

  private RawCalls() {}

  /** A method descriptor of the same name and type as {@code method}, with byte frames. */
  static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(method.getType())
        .setFullMethodName(method.getFullMethodName())
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /**
   * Sends {@code frames} (one for a unary method, one or more for a client-streaming one) and waits
   * for the end of the call, at most {@code deadline} plus a second of grace.
   *
   * @throws TimeoutException if the call did not end by then (a hang: the deadline was not kept)
   */
  static Outcome call(Channel channel, MethodDescriptor<byte[], byte[]> method, List<byte[]> frames, Duration deadline)
      throws TimeoutException, InterruptedException {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    long start = System.nanoTime();
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    StreamObserver<byte[]> responses =
        new StreamObserver<>() {
          private byte[] last;

          @Override
          public void onNext(byte[] value) {
            last = value;
          }

          @Override
          public void onError(Throwable t) {
            done.complete(new Outcome(Status.fromThrowable(t), null, Duration.ofNanos(System.nanoTime() - start)));
          }

          @Override
          public void onCompleted() {
            done.complete(new Outcome(Status.OK, last, Duration.ofNanos(System.nanoTime() - start)));
          }
        };
    switch (method.getType()) {
      case UNARY -> ClientCalls.asyncUnaryCall(channel.newCall(method, options), frames.getFirst(), responses);
      case CLIENT_STREAMING -> {
        StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(channel.newCall(method, options), responses);
        try {
          for (byte[] frame : frames) {
            requests.onNext(frame);
          }
          requests.onCompleted();
        } catch (StatusRuntimeException | IllegalStateException e) {
          // The server ended the call early; its status reaches the response observer.
        }
      }
      default -> throw new IllegalArgumentException("method type: " + method.getType() + " (expected: UNARY or CLIENT_STREAMING)");
    }
    try {
      return done.get(deadline.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the response observer failed", e.getCause());
    }
  }
}
