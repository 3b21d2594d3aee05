package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.grpc.DefaultPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The option model the manifest tests check against. */
class TierTest {

  @Test
  void optionVariables_followTheServicesNamingRuleAndIncludeHiddenOptions() {
    assertThat(Tier.RECALL.optionVariables())
        .contains("RECALL_PORT", "RECALL_BUNDLE_DIR", "RECALL_SHUTDOWN_GRACE", "RECALL_MAX_CONCURRENT_CALLS")
        .doesNotContain("RECALL_HELP", "RECALL_VERSION", "RECALL_BUNDLE_DIRECTORY");
    assertThat(Tier.GATEWAY.optionVariables()).contains("GATEWAY_RECALL_TARGET", "GATEWAY_FEATURE_TARGET", "GATEWAY_RANKING_TARGET");
  }

  @Test
  void parse_withoutEnvironment_givesTheServicesDefaults() {
    Tier.Parsed ranking = Tier.RANKING.parse(Map.of(), List.of());

    assertThat(ranking.port()).isEqualTo(DefaultPorts.RANKING);
    assertThat(ranking.host()).isEqualTo("127.0.0.1");
    assertThat(ranking.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void parse_readsTheEnvironmentAndArgumentsWin() {
    Tier.Parsed feature = Tier.FEATURE.parse(Map.of("FEATURE_PORT", "6000", "FEATURE_SHUTDOWN_GRACE", "3s"), List.of("--port", "7000"));

    assertThat(feature.port()).isEqualTo(7000);
    assertThat(feature.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void parse_badValue_failsLikeTheService() {
    assertThatThrownBy(() -> Tier.GATEWAY.parse(Map.of("GATEWAY_PORT", "tcp://10.0.0.1:50051"), List.of()))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void validate_outOfRangeValue_failsNamingIt() {
    Tier.Parsed recall = Tier.RECALL.parse(Map.of("RECALL_MAX_CANDIDATES", "0"), List.of());

    assertThatThrownBy(recall::validate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }
}
