package dev.recsuite.grpc;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@link Managed} components in registration order and stops them in reverse order, so that
 * a server stops taking calls before the things its handlers use are closed.
 *
 * <p>Build it in the service's Guice module, listing the server last:
 *
 * <pre>{@code
 * @Provides @Singleton
 * Lifecycle lifecycle(BundleWatcher bundles, GrpcServer server) {
 *   return Lifecycle.of(bundles, server);
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #stop()} is idempotent and may race with {@link #start()} (a SIGTERM
 * during startup): it then waits for the start to finish and stops what was started.
 */
public final class Lifecycle {

  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final List<Managed> components;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private State state = State.NEW;
  private int started;

  /**
   * Creates a lifecycle of the components, in start order.
   *
   * @throws NullPointerException if a component is null
   */
  public Lifecycle(List<? extends Managed> components) {
    this.components = List.copyOf(components);
  }

  /**
   * Creates a lifecycle of the components, in start order.
   *
   * @throws NullPointerException if a component is null
   */
  public static Lifecycle of(Managed... components) {
    return new Lifecycle(List.of(components));
  }

  /**
   * Starts every component in registration order. If one fails, the ones already started are
   * stopped in reverse order and the failure is rethrown; the lifecycle is then stopped.
   *
   * @throws IllegalStateException if {@code start} was called before
   * @throws Exception the failure of the component that could not start
   */
  public synchronized void start() throws Exception {
    if (state != State.NEW) {
      throw new IllegalStateException("start: lifecycle is " + state + " (expected: NEW)");
    }
    state = State.RUNNING;
    for (Managed component : components) {
      try {
        component.start();
      } catch (Exception | Error e) {
        log.debug(
            "{} failed to start; stopping the {} started before it", name(component), started);
        stop();
        throw e;
      }
      started++;
      log.debug("Started {}", name(component));
    }
  }

  /**
   * Stops the started components in reverse order. A component that fails to stop is logged at WARN
   * and the others still stop. Calling it again, or before {@link #start()}, does nothing.
   */
  public synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    try {
      for (int i = started - 1; i >= 0; i--) {
        Managed component = components.get(i);
        try {
          component.stop();
          log.debug("Stopped {}", name(component));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          log.warn("Interrupted while stopping {}", name(component), e);
        } catch (Exception e) {
          log.warn("Failed to stop {}", name(component), e);
        }
      }
    } finally {
      started = 0;
      stopped.countDown();
    }
  }

  /**
   * Blocks until {@link #stop()} has finished (returns at once if it has).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Returns whether {@link #stop()} has finished. */
  public boolean isStopped() {
    return stopped.getCount() == 0;
  }

  private static String name(Managed component) {
    String simple = component.getClass().getSimpleName();
    return simple.isEmpty() ? component.getClass().getName() : simple;
  }

  @Override
  public String toString() {
    return "Lifecycle" + components.stream().map(Lifecycle::name).toList();
  }
}
