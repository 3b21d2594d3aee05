package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
            "--shutdown-grace", "500ms");

    assertThat(ranking.server.toSettings())
        .isEqualTo(new ServerSettings("0.0.0.0", 0, 1024, 2048, Duration.ofMillis(500)));
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
