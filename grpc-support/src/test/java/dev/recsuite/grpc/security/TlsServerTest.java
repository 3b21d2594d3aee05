package dev.recsuite.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.testing.TestCertificates;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS on real loopback sockets, with certificates made at test time: who gets in,
 * who is refused and with which status.
 */
class TlsServerTest {

  @TempDir Path dir;

  private final List<GrpcServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private TestCertificates ca;
  private TestCertificates otherCa;
  private TestCertificates.Issued serverCert;

  @BeforeEach
  void certificates() {
    ca = TestCertificates.create(dir, "suite");
    otherCa = TestCertificates.create(dir, "intruder");
    serverCert = ca.issue("recall", "localhost");
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    servers.forEach(GrpcServer::shutdownNow);
  }

  @Test
  void tlsServer_plaintextClient_isRefused() throws Exception {
    GrpcServer server = start(ServerSecurity.of(TlsSettings.of(serverCert.certificate(), serverCert.privateKey())));

    ManagedChannel plaintext = track(NettyChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build());

    assertThatThrownBy(() -> call(plaintext, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void tlsServer_clientTrustingTheServersCa_isServed() throws Exception {
    GrpcServer server = start(ServerSecurity.of(TlsSettings.of(serverCert.certificate(), serverCert.privateKey())));

    ManagedChannel channel = tls(server.port(), ClientTlsSettings.trusting(ca.caFile()));

    assertThat(call(channel, "u1").getBundleVersion()).isEqualTo("u1");
  }

  @Test
  void tlsServer_clientTrustingAnotherCa_isRefused() throws Exception {
    GrpcServer server = start(ServerSecurity.of(TlsSettings.of(serverCert.certificate(), serverCert.privateKey())));

    ManagedChannel channel = tls(server.port(), ClientTlsSettings.trusting(otherCa.caFile()));

    assertThatThrownBy(() -> call(channel, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void tlsServer_clientExpectingAnotherHostName_isRefused() throws Exception {
    GrpcServer server = start(ServerSecurity.of(TlsSettings.of(serverCert.certificate(), serverCert.privateKey())));

    ManagedChannel channel =
        track(NettyChannelBuilder.forAddress("localhost", server.port(), credentials(ClientTlsSettings.trusting(ca.caFile())))
            .overrideAuthority("ranking.example:443")
            .build());

    assertThatThrownBy(() -> call(channel, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void mutualTls_clientWithoutCertificate_isRefused() throws Exception {
    GrpcServer server = start(mutual(Set.of(), Set.of()));

    ManagedChannel channel = tls(server.port(), ClientTlsSettings.trusting(ca.caFile()));

    assertThatThrownBy(() -> call(channel, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void mutualTls_clientCertificateOfAnotherCa_isRefused() throws Exception {
    GrpcServer server = start(mutual(Set.of(), Set.of()));
    TestCertificates.Issued forged = otherCa.issue("gateway");

    ManagedChannel channel =
        tls(server.port(), ClientTlsSettings.mutual(ca.caFile(), forged.certificate(), forged.privateKey()));

    assertThatThrownBy(() -> call(channel, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void mutualTls_allowedIdentity_isServedAndKnownToTheHandler() throws Exception {
    AtomicReference<Caller> seen = new AtomicReference<>();
    GrpcServer server = start(mutual(Set.of("gateway"), Set.of()), seen);
    TestCertificates.Issued gateway = ca.issue("gateway");

    ManagedChannel channel =
        tls(server.port(), ClientTlsSettings.mutual(ca.caFile(), gateway.certificate(), gateway.privateKey()));

    assertThat(call(channel, "u1").getBundleVersion()).isEqualTo("u1");
    assertThat(seen.get()).isEqualTo(new Caller("gateway", Caller.Via.CERTIFICATE, Set.of("call")));
  }

  @Test
  void mutualTls_identityNotAllowed_isPermissionDenied() throws Exception {
    GrpcServer server = start(mutual(Set.of("gateway"), Set.of()));
    TestCertificates.Issued evaluation = ca.issue("evaluation-job");

    ManagedChannel channel =
        tls(server.port(), ClientTlsSettings.mutual(ca.caFile(), evaluation.certificate(), evaluation.privateKey()));

    assertThatThrownBy(() -> call(channel, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).contains("evaluation-job").contains("recall-service");
        });
  }

  @Test
  void mutualTls_identityMatchedByDnsAlternativeName_isServed() throws Exception {
    GrpcServer server = start(mutual(Set.of("gateway.recsuite.svc"), Set.of()));
    TestCertificates.Issued gateway = ca.issue("gw-7f9c", "gateway.recsuite.svc");

    ManagedChannel channel =
        tls(server.port(), ClientTlsSettings.mutual(ca.caFile(), gateway.certificate(), gateway.privateKey()));

    assertThat(call(channel, "u1").getBundleVersion()).isEqualTo("u1");
  }

  @Test
  void adminMethod_nonAdminCaller_isPermissionDenied_andAdminCallerIsServed() throws Exception {
    GrpcServer server = startWithAdminMethod(mutual(Set.of("reader", "gateway"), Set.of("gateway")));
    TestCertificates.Issued reader = ca.issue("reader");
    TestCertificates.Issued gateway = ca.issue("gateway");

    ManagedChannel readerChannel =
        tls(server.port(), ClientTlsSettings.mutual(ca.caFile(), reader.certificate(), reader.privateKey()));
    ManagedChannel gatewayChannel =
        tls(server.port(), ClientTlsSettings.mutual(ca.caFile(), gateway.certificate(), gateway.privateKey()));

    assertThatThrownBy(() -> call(readerChannel, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).contains("reader").contains("admin method");
        });
    assertThat(call(gatewayChannel, "u2").getBundleVersion()).isEqualTo("u2");
  }

  @Test
  void adminMethod_withoutAdminClients_isRefusedToEveryone() throws Exception {
    GrpcServer server = startWithAdminMethod(mutual(Set.of(), Set.of()));
    TestCertificates.Issued gateway = ca.issue("gateway");

    ManagedChannel channel =
        tls(server.port(), ClientTlsSettings.mutual(ca.caFile(), gateway.certificate(), gateway.privateKey()));

    assertThatThrownBy(() -> call(channel, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void reload_rotatedServerCertificate_isUsedForNewConnections() throws Exception {
    Path certificate = dir.resolve("served.pem");
    Path key = dir.resolve("served-key.pem");
    Files.copy(serverCert.certificate(), certificate);
    Files.copy(serverCert.privateKey(), key);
    ServerSettings settings =
        ServerSettings.defaults().withSecurity(ServerSecurity.of(TlsSettings.of(certificate, key)));
    GrpcServer server = start(GrpcServer.builder("recall-service", settings)
        .addService(TestServices.echo(null))
        .build());
    TestCertificates renewedCa = TestCertificates.create(dir, "renewed");
    TestCertificates.Issued renewed = renewedCa.issue("recall", "localhost");
    ManagedChannel beforeRotation = tls(server.port(), ClientTlsSettings.trusting(renewedCa.caFile()));
    assertThatThrownBy(() -> call(beforeRotation, "u1")).isInstanceOf(StatusRuntimeException.class);

    Files.copy(renewed.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(renewed.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
    boolean reloaded = server.reloadTls();

    ManagedChannel afterRotation = tls(server.port(), ClientTlsSettings.trusting(renewedCa.caFile()));
    assertThat(reloaded).isTrue();
    assertThat(call(afterRotation, "u2").getBundleVersion()).isEqualTo("u2");
  }

  @Test
  void healthPort_servesPlaintextHealthChecksBesideTheTlsPort() throws Exception {
    ServerSettings settings =
        ServerSettings.defaults()
            .withSecurity(ServerSecurity.of(TlsSettings.of(serverCert.certificate(), serverCert.privateKey())))
            .withHealthPort(0);
    GrpcServer server = start(GrpcServer.builder("recall-service", settings).addService(TestServices.echo(null)).build());

    ManagedChannel probe = track(NettyChannelBuilder.forAddress("127.0.0.1", server.healthPort()).usePlaintext().build());

    assertThat(HealthGrpc.newBlockingStub(probe).check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThatThrownBy(() -> call(probe, "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  private ServerSecurity mutual(Set<String> allowed, Set<String> admins) {
    return new ServerSecurity(
        java.util.Optional.of(TlsSettings.mutual(serverCert.certificate(), serverCert.privateKey(), ca.caFile())),
        allowed,
        admins);
  }

  private GrpcServer start(ServerSecurity security) throws Exception {
    return start(security, null);
  }

  private GrpcServer start(ServerSecurity security, AtomicReference<Caller> seen) throws Exception {
    ServerSettings settings = ServerSettings.defaults().withSecurity(security);
    return start(GrpcServer.builder("recall-service", settings).addService(TestServices.echo(seen)).build());
  }

  private GrpcServer startWithAdminMethod(ServerSecurity security) throws Exception {
    ServerSettings settings = ServerSettings.defaults().withSecurity(security);
    return start(
        GrpcServer.builder("recall-service", settings)
            .addService(TestServices.echo(null))
            .adminMethods(TestServices.RECALL)
            .build());
  }

  private GrpcServer start(GrpcServer server) throws Exception {
    servers.add(server);
    server.start();
    return server;
  }

  private ManagedChannel tls(int port, ClientTlsSettings settings) {
    return track(NettyChannelBuilder.forAddress("localhost", port, credentials(settings)).build());
  }

  private static ChannelCredentials credentials(ClientTlsSettings settings) {
    return ReloadingCredentials.forClient("test-client", settings).channelCredentials();
  }

  private ManagedChannel track(ManagedChannel channel) {
    channels.add(channel);
    return channel;
  }

  private static RecallResponse call(ManagedChannel channel, String user) {
    return ClientCalls.blockingUnaryCall(
        channel,
        TestServices.RECALL,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        RecallRequest.newBuilder().setUserId(user).build());
  }
}
