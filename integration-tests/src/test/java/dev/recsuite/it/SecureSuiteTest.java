package dev.recsuite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.recsuite.admin.v1.AdminServiceGrpc;
import dev.recsuite.admin.v1.ReloadBundlesRequest;
import dev.recsuite.admin.v1.ReloadBundlesResponse;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.datasets.Datasets;
import dev.recsuite.feature.FeatureServiceMain;
import dev.recsuite.feature.FeatureServiceModule;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.gateway.GatewayMain;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.security.ClientTlsSettings;
import dev.recsuite.grpc.security.ClientTokens;
import dev.recsuite.grpc.security.ReloadingCredentials;
import dev.recsuite.ranking.RankingServiceMain;
import dev.recsuite.ranking.RankingServiceModule;
import dev.recsuite.recall.RecallServiceMain;
import dev.recsuite.recall.RecallServiceModule;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import dev.recsuite.testing.MovieLensData;
import dev.recsuite.testing.TestCertificates;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The suite as production runs it: every tier serves TLS on a loopback socket and requires the
 * gateway's client certificate (mutual TLS, {@code --allowed-clients gateway}), admits {@code
 * ReloadBundles} only from the {@code ops} certificate ({@code --admin-clients ops}); the gateway
 * serves TLS, authenticates its callers by bearer token and throttles them by quota, and calls the
 * tiers over mutual TLS ({@code --downstream-tls-*}). Certificates and tokens are made at test
 * time.
 */
class SecureSuiteTest {

  private static final String APP_TOKEN = "app-token-0f3a9c";
  private static final String WEB_TOKEN = "web-token-77d2e1";
  private static final String BATCH_TOKEN = "batch-token-5b8e40";

  @TempDir static Path root;

  private static final List<Lifecycle> lifecycles = new ArrayList<>();
  private static final List<ManagedChannel> channels = new ArrayList<>();
  private static Dataset data;
  private static Path bundles;
  private static TestCertificates ca;
  private static TestCertificates.Issued gatewayCert;
  private static TestCertificates.Issued opsCert;
  private static TestCertificates.Issued strangerCert;
  private static GrpcServer recall;
  private static GrpcServer features;
  private static GrpcServer ranking;
  private static GrpcServer gateway;

