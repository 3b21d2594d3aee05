package dev.recsuite.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A one-method service over plain strings, so these tests need no generated code. */
final class Echo {

  static final String SERVICE = "test.Echo";

  private static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echo"))
          .setRequestMarshaller(UTF8)
          .setResponseMarshaller(UTF8)
          .build();

  private Echo() {}

  /** Returns the service, answering each request with {@code prefix + request}. */
  static ServerServiceDefinition service(String prefix) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            ECHO,
            ServerCalls.asyncUnaryCall(
                (request, response) -> {
                  response.onNext(prefix + request);
                  response.onCompleted();
                }))
        .build();
  }

  static String call(Channel channel, String request) {
    return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, request);
  }
}
