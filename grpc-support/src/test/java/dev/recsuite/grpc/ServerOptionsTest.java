package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ServerOptionsTest {

  @Command(name = "ranking-service")
  static final class Ranking {
    @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.RANKING);
  }

  @Test
  void toSettings_noArguments_givesTheDefaultsWithTheServicesPort() {
    Ranking ranking = parse();

    assertThat(ranking.server.toSettings())
        .isEqualTo(ServerSettings.defaults().withPort(DefaultPorts.RANKING));
  }

  @Test
  void toSettings_everyOption_isApplied() {
    Ranking ranking =
        parse(
            "--host", "0.0.0.0",
            "--port", "0",
            "--max-inbound-message-bytes", "1024",
            "--max-inbound-metadata-bytes", "2048",
            "--shutdown-grace", "500ms",
            "--max-concurrent-calls", "64");

    assertThat(ranking.server.toSettings())
        .isEqualTo(new ServerSettings("0.0.0.0", 0, 1024, 2048, Duration.ofMillis(500), 64));
  }

  @Test
  void maxConcurrentCalls_fromTheEnvironment_isApplied() {
    Ranking ranking = new Ranking();
    new CommandLine(ranking)
        .setDefaultValueProvider(
            new EnvironmentDefaults("RANKING", Map.of("RANKING_MAX_CONCURRENT_CALLS", "0")))
        .parseArgs();

    assertThat(ranking.server.toSettings().maxConcurrentCalls()).isZero();
  }

  @Test
  void toSettings_negativeConcurrencyLimit_failsNamingTheValue() {
    Ranking ranking = parse("--max-concurrent-calls", "-3");

    assertThatThrownBy(ranking.server::toSettings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentCalls: -3 (expected: >= 0, 0 = no limit)");
  }

  @Test
  void toSettings_portOutOfRange_failsNamingTheValue() {
    Ranking ranking = parse("--port", "70000");

    assertThatThrownBy(ranking.server::toSettings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 70000 (expected: 0..65535)");
  }

  @Test
  void parse_badDuration_failsNamingTheOptionAndValue() {
    assertThatThrownBy(() -> parse("--shutdown-grace", "soon"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--shutdown-grace")
        .hasMessageContaining("'soon' is not a duration");
  }

  @Test
  void noArgumentConstructor_defaultsToAnEphemeralPort() {
    assertThat(new ServerOptions().toSettings()).isEqualTo(ServerSettings.defaults());
  }

  @Test
  void constructor_badDefaultPort_failsNamingIt() {
    assertThatThrownBy(() -> new ServerOptions(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultPort: 65536 (expected: 0..65535)");
  }

  private static Ranking parse(String... args) {
    Ranking ranking = new Ranking();
    new CommandLine(ranking).parseArgs(args);
    return ranking;
  }
}
