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
            "| `--max-concurrent-calls-per-connection` | `RECALL_MAX_CONCURRENT_CALLS_PER_CONNECTION` | `1000` | Most calls one client connection may have open at once (HTTP/2 concurrent streams); more wait in the client. |",
            "| `--permit-keep-alive-time` | `RECALL_PERMIT_KEEP_ALIVE_TIME` | `1m` | Most frequent keep-alive ping a client may send; one that pings more often, or without a call open, is disconnected (GOAWAY ENHANCE_YOUR_CALM). |",
            "| `--max-connection-idle` | `RECALL_MAX_CONNECTION_IDLE` | `5m` | A connection without a call for this long is closed gracefully; 0 = never. |",
            "| `--max-connection-age` | `RECALL_MAX_CONNECTION_AGE` | `10m` | Connections are closed gracefully after this long (±10 % jitter), so clients reconnect and re-resolve DNS and new replicas get traffic; 0 = never. |",
            "| `--max-connection-age-grace` | `RECALL_MAX_CONNECTION_AGE_GRACE` | `30s` | How long calls still open on an aged connection may finish before it is cut. |",
            "| `--health-port` | `RECALL_HEALTH_PORT` |  | Also serve grpc.health.v1.Health alone, in plaintext, on this port: for probes that cannot speak TLS (Kubernetes' gRPC probes). Unset = health only on --port. |",
            "| `--tls-cert` | `RECALL_TLS_CERT` |  | Serve TLS with this certificate chain (PEM); needs --tls-key. Unset = plaintext, for local development only. |",
            "| `--tls-key` | `RECALL_TLS_KEY` |  | Private key of --tls-cert (PEM, PKCS #8: BEGIN PRIVATE KEY). |",
            "| `--tls-client-ca` | `RECALL_TLS_CLIENT_CA` |  | Require client certificates signed by these CAs (PEM): mutual TLS. Callers are then known by their certificate's names (see --allowed-clients). |",
            "| `--tls-reload-interval` | `RECALL_TLS_RELOAD_INTERVAL` | `1m` | How often the TLS files are checked for changes; changed ones are used for new connections (certificate rotation without restart). 0 = never. |",
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
