package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  private final List<String> events = new ArrayList<>();

  @Test
  void start_startsInRegistrationOrder_stopStopsInReverse() throws Exception {
    Lifecycle lifecycle =
        Lifecycle.of(component("bundle"), component("cache"), component("server"));

    lifecycle.start();
    lifecycle.stop();

    assertThat(events)
        .containsExactly(
            "start bundle",
            "start cache",
            "start server",
            "stop server",
            "stop cache",
            "stop bundle");
    assertThat(lifecycle.isStopped()).isTrue();
  }

  @Test
  void start_componentFails_stopsTheStartedOnesInReverseAndRethrows() {
    IllegalStateException failure = new IllegalStateException("bundle directory /x does not exist");
    Lifecycle lifecycle =
        Lifecycle.of(component("a"), component("b"), failing("c", failure, null), component("d"));

    assertThatThrownBy(lifecycle::start).isSameAs(failure);
    assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
    assertThat(lifecycle.isStopped()).isTrue();
  }

  @Test
  void stop_componentFailsToStop_theOthersStillStop() throws Exception {
    Lifecycle lifecycle =
        Lifecycle.of(
            component("a"), failing("b", null, new IllegalStateException("stuck")), component("c"));
    lifecycle.start();

    lifecycle.stop();

    assertThat(events).containsExactly("start a", "start b", "start c", "stop c", "stop a");
  }

  @Test
  void stop_twice_stopsOnce() throws Exception {
    Lifecycle lifecycle = Lifecycle.of(component("a"));
    lifecycle.start();

    lifecycle.stop();
    lifecycle.stop();

    assertThat(events).containsExactly("start a", "stop a");
  }

  @Test
  void stop_beforeStart_stopsNothingAndReleasesWaiters() throws InterruptedException {
    Lifecycle lifecycle = Lifecycle.of(component("a"));

    lifecycle.stop();
    lifecycle.awaitStopped();

    assertThat(events).isEmpty();
    assertThat(lifecycle.isStopped()).isTrue();
  }

  @Test
  void start_afterStop_fails() {
    Lifecycle lifecycle = Lifecycle.of(component("a"));
    lifecycle.stop();

    assertThatThrownBy(lifecycle::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("start: lifecycle is STOPPED (expected: NEW)");
    assertThat(events).isEmpty();
  }

  @Test
  void awaitStopped_returnsOnceAnotherThreadStops() throws Exception {
    Lifecycle lifecycle = Lifecycle.of(component("a"));
    lifecycle.start();
    Thread stopper = Thread.ofPlatform().unstarted(lifecycle::stop);

    stopper.start();
    lifecycle.awaitStopped();

    assertThat(events).containsExactly("start a", "stop a");
  }

  private Managed component(String name) {
    return failing(name, null, null);
  }

  private Managed failing(String name, RuntimeException onStart, RuntimeException onStop) {
    return new Managed() {
      @Override
      public void start() {
        if (onStart != null) {
          throw onStart;
        }
        events.add("start " + name);
      }

      @Override
      public void stop() {
        if (onStop != null) {
          throw onStop;
        }
        events.add("stop " + name);
      }
    };
  }
}
