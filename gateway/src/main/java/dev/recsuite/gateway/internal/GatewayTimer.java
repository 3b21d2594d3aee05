package dev.recsuite.gateway.internal;

import dev.recsuite.grpc.Managed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The gateway's one timer thread ({@code gateway-timer}): hedging delays, reconnect nudges and the
 * popular list's refresh schedule. Tasks on it must not block; the refresh hands its work to a
 * virtual thread.
 */
public final class GatewayTimer implements Managed {

  private final ScheduledThreadPoolExecutor executor;

  /** Creates the timer; its thread starts with the first task. */
  public GatewayTimer() {
    this.executor =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("gateway-timer").daemon(true).factory());
    // Hedge timers are cancelled as soon as the first attempt answers: do not keep them queued.
    executor.setRemoveOnCancelPolicy(true);
  }

  /** The scheduler. */
  public ScheduledExecutorService executor() {
    return executor;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    executor.shutdownNow();
  }
}
