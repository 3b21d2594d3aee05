package dev.recsuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleAdminService;
import dev.recsuite.grpc.bundles.BundleWatcher;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.security.ClientTokens;
import dev.recsuite.grpc.security.ServerSecurity;
import dev.recsuite.grpc.security.TlsSettings;
import dev.recsuite.testing.TestCertificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code recsuite reload} against a tier-like server on loopback with bearer tokens. */
@Timeout(60)
class ReloadCommandTest {

  @TempDir Path bundles;
  @TempDir Path secrets;

  private final ServedBundles<Integer> served = new ServedBundles<>("test-tier", Clock.systemUTC(), Duration.ofMinutes(1));
  private BundleWatcher<Integer> watcher;
  private GrpcServer server;
  private Path opsToken;
  private Path gatewayToken;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws IOException {
    publish("v1", 1);
    // No polling: only ReloadBundles loads a new version.
    watcher =
        new BundleWatcher<>(
            "test-tier",
            new BundleRepository(bundles),
            bundle -> bundle.read(BundleFiles.CF, FactorModel.parser()).getFactors(),
            served,
            Duration.ZERO);
    watcher.start();
    Path tokens =
        Files.writeString(
            secrets.resolve("tokens"),
            ClientTokens.line("ops", "ops-token") + "\n" + ClientTokens.line("gateway", "gw-token") + "\n");
    opsToken = Files.writeString(secrets.resolve("ops.token"), "ops-token\n");
    gatewayToken = Files.writeString(secrets.resolve("gateway.token"), "gw-token\n");
    ServerSecurity security =
        ServerSecurity.plaintext().withTokens(Optional.of(tokens), true).withClients(Set.of(), Set.of("ops"));
    server =
        GrpcServer.builder("test-tier", ServerSettings.defaults().withSecurity(security))
            .addAdminService(new BundleAdminService("test-tier", watcher))
            .build();
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow();
    watcher.stop();
  }

  @Test
  void reload_adminToken_loadsTheNewVersionAndPrintsWhatTheTierServes() throws IOException {
    publish("v2", 2);

    int exit = run("--target", target(), "--token-file", opsToken.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).contains(target() + ": serving v2, loaded now (loaded: v1, v2)");
    assertThat(err.toString()).contains("sending the bearer token over plaintext");
    assertThat(served.versions()).containsExactly("v1", "v2");
  }

  @Test
  void reload_nothingNewer_saysItIsAlreadyServed() {
    int exit = run("--target", target(), "--token-file", opsToken.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).contains(": serving v1, already served (loaded: v1)");
  }

  @Test
  void reload_nonAdminToken_isRefusedNamingAdminClientsAndLoadsNothing() throws IOException {
    publish("v2", 2);

    int exit = run("--target", target(), "--token-file", gatewayToken.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("PERMISSION_DENIED").contains("--admin-clients");
    assertThat(served.versions()).containsExactly("v1");
  }

  @Test
  void reload_withoutCredentials_isUnauthenticated() {
    int exit = run("--target", target());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("UNAUTHENTICATED").contains("--token-file");
  }

  @Test
  void reload_corruptNewerVersion_reportsItAndFails() throws IOException {
    Path broken = publish("v2", 2);
    Files.write(broken.resolve(BundleFiles.CF), new byte[] {1, 2, 3});

    int exit = run("--target", target(), "--token-file", opsToken.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).contains(": serving v1, already served");
    assertThat(err.toString()).contains("could not load v2: ");
  }

  @Test
  void reload_severalTargets_reportsEachAndFailsIfOneFails() throws IOException {
    publish("v2", 2);
    String unreachable = "127.0.0.1:" + freePort();

    int exit = run("--target", target() + "," + unreachable, "--token-file", opsToken.toString(), "--deadline", "5s");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).contains(target() + ": serving v2, loaded now");
    assertThat(err.toString()).contains(unreachable + ": UNAVAILABLE");
  }

  @Test
  void reload_mutualTls_adminCertificate_loadsAndAnotherCertificateIsRefused() throws Exception {
    TestCertificates ca = TestCertificates.create(secrets, "test-ca");
    TestCertificates.Issued tier = ca.issue("recall", "recall");
    TestCertificates.Issued ops = ca.issue("ops");
    TestCertificates.Issued gateway = ca.issue("gateway");
    ServerSecurity security =
        new ServerSecurity(
            Optional.of(TlsSettings.mutual(tier.certificate(), tier.privateKey(), ca.caFile())), Set.of(), Set.of("ops"));
    GrpcServer tls =
        GrpcServer.builder("tls-tier", ServerSettings.defaults().withSecurity(security))
            .addAdminService(new BundleAdminService("tls-tier", watcher))
            .build();
    tls.start();
    publish("v2", 2);
    String target = "127.0.0.1:" + tls.port();
    try {
      int refused =
          run("--target", target, "--tls-ca", ca.caFile().toString(), "--authority", "recall",
              "--tls-cert", gateway.certificate().toString(), "--tls-key", gateway.privateKey().toString());
      int loaded =
          run("--target", target, "--tls-ca", ca.caFile().toString(), "--authority", "recall",
              "--tls-cert", ops.certificate().toString(), "--tls-key", ops.privateKey().toString());

      assertThat(refused).isEqualTo(1);
      assertThat(loaded).isZero();
      assertThat(err.toString()).contains(target + ": PERMISSION_DENIED").doesNotContain("plaintext");
      assertThat(out.toString()).contains(target + ": serving v2, loaded now");
    } finally {
      tls.shutdownNow();
    }
  }

  @Test
  void reload_badCredentialOptions_areUsageErrors() throws IOException {
    Path empty = Files.writeString(secrets.resolve("empty.token"), "\n");

    assertThat(run("--target", target(), "--tls-cert", "client.crt")).isEqualTo(2);
    assertThat(run("--target", target(), "--token-file", empty.toString())).isEqualTo(2);

    assertThat(err.toString())
        .contains("--tls-cert and --tls-key go together")
        .contains("empty (expected: the token on its first line)");
  }

  private String target() {
    return "127.0.0.1:" + server.port();
  }

  private int run(String... args) {
    var cli = RecsuiteCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("reload"));
    all.addAll(List.of(args));
    return cli.execute(all.toArray(new String[0]));
  }

  private Path publish(String version, int factors) throws IOException {
    try (BundleWriter writer = BundleWriter.create(bundles, version)) {
      writer.writeMessage(BundleFiles.CF, FactorModel.newBuilder().setFactors(factors).build());
      return writer.commit(BundleManifest.getDefaultInstance());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
