package dev.recsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.grpc.ConfigReference;
import dev.recsuite.grpc.EnvironmentDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayMainTest {

  @Test
  void config_defaults_pointAtTheLocalTiers() {
    GatewayConfig config = parse(Map.of());

    assertThat(config.server().port()).isEqualTo(50051);
    assertThat(config.recallTarget()).isEqualTo("127.0.0.1:50052");
    assertThat(config.featureTarget()).isEqualTo("127.0.0.1:50053");
    assertThat(config.rankingTarget()).isEqualTo("127.0.0.1:50054");
    assertThat(config.recallCandidates()).isEqualTo(500);
    assertThat(config.maxK()).isEqualTo(100);
    assertThat(config.defaultDeadline()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void config_environmentVariables_setOptionsAndFlagsWin() {
    GatewayConfig config =
        parse(
            Map.of("GATEWAY_RANKING_TARGET", "dns:///ranking:50054", "GATEWAY_MAX_K", "20"),
            "--max-k", "30");

    assertThat(config.rankingTarget()).isEqualTo("dns:///ranking:50054");
    assertThat(config.maxK()).isEqualTo(30);
  }

  @Test
  void config_outOfRangeValues_failNamingTheOption() {
    assertThatThrownBy(() -> parse(Map.of(), "--recall-candidates", "0"))
        .hasMessage("recall-candidates: 0 (expected: 1..2000)");
    assertThatThrownBy(() -> parse(Map.of(), "--default-deadline", "0s"))
        .hasMessageStartingWith("default-deadline:");
  }

  @Test
  void readme_configurationReference_matchesTheOptions() throws IOException {
    String table = ConfigReference.markdown(new CommandLine(new GatewayMain()), GatewayMain.ENV_PREFIX);
    Path readme = Path.of(System.getProperty("recsuite.repo.root", ".."), "gateway", "README.md");

    assertThat(Files.readString(readme, StandardCharsets.UTF_8)).contains(table);
  }

  private static GatewayConfig parse(Map<String, String> environment, String... args) {
    GatewayMain main = new GatewayMain();
    new CommandLine(main)
        .setDefaultValueProvider(new EnvironmentDefaults(GatewayMain.ENV_PREFIX, environment))
        .parseArgs(args);
    return main.config();
  }
}
