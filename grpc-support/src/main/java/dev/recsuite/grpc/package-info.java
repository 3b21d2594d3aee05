/**
 * The shared runtime of recsuite's gRPC services: {@link dev.recsuite.grpc.GrpcServer} (health,
 * reflection, graceful drain, exception-to-status mapping), {@link dev.recsuite.grpc.Lifecycle},
 * {@link dev.recsuite.grpc.ServiceMain} with picocli options read from the environment, and {@link
 * dev.recsuite.grpc.RequestValidation}.
 */
package dev.recsuite.grpc;
