package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class EnvironmentDefaultsTest {

  @Command(name = "recall-service", mixinStandardHelpOptions = true)
  static final class Recall {
    @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.RECALL);

    @Option(names = "--bundle-dir", defaultValue = "/srv/bundles", description = "Bundle root.")
    Path bundleDir;

    @Option(
        names = {"-n", "--max-candidates"},
        defaultValue = "2000")
    int maxCandidates;
  }

  @Test
  void variableName_isPrefixAndUpperCasedLongestNameWithUnderscores() {
    EnvironmentDefaults defaults = new EnvironmentDefaults("RECALL", Map.of());
    CommandLine commandLine = new CommandLine(new Recall());

    assertThat(defaults.variableName(commandLine.getCommandSpec().findOption("bundle-dir")))
        .isEqualTo("RECALL_BUNDLE_DIR");
    assertThat(defaults.variableName(commandLine.getCommandSpec().findOption('n')))
        .isEqualTo("RECALL_MAX_CANDIDATES");
  }

  @Test
  void parse_variableSet_overridesTheDeclaredDefault() {
    Recall recall =
        parse(Map.of("RECALL_BUNDLE_DIR", "/env/bundles", "RECALL_MAX_CANDIDATES", "500"));

    assertThat(recall.bundleDir).isEqualTo(Path.of("/env/bundles"));
    assertThat(recall.maxCandidates).isEqualTo(500);
  }

  @Test
  void parse_variableUnsetOrEmpty_usesTheDeclaredDefault() {
    Recall recall = parse(Map.of("RECALL_BUNDLE_DIR", "", "OTHER_MAX_CANDIDATES", "1"));

    assertThat(recall.bundleDir).isEqualTo(Path.of("/srv/bundles"));
    assertThat(recall.maxCandidates).isEqualTo(2000);
  }

  @Test
  void parse_argument_winsOverTheVariable() {
    Recall recall = parse(Map.of("RECALL_BUNDLE_DIR", "/env/bundles"), "--bundle-dir", "/arg");

    assertThat(recall.bundleDir).isEqualTo(Path.of("/arg"));
  }

  @Test
  void parse_serverOptions_readTheirVariablesAndKeepTheServicesDefaultPort() {
    Recall withPort = parse(Map.of("RECALL_PORT", "6000", "RECALL_SHUTDOWN_GRACE", "3s"));
    Recall withoutPort = parse(Map.of());

    assertThat(withPort.server.toSettings().port()).isEqualTo(6000);
    assertThat(withPort.server.toSettings().shutdownGrace()).hasSeconds(3);
    assertThat(withoutPort.server.toSettings().port()).isEqualTo(DefaultPorts.RECALL);
  }

  @Test
  void parse_badVariableValue_failsNamingTheOption() {
    assertThatThrownBy(() -> parse(Map.of("RECALL_MAX_CANDIDATES", "lots")))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-candidates")
        .hasMessageContaining("lots");
  }

  @Test
  void constructor_lowerCasePrefix_failsNamingIt() {
    assertThatThrownBy(() -> new EnvironmentDefaults("recall", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "prefix: \"recall\" (expected: upper-case letters, digits and '_', e.g. RECALL)");
  }

  private static Recall parse(Map<String, String> env, String... args) {
    Recall recall = new Recall();
    new CommandLine(recall)
        .setDefaultValueProvider(new EnvironmentDefaults("RECALL", env))
        .parseArgs(args);
    return recall;
  }
}