  @BeforeAll
  static void start() throws Exception {
    data = Datasets.load(MovieLensData.ml100k());
    bundles = root.resolve("bundles");
    train("2026-01-01T00:00:00Z");
    ca = TestCertificates.create(Files.createDirectories(root.resolve("pki")), "recsuite-test-ca");
    gatewayCert = ca.issue("gateway", "localhost");
    opsCert = ca.issue("ops");
    strangerCert = ca.issue("evaluation-job");
    Path tokens =
        Files.writeString(
            root.resolve("client-tokens"),
            "# client tokens of the test: SHA-256 hashes only\n"
                + ClientTokens.line("app", APP_TOKEN) + "\n"
                + ClientTokens.line("web-frontend", WEB_TOKEN) + "\n"
                + ClientTokens.line("batch-eval", BATCH_TOKEN) + "\n");

    features = startTier("feature", FeatureServiceMain::new, main -> new FeatureServiceModule(main.config()));
    recall = startTier("recall", RecallServiceMain::new, main -> new RecallServiceModule(main.config()));
    ranking = startTier("ranking", RankingServiceMain::new, main -> new RankingServiceModule(main.config()));
    GatewayMain main =
        parse(
            new GatewayMain(),
            "--port", "0",
            "--tls-cert", gatewayCert.certificate().toString(),
            "--tls-key", gatewayCert.privateKey().toString(),
            "--client-tokens", tokens.toString(),
            "--client-quota", "web-frontend=5,batch-eval=5",
            "--recall-target", "127.0.0.1:" + recall.port(),
            "--feature-target", "127.0.0.1:" + features.port(),
            "--ranking-target", "127.0.0.1:" + ranking.port(),
            "--downstream-tls-ca", ca.caFile().toString(),
            "--downstream-tls-cert", gatewayCert.certificate().toString(),
            "--downstream-tls-key", gatewayCert.privateKey().toString());
    gateway = startModule(main.module());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Lifecycle lifecycle : lifecycles.reversed()) {
      lifecycle.stop();
    }
  }

  @Test
  void recommend_rightToken_isServedByEveryTierOverMutualTls() {
    RecommendResponse response = recommend(APP_TOKEN, "1");

    assertThat(response.getItemsList()).hasSize(10);
    // Not degraded: recall, features and ranking all answered the gateway over mutual TLS.
    assertThat(response.getDegraded()).as("degraded reasons %s", response.getDegradedReasonsList()).isFalse();
  }

  @Test
  void recommend_noToken_isUnauthenticated() {
    assertRefused(() -> recommend(null, "1"), Status.Code.UNAUTHENTICATED, "requires credentials");
  }

  @Test
  void recommend_wrongToken_isUnauthenticated() {
    assertRefused(() -> recommend("not-" + APP_TOKEN, "1"), Status.Code.UNAUTHENTICATED, "unknown bearer token");
  }

  @Test
  void recommend_clientOverItsQuota_isThrottledWhileAnotherKeepsBeingServed() {
    int served = 0;
    StatusRuntimeException throttled = null;
    for (int i = 0; i < 100 && throttled == null; i++) {
      try {
        recommend(BATCH_TOKEN, Integer.toString(1 + i));
        served++;
      } catch (StatusRuntimeException e) {
        throttled = e;
      }
    }
    List<Integer> webItems = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      webItems.add(recommend(WEB_TOKEN, Integer.toString(200 + i)).getItemsCount());
    }

    assertThat(throttled).as("batch-eval throttled after %d calls", served).isNotNull();
    assertThat(throttled.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(throttled.getStatus().getDescription()).contains("client batch-eval is over its quota of 5 calls/s");
    assertThat(served).isGreaterThanOrEqualTo(5);
    assertThat(webItems).containsExactly(10, 10, 10, 10, 10);
  }

  @Test
  void tier_calledWithTheGatewaysCertificate_isServed() {
    var stub = RecallServiceGrpc.newBlockingStub(mutualTls(recall, gatewayCert));

    assertThat(deadline(stub).recall(RecallRequest.newBuilder().setUserId("1").setMaxCandidates(5).build()).getCandidatesCount())
        .isEqualTo(5);
  }

  @Test
  void tier_calledWithAnotherCertificateOfTheSameCa_isPermissionDenied() {
    var recallStub = RecallServiceGrpc.newBlockingStub(mutualTls(recall, strangerCert));
    var featureStub = FeatureServiceGrpc.newBlockingStub(mutualTls(features, strangerCert));

    assertRefused(
        () -> deadline(recallStub).recall(RecallRequest.newBuilder().setUserId("1").setMaxCandidates(5).build()),
        Status.Code.PERMISSION_DENIED, "evaluation-job", "recall-service");
    assertRefused(
        () -> deadline(featureStub).getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId("1").build()),
        Status.Code.PERMISSION_DENIED, "evaluation-job", "feature-service");
  }

  @Test
  void tier_calledWithoutAClientCertificate_isRefused() {
    ManagedChannel channel =
        track(NettyChannelBuilder.forAddress("localhost", recall.port(), credentials(ClientTlsSettings.trusting(ca.caFile()))).build());

    assertRefused(
        () -> deadline(RecallServiceGrpc.newBlockingStub(channel)).recall(RecallRequest.newBuilder().setUserId("1").build()),
        Status.Code.UNAVAILABLE);
  }

  @Test
  void tier_plaintextClient_isRefused() {
    ManagedChannel channel = track(NettyChannelBuilder.forAddress("127.0.0.1", recall.port()).usePlaintext().build());

    assertRefused(
        () -> deadline(RecallServiceGrpc.newBlockingStub(channel)).recall(RecallRequest.newBuilder().setUserId("1").build()),
        Status.Code.UNAVAILABLE);
  }

  @Test
  void gateway_plaintextClient_isRefused() {
    ManagedChannel channel = track(NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build());

    assertRefused(
        () -> deadline(GatewayServiceGrpc.newBlockingStub(channel)).recommend(RecommendRequest.newBuilder().setUserId("1").setK(10).build()),
        Status.Code.UNAVAILABLE);
  }

  @Test
  void reloadBundles_isRefusedToTheGateway_andLoadsTheNewVersionForTheAdmin() throws Exception {
    String newVersion = train("2026-02-01T00:00:00Z");
    List<GrpcServer> tiers = List.of(recall, features, ranking);

    for (GrpcServer tier : tiers) {
      assertRefused(
          () -> deadline(AdminServiceGrpc.newBlockingStub(mutualTls(tier, gatewayCert))).reloadBundles(ReloadBundlesRequest.getDefaultInstance()),
          Status.Code.PERMISSION_DENIED, "client gateway ", "may not call the admin method");
    }
    List<ReloadBundlesResponse> responses = new ArrayList<>();
    for (GrpcServer tier : tiers) {
      responses.add(
          deadline(AdminServiceGrpc.newBlockingStub(mutualTls(tier, opsCert))).reloadBundles(ReloadBundlesRequest.getDefaultInstance()));
    }

    assertThat(responses).allSatisfy(response -> {
      assertThat(response.getLoadedNewVersion()).isTrue();
      assertThat(response.getNewestVersion()).isEqualTo(newVersion);
      assertThat(response.getVersionsList()).contains(newVersion).hasSize(2);
    });
    // The gateway moves its version pin once it has seen every tier serve the new version.
    await().atMost(Duration.ofSeconds(20)).until(() -> recommend(APP_TOKEN, "2").getModelVersion(), newVersion::equals);
  }

  // --- helpers ---

  private static String train(String at) throws Exception {
    Clock clock = Clock.fixed(Instant.parse(at), ZoneOffset.UTC);
    return new TrainingPipeline(TrainerSettings.defaults(), clock).train(data, bundles, "secure").version();
  }

  private static <T> GrpcServer startTier(String name, java.util.function.Supplier<T> command, Function<T, Module> module)
      throws Exception {
    TestCertificates.Issued server = ca.issue(name, "localhost");
    T main =
        parse(
            command.get(),
            "--port", "0",
            "--bundle-dir", bundles.toString(),
            // Only ReloadBundles loads a new version: the admin test decides when.
            "--bundle-poll-interval", "0",
            "--tls-cert", server.certificate().toString(),
            "--tls-key", server.privateKey().toString(),
            "--tls-client-ca", ca.caFile().toString(),
            "--allowed-clients", "gateway",
            "--admin-clients", "ops");
    return startModule(module.apply(main));
  }

  private static GrpcServer startModule(Module module) throws Exception {
    Injector injector = Guice.createInjector(module);
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    lifecycles.add(lifecycle);
    return injector.getInstance(GrpcServer.class);
  }

  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private static RecommendResponse recommend(String token, String user) {
    ManagedChannel channel =
        track(NettyChannelBuilder.forAddress("localhost", gateway.port(), credentials(ClientTlsSettings.trusting(ca.caFile()))).build());
    var stub = deadline(GatewayServiceGrpc.newBlockingStub(channel));
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return stub.recommend(RecommendRequest.newBuilder().setUserId(user).setK(10).build());
  }

  private static ManagedChannel mutualTls(GrpcServer server, TestCertificates.Issued client) {
    return track(
        NettyChannelBuilder.forAddress(
                "localhost",
                server.port(),
                credentials(ClientTlsSettings.mutual(ca.caFile(), client.certificate(), client.privateKey())))
            .build());
  }

  private static io.grpc.ChannelCredentials credentials(ClientTlsSettings settings) {
    return ReloadingCredentials.forClient("secure-suite-test", settings).channelCredentials();
  }

  private static ManagedChannel track(ManagedChannel channel) {
    synchronized (channels) {
      channels.add(channel);
    }
    return channel;
  }

  private static <S extends AbstractStub<S>> S deadline(S stub) {
    return stub.withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static void assertRefused(ThrowingCallable call, Status.Code code, String... inDescription) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).as("status %s", e.getStatus()).isEqualTo(code);
          if (inDescription.length > 0) {
            assertThat(e.getStatus().getDescription()).contains(inDescription);
          }
        });
  }
}
