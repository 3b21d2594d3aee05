package dev.recsuite.cli.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Sends request number {@code index} of a load run. The future completes with {@code true} when the
 * answer was degraded, {@code false} when it was complete, or exceptionally when the call failed (a
 * gRPC {@code StatusRuntimeException} is counted under its status code).
 */
@FunctionalInterface
public interface RequestSender {

  /** Starts request {@code index}; must not block for the answer. */
  CompletableFuture<Boolean> send(long index);
}
