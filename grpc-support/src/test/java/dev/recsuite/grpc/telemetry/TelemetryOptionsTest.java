package dev.recsuite.grpc.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.grpc.ServerSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class TelemetryOptionsTest {

  @Command(name = "test")
  static final class TestCommand {
    @Mixin final TelemetryOptions telemetry = new TelemetryOptions();
  }

  private static TelemetrySettings parse(String... args) {
    TestCommand command = new TestCommand();
    new CommandLine(command).parseArgs(args);
    return command.telemetry.toSettings(ServerSettings.defaults());
  }

  @Test
  void defaults_noEndpointAndOneTraceInTen() {
    TelemetrySettings settings = parse();

    assertThat(settings.metricsEnabled()).isFalse();
    assertThat(settings.metricsPort()).isEqualTo(TelemetrySettings.METRICS_OFF);
    assertThat(settings.traceSampleRatio()).isEqualTo(0.1);
    assertThat(settings.metricsHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void metricsPort_given_opensTheEndpointOnTheServerHost() {
    TelemetrySettings settings = parse("--metrics-port", "9464", "--trace-sample-ratio", "1");

    assertThat(settings.metricsEnabled()).isTrue();
    assertThat(settings.metricsPort()).isEqualTo(9464);
    assertThat(settings.traceSampleRatio()).isEqualTo(1.0);
  }

  @Test
  void outOfRangeValues_failNamingTheOption() {
    assertThatThrownBy(() -> parse("--metrics-port", "70000"))
        .hasMessage("metrics-port: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> parse("--metrics-port", "-1"))
        .hasMessage("metrics-port: -1 (expected: 0..65535)");
    assertThatThrownBy(() -> parse("--trace-sample-ratio", "1.5"))
        .hasMessage("trace-sample-ratio: 1.5 (expected: 0..1)");
    assertThatThrownBy(() -> parse("--trace-sample-ratio", "NaN"))
        .hasMessage("trace-sample-ratio: NaN (expected: 0..1)");
  }
}
