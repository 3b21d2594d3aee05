package dev.recsuite.grpc.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.admin.v1.AdminServiceGrpc;
import dev.recsuite.admin.v1.ReloadBundlesRequest;
import dev.recsuite.admin.v1.ReloadBundlesResponse;
import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.core.bundle.BundleWriter;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.security.ClientTokens;
import dev.recsuite.grpc.security.ServerSecurity;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReloadBundles over a real loopback server with bearer tokens: who may call it and what it does.
 * The server runs its other handlers on the transport threads, as the tiers do, so the admin calls
 * take the offloaded path.
 */
class BundleAdminServiceTest {

  @TempDir Path root;
  @TempDir Path secrets;

  private final ServedBundles<Integer> served = new ServedBundles<>("test-service", Clock.systemUTC(), Duration.ofMinutes(1));
  private BundleWatcher<Integer> watcher;
  private GrpcServer server;
  private ManagedChannel channel;
  private volatile Thread loadedOn;

  @BeforeEach
  void start() throws IOException {
    publish("v1", 1);
    // No polling: only ReloadBundles can load a new version.
    watcher = new BundleWatcher<>("test-service", new BundleRepository(root), this::load, served, Duration.ZERO);
    watcher.start();
    Path tokens =
        Files.writeString(
            secrets.resolve("tokens"), ClientTokens.line("ops", "ops-token") + "\n" + ClientTokens.line("gateway", "gw-token") + "\n");
    ServerSecurity security =
        ServerSecurity.plaintext().withTokens(Optional.of(tokens), true).withClients(Set.of(), Set.of("ops"));
    server =
        GrpcServer.builder("test-service", ServerSettings.defaults().withSecurity(security))
            .nonBlockingHandlers()
            .addAdminService(new BundleAdminService("test-service", watcher))
            .build();
    server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow();
    watcher.stop();
  }

  @Test
  void reloadBundles_admin_loadsTheNewVersionNowAndAnswersTheVersions() throws IOException {
    publish("v2", 2);

    ReloadBundlesResponse response = reload("ops-token");

    assertThat(response.getLoadedNewVersion()).isTrue();
    assertThat(response.getVersionsList()).containsExactly("v1", "v2");
    assertThat(response.getNewestVersion()).isEqualTo("v2");
    assertThat(response.getFailedVersion()).isEmpty();
    try (ServedBundles.Lease<Integer> lease = served.acquire("")) {
      assertThat(lease.model()).isEqualTo(2);
    }
    assertThat(reload("ops-token").getLoadedNewVersion()).isFalse();
  }

  @Test
  void reloadBundles_onAServerWithNonBlockingHandlers_loadsOnAVirtualThreadNotTheTransport() throws IOException {
    publish("v2", 2);

    assertThat(reload("ops-token").getLoadedNewVersion()).isTrue();

    assertThat(loadedOn.isVirtual()).isTrue();
    assertThat(loadedOn.getName()).startsWith("test-service-handler-");
  }

  @Test
  void reloadBundles_nonAdmin_isPermissionDeniedAndLoadsNothing() throws IOException {
    publish("v2", 2);

    assertThatThrownBy(() -> reload("gw-token"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).contains("client gateway may not call the admin method");
        });
    assertThat(served.versions()).containsExactly("v1");
  }

  @Test
  void reloadBundles_anonymous_isUnauthenticatedEvenWithAllowAnonymous() throws IOException {
    publish("v2", 2);

    assertThatThrownBy(() -> reload(null))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(served.versions()).containsExactly("v1");
  }

  @Test
  void reloadBundles_corruptNewerVersion_isReportedAndTheTierKeepsServing() throws IOException {
    Path broken = publish("v2", 2);
    Files.write(broken.resolve(BundleFiles.CF), new byte[] {1, 2, 3});

    ReloadBundlesResponse response = reload("ops-token");

    assertThat(response.getLoadedNewVersion()).isFalse();
    assertThat(response.getVersionsList()).containsExactly("v1");
    assertThat(response.getFailedVersion()).isEqualTo("v2");
    assertThat(response.getFailureMessage()).isNotEmpty();
  }

  private ReloadBundlesResponse reload(String token) {
    AdminServiceGrpc.AdminServiceBlockingStub stub =
        AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return stub.reloadBundles(ReloadBundlesRequest.getDefaultInstance());
  }

  private Integer load(Bundle bundle) {
    loadedOn = Thread.currentThread();
    return bundle.read(BundleFiles.CF, FactorModel.parser()).getFactors();
  }

  private Path publish(String version, int factors) throws IOException {
    try (BundleWriter writer = BundleWriter.create(root, version)) {
      writer.writeMessage(BundleFiles.CF, FactorModel.newBuilder().setFactors(factors).build());
      return writer.commit(BundleManifest.getDefaultInstance());
    }
  }
}
