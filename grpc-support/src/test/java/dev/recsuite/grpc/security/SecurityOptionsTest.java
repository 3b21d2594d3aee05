package dev.recsuite.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.grpc.ConnectionPolicy;
import dev.recsuite.grpc.EnvironmentDefaults;
import dev.recsuite.grpc.ServerOptions;
import dev.recsuite.grpc.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The TLS, access and connection options every server takes, and their validation. */
class SecurityOptionsTest {

  @Command(name = "feature-service")
  static final class Feature {
    @Mixin final ServerOptions server = new ServerOptions(50053);
    @Mixin final AccessOptions access = new AccessOptions();
    @Mixin final AdminOptions admin = new AdminOptions();
    @Mixin final QuotaOptions quotas = new QuotaOptions();

    ServerSettings settings() {
      return quotas.applyTo(admin.applyTo(access.applyTo(server.toSettings())));
    }
  }

  private static Feature parse(String... args) {
    Feature feature = new Feature();
    new CommandLine(feature).parseArgs(args);
    return feature;
  }

  @Test
  void defaults_arePlaintextWithTheDefaultConnectionPolicyAndNoHealthPort() {
    ServerSettings settings = parse().settings();

    assertThat(settings.security()).isEqualTo(ServerSecurity.plaintext());
    assertThat(settings.connections()).isEqualTo(ConnectionPolicy.defaults());
    assertThat(settings.healthPort()).isEmpty();
  }

  @Test
  void mutualTlsWithClientLists_fromTheEnvironment_isApplied() {
    Feature feature = new Feature();
    new CommandLine(feature)
        .setDefaultValueProvider(
            new EnvironmentDefaults(
                "FEATURE",
                Map.of(
                    "FEATURE_TLS_CERT", "/tls/tls.crt",
                    "FEATURE_TLS_KEY", "/tls/tls.key",
                    "FEATURE_TLS_CLIENT_CA", "/tls/ca.crt",
                    "FEATURE_TLS_RELOAD_INTERVAL", "30s",
                    "FEATURE_ALLOWED_CLIENTS", "gateway, trainer",
                    "FEATURE_ADMIN_CLIENTS", "gateway",
                    "FEATURE_HEALTH_PORT", "8086")))
        .parseArgs();

    ServerSettings settings = feature.settings();

    assertThat(settings.security())
        .isEqualTo(
            new ServerSecurity(
                Optional.of(
                    new TlsSettings(
                        Path.of("/tls/tls.crt"), Path.of("/tls/tls.key"), Optional.of(Path.of("/tls/ca.crt")), Duration.ofSeconds(30))),
                Set.of("gateway", "trainer"),
                Set.of("gateway")));
    assertThat(settings.healthPort()).isEqualTo(OptionalInt.of(8086));
  }

  @Test
  void connectionOptions_areApplied() {
    ServerSettings settings =
        parse(
                "--max-concurrent-calls-per-connection", "64",
                "--permit-keep-alive-time", "20s",
                "--max-connection-idle", "0",
                "--max-connection-age", "2m",
                "--max-connection-age-grace", "5s")
            .settings();

    assertThat(settings.connections())
        .isEqualTo(new ConnectionPolicy(64, Duration.ofSeconds(20), Duration.ZERO, Duration.ofMinutes(2), Duration.ofSeconds(5)));
  }

  @Test
  void certificateWithoutKey_failsNamingBoth() {
    Feature feature = parse("--tls-cert", "/tls/tls.crt");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tls-cert: /tls/tls.crt without --tls-key (expected: both)");
  }

  @Test
  void clientCaWithoutCertificate_fails() {
    Feature feature = parse("--tls-client-ca", "/tls/ca.crt");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tls-client-ca: /tls/ca.crt without --tls-cert and --tls-key");
  }

  @Test
  void allowedClientsWithoutMutualTls_failsBecauseNobodyWouldHaveAnIdentity() {
    Feature feature = parse("--tls-cert", "/tls/tls.crt", "--tls-key", "/tls/tls.key", "--allowed-clients", "gateway");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowed-clients: [gateway] (expected: none without mutual TLS");
  }

  @Test
  void adminClientsOnPlaintext_fails() {
    Feature feature = parse("--admin-clients", "gateway");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("admin-clients: [gateway] (expected: none without mutual TLS");
  }

  @Test
  void zeroConcurrentCallsPerConnection_failsNamingIt() {
    Feature feature = parse("--max-concurrent-calls-per-connection", "0");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentCallsPerConnection: 0 (expected: > 0)");
  }

  @Test
  void healthPortEqualToThePort_fails() {
    Feature feature = parse("--port", "7000", "--health-port", "7000");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthPort: 7000 (expected: another port than the server's)");
  }

  @Test
  void tokensAnonymousAndQuotas_fromArgumentsAndEnvironment_areApplied() {
    Feature feature = new Feature();
    new CommandLine(feature)
        .setDefaultValueProvider(
            new EnvironmentDefaults("FEATURE", Map.of("FEATURE_CLIENT_QUOTA", "web-frontend=200, batch-eval=2.5")))
        .parseArgs(
            "--client-tokens", "/secrets/tokens",
            "--allow-anonymous",
            "--admin-clients", "ops",
            "--allowed-clients", "gateway",
            "--default-client-quota", "50");

    ServerSecurity security = feature.settings().security();

    assertThat(security.clientTokens()).contains(Path.of("/secrets/tokens"));
    assertThat(security.allowAnonymous()).isTrue();
    assertThat(security.authenticationRequired()).isTrue();
    assertThat(security.allowedClients()).containsExactly("gateway");
    assertThat(security.adminClients()).containsExactly("ops");
    assertThat(security.quotas()).isEqualTo(new ClientQuotas(Map.of("web-frontend", 200.0, "batch-eval", 2.5), 50));
    assertThat(security.quotas().rateOf("someone-else")).isEqualTo(50);
  }

  @Test
  void quotaWithoutRate_failsNamingIt() {
    Feature feature = parse("--client-quota", "web-frontend");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client-quota: \"web-frontend\" (expected: name=RATE, e.g. web-frontend=200)");
  }

  @Test
  void negativeQuota_failsNamingTheClient() {
    Feature feature = parse("--client-quota", "web-frontend=-1");

    assertThatThrownBy(feature::settings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client-quota web-frontend: -1.0 (expected: calls per second >= 0, 0 = unlimited)");
  }

  @Test
  void adminClientsWithTokensOnPlaintext_areAccepted() {
    ServerSettings settings = parse("--client-tokens", "/secrets/tokens", "--admin-clients", "ops").settings();

    assertThat(settings.security().adminClients()).containsExactly("ops");
    assertThat(settings.security().tls()).isEmpty();
  }
}
