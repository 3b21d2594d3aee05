package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

  @Test
  void defaults_areLoopbackEphemeralGrpcLimitsAndTwentySeconds() {
    ServerSettings settings = ServerSettings.defaults();

    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isZero();
    assertThat(settings.maxInboundMessageBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(settings.maxInboundMetadataBytes()).isEqualTo(8 * 1024);
    assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.maxConcurrentCalls()).isEqualTo(512);
  }

  @Test
  void constructor_negativeConcurrencyLimit_failsNamingTheValue() {
    assertThatThrownBy(() -> ServerSettings.defaults().withMaxConcurrentCalls(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentCalls: -1 (expected: >= 0, 0 = no limit)");
  }

  @Test
  void withMaxConcurrentCalls_zero_turnsSheddingOffAndKeepsTheRest() {
    ServerSettings settings = ServerSettings.defaults().withPort(7).withMaxConcurrentCalls(0);

    assertThat(settings.maxConcurrentCalls()).isZero();
    assertThat(settings.port()).isEqualTo(7);
    assertThat(settings.withPort(8).maxConcurrentCalls()).isZero();
  }

  @Test
  void constructor_portOutOfRange_failsNamingTheValue() {
    assertThatThrownBy(() -> ServerSettings.defaults().withPort(70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> ServerSettings.defaults().withPort(-1))
        .hasMessage("port: -1 (expected: 0..65535)");
  }

  @Test
  void constructor_nonPositiveLimits_failNamingTheValue() {
    Duration grace = Duration.ofSeconds(1);

    assertThatThrownBy(() -> new ServerSettings("h", 0, 0, 1, grace))
        .hasMessage("maxInboundMessageBytes: 0 (expected: > 0)");
    assertThatThrownBy(() -> new ServerSettings("h", 0, 1, -5, grace))
        .hasMessage("maxInboundMetadataBytes: -5 (expected: > 0)");
  }

  @Test
  void constructor_blankHostOrNegativeGrace_failNamingTheValue() {
    assertThatThrownBy(() -> new ServerSettings(" ", 0, 1, 1, Duration.ZERO))
        .hasMessage("host: \" \" (expected: a host name or address)");
    assertThatThrownBy(() -> new ServerSettings("h", 0, 1, 1, Duration.ofMillis(-1)))
        .hasMessage("shutdownGrace: PT-0.001S (expected: >= 0)");
  }

  @Test
  void address_bracketsIpv6Hosts() {
    assertThat(ServerSettings.defaults().withPort(50052).address()).isEqualTo("127.0.0.1:50052");
    assertThat(new ServerSettings("::1", 1, 1, 1, Duration.ZERO).address()).isEqualTo("[::1]:1");
  }
}
