package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class ConfigReferenceTest {

  @Command(name = "recall-service", mixinStandardHelpOptions = true)
  static final class Recall {
    @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.RECALL);

    @Option(names = "--bundle-dir", required = true, description = "Bundle root | versions below.")
    Path bundleDir;

    @Option(names = "--secret-knob", hidden = true)
    int secret;
  }

  @Test
  void markdown_listsEveryVisibleOptionWithVariableDefaultAndDescription() {
    String table = ConfigReference.markdown(new CommandLine(new Recall()), "RECALL");

    assertThat(table.lines())
        .containsExactly(
            "| Option | Environment variable | Default | Description |",
            "|---|---|---|---|",
            "| `--host` | `RECALL_HOST` | `127.0.0.1` | Address to bind; 0.0.0.0 listens on every"
                + " interface (needed in a container). |",
            "| `--port` | `RECALL_PORT` | `50052` | TCP port to listen on; 0 picks a free port. |",
            "| `--max-inbound-message-bytes` | `RECALL_MAX_INBOUND_MESSAGE_BYTES` | `4194304` |"
                + " Largest request message accepted; larger ones fail with RESOURCE_EXHAUSTED. |",
            "| `--max-inbound-metadata-bytes` | `RECALL_MAX_INBOUND_METADATA_BYTES` | `8192` |"
                + " Largest request metadata (headers) accepted. |",
            "| `--shutdown-grace` | `RECALL_SHUTDOWN_GRACE` | `20s` | How long in-flight calls may"
                + " finish after SIGTERM before they are cancelled, e.g. 20s or 500ms. |",
            "| `--drain-delay` | `RECALL_DRAIN_DELAY` | `500ms` | After SIGTERM, how long the server"
                + " keeps serving while reporting NOT_SERVING, so that health-checking clients move to"
                + " other replicas first; then --shutdown-grace applies. |",
            "| `--max-concurrent-calls` | `RECALL_MAX_CONCURRENT_CALLS` | `512` | Most calls served at"
                + " once; more are answered RESOURCE_EXHAUSTED at once (load shedding). 0 turns the"
                + " limit off. |",
            "| `--bundle-dir` | `RECALL_BUNDLE_DIR` | (required) | Bundle root \\| versions below."
                + " |");
  }

  @Test
  void markdown_ignoresTheEnvironmentOfTheCommand() {
    CommandLine commandLine =
        new CommandLine(new Recall())
            .setDefaultValueProvider(new EnvironmentDefaults("RECALL", Map.of("RECALL_PORT", "1")));

    String table = ConfigReference.markdown(commandLine, "RECALL");

    assertThat(table).contains("| `RECALL_PORT` | `50052` |");
    assertThat(commandLine.getDefaultValueProvider()).isInstanceOf(EnvironmentDefaults.class);
  }
}
