package dev.recsuite.grpc.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.grpc.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServedBundlesTest {

  private final MutableClock clock = new MutableClock();
  private final ServedBundles<Model> served = new ServedBundles<>("test-service", clock, Duration.ofMinutes(5));

  @Test
  void acquire_emptyVersion_leasesTheNewest() {
    served.publish("v1", new Model());
    served.publish("v2", new Model());

    try (ServedBundles.Lease<Model> lease = served.acquire("")) {
      assertThat(lease.version()).isEqualTo("v2");
    }
    assertThat(served.newestVersion()).isEqualTo("v2");
    assertThat(served.versions()).containsExactly("v1", "v2");
  }

  @Test
  void acquire_pinnedPreviousVersion_isServedDuringRetention() {
    Model first = new Model();
    served.publish("v1", first);
    served.publish("v2", new Model());

    try (ServedBundles.Lease<Model> lease = served.acquire("v1")) {
      assertThat(lease.model()).isSameAs(first);
    }
  }

  @Test
  void evictExpired_afterRetention_retiresAndClosesTheReplacedVersion() {
    Model first = new Model();
    served.publish("v1", first);
    served.publish("v2", new Model());

    clock.advance(Duration.ofMinutes(5));
    served.evictExpired();

    assertThat(served.versions()).containsExactly("v2");
    assertThat(first.closed.get()).isEqualTo(1);
    assertThatThrownBy(() -> served.acquire("v1"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("bundle version 'v1' is not loaded by test-service (loaded: [v2])");
  }

  @Test
  void retiredModel_inUse_closesOnlyWhenTheLastLeaseIsReleased() {
    Model first = new Model();
    served.publish("v1", first);
    ServedBundles.Lease<Model> lease = served.acquire("v1");
    served.publish("v2", new Model());
    clock.advance(Duration.ofMinutes(6));
    served.evictExpired();

    assertThat(first.closed.get()).isZero();
    lease.close();
    lease.close();
    assertThat(first.closed.get()).isEqualTo(1);
  }

  @Test
  void newestVersion_isNeverRetiredByTime() {
    Model only = new Model();
    served.publish("v1", only);

    clock.advance(Duration.ofDays(30));
    served.evictExpired();

    assertThat(served.versions()).containsExactly("v1");
    assertThat(only.closed.get()).isZero();
  }

  @Test
  void publish_olderOrSameVersion_isRejected() {
    served.publish("v2", new Model());

    assertThatThrownBy(() -> served.publish("v1", new Model()))
        .hasMessage("version: v1 (expected: newer than the served v2)");
  }

  @Test
  void stop_retiresEverythingAndRefusesLeases() {
    Model model = new Model();
    served.publish("v1", model);

    served.stop();

    assertThat(model.closed.get()).isEqualTo(1);
    assertThatThrownBy(() -> served.acquire("")).isInstanceOf(IllegalStateException.class);
    Model late = new Model();
    assertThatThrownBy(() -> served.publish("v2", late)).isInstanceOf(IllegalStateException.class);
    assertThat(late.closed.get()).isEqualTo(1);
  }

  @Test
  void acquire_beforeAnyBundle_failsSayingSo() {
    assertThatThrownBy(() -> served.acquire(""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("test-service has no bundle loaded");
  }

  static final class Model implements AutoCloseable {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-30T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void quoted_hostileVersion_isEscapedAndCut() {
    assertThat(ServedBundles.quoted("v1\nX")).isEqualTo("'v1\\u000aX'");
    assertThat(ServedBundles.quoted("a".repeat(200_000))).isEqualTo("'" + "a".repeat(80) + "'... (200000 characters)");
  }
}
