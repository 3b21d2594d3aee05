package dev.recsuite.cli.internal;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Polls a service's {@code grpc.health.v1.Health} until it reports SERVING. */
public final class HealthWaiter {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final Clock clock;

  public HealthWaiter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Waits until {@code process} serves on loopback, it exits, or {@code timeout} passes.
   *
   * @throws IllegalStateException naming the service and quoting its log if it exited or timed out
   */
  public void awaitServing(ServiceProcess process, Duration timeout) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", process.port()).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      Instant giveUp = clock.instant().plus(timeout);
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "%s exited with code %d before serving; last log lines (%s):%n%s"
                  .formatted(process.name(), process.exitCode(), process.logFile(), process.logTail(15)));
        }
        try {
          ServingStatus status =
              health
                  .withDeadlineAfter(1, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus();
          if (status == ServingStatus.SERVING) {
            return;
          }
        } catch (StatusRuntimeException notYetListening) {
          // The process is still starting: try again.
        }
        if (clock.instant().isAfter(giveUp)) {
          throw new IllegalStateException(
              "%s did not become healthy on port %d within %s; last log lines (%s):%n%s"
                  .formatted(process.name(), process.port(), timeout, process.logFile(), process.logTail(15)));
        }
        LockSupport.parkNanos(POLL_INTERVAL.toNanos());
      }
    } finally {
      channel.shutdownNow();
    }
  }
}
