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
  void config_defaults_areTheDocumentedResiliencePolicy() {
    GatewayConfig config = parse(Map.of());

    assertThat(config.answerReserve()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.minCallTime()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.recall())
        .isEqualTo(
            new DownstreamPolicy(
                Downstream.RECALL, 0.5, Duration.ofMillis(800), Duration.ofMillis(400), 128, Duration.ZERO,
                BreakerSettings.defaults(), RetrySettings.defaults()));
    assertThat(config.features())
        .isEqualTo(
            new DownstreamPolicy(
                Downstream.FEATURES, 0.25, Duration.ofMillis(300), Duration.ofMillis(150), 256, Duration.ZERO,
                BreakerSettings.defaults(), RetrySettings.defaults()));
    assertThat(config.ranking())
        .isEqualTo(
            new DownstreamPolicy(
                Downstream.RANKING, 1.0, Duration.ofMillis(800), Duration.ofMillis(400), 128, Duration.ZERO,
                BreakerSettings.defaults(), RetrySettings.defaults()));
    assertThat(config.feedback())
        .isEqualTo(
            new DownstreamPolicy(
                Downstream.FEEDBACK, 1.0, Duration.ofSeconds(1), Duration.ofMillis(500), 64, Duration.ZERO,
                BreakerSettings.defaults(), RetrySettings.defaults()));
    assertThat(config.freshHistory()).isTrue();
    assertThat(BreakerSettings.defaults())
        .isEqualTo(new BreakerSettings(50, 80, 40, 20, Duration.ofSeconds(5), 5));
    assertThat(RetrySettings.defaults()).isEqualTo(new RetrySettings(2, 0.1, 10));
    assertThat(config.popularRefresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.popularSize()).isEqualTo(500);
    assertThat(config.outlierFailureRatePercent()).isEqualTo(50);
    assertThat(config.outlierEjection()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.server().maxConcurrentCalls()).isEqualTo(512);
  }

  @Test
  void config_resilienceOptions_areApplied() {
    GatewayConfig config =
        parse(
            Map.of("GATEWAY_BREAKER_OPEN_TIME", "1s"),
            "--recall-share", "0.4", "--recall-timeout", "250ms", "--recall-hedge-delay", "30ms",
            "--feature-bulkhead", "8", "--ranking-slow-call", "90ms", "--breaker-window", "12",
            "--breaker-minimum-calls", "6", "--retry-max-attempts", "3", "--popular-size", "50",
            "--outlier-failure-rate", "0", "--max-concurrent-calls", "64");

    assertThat(config.recall().share()).isEqualTo(0.4);
    assertThat(config.recall().timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.recall().hedging()).isTrue();
    assertThat(config.features().bulkhead()).isEqualTo(8);
    assertThat(config.ranking().slowCall()).isEqualTo(Duration.ofMillis(90));
    assertThat(config.ranking().breaker()).isEqualTo(new BreakerSettings(50, 80, 12, 6, Duration.ofSeconds(1), 5));
    assertThat(config.features().retry().maxAttempts()).isEqualTo(3);
    assertThat(config.popularSize()).isEqualTo(50);
    assertThat(config.outlierFailureRatePercent()).isZero();
    assertThat(config.server().maxConcurrentCalls()).isEqualTo(64);
  }

  @Test
  void config_freshHistory_canBeTurnedOffFromTheEnvironment() {
    assertThat(parse(Map.of("GATEWAY_RECALL_FRESH_HISTORY", "false")).freshHistory()).isFalse();
    assertThat(parse(Map.of(), "--recall-fresh-history", "false").freshHistory()).isFalse();
  }

  @Test
  void config_replicaLists_areValidatedAddressByAddress() {
    GatewayConfig config = parse(Map.of(), "--ranking-target", "127.0.0.1:7001, 127.0.0.1:7002");

    assertThat(config.rankingTarget()).isEqualTo("127.0.0.1:7001, 127.0.0.1:7002");
    assertThatThrownBy(() -> parse(Map.of(), "--recall-target", "a:1,b"))
        .hasMessage("recall-target: \"a:1,b\" (expected: host:port,host:port with ports 1..65535; bad: \"b\")");
    assertThatThrownBy(() -> parse(Map.of(), "--feature-target", "a:1,b:70000"))
        .hasMessageContaining("bad: \"b:70000\"");
  }

  @Test
  void config_badResilienceValues_failNamingTheOption() {
    assertThatThrownBy(() -> parse(Map.of(), "--recall-share", "0"))
        .hasMessage("recall-share: 0.0 (expected: > 0 and <= 1)");
    assertThatThrownBy(() -> parse(Map.of(), "--feature-timeout", "0s"))
        .hasMessage("feature-timeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> parse(Map.of(), "--breaker-minimum-calls", "50"))
        .hasMessage("breaker-minimum-calls: 50 (expected: 1..breaker-window = 1..40)");
    assertThatThrownBy(() -> parse(Map.of(), "--breaker-failure-rate", "101"))
        .hasMessage("breaker-failure-rate: 101 (expected: 1..100)");
    assertThatThrownBy(() -> parse(Map.of(), "--retry-max-attempts", "0"))
        .hasMessage("retry-max-attempts: 0 (expected: 1..5)");
    assertThatThrownBy(() -> parse(Map.of(), "--retry-budget-ratio", "1.5"))
        .hasMessage("retry-budget-ratio: 1.5 (expected: 0..1)");
    assertThatThrownBy(() -> parse(Map.of(), "--ranking-hedge-delay", "-1ms"))
        .hasMessageContaining("--ranking-hedge-delay");
    assertThatThrownBy(() -> parse(Map.of(), "--outlier-failure-rate", "-1"))
        .hasMessage("outlier-failure-rate: -1 (expected: 0..100, 0 = off)");
    assertThatThrownBy(() -> parse(Map.of(), "--popular-size", "0"))
        .hasMessage("popular-size: 0 (expected: 1..2000)");
    assertThatThrownBy(() -> parse(Map.of(), "--feedback-bulkhead", "0"))
        .hasMessage("feedback-bulkhead: 0 (expected: >= 1)");
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
