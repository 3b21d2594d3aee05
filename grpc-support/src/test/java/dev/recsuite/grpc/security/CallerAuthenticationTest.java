package dev.recsuite.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens, anonymous callers, admin and write methods and per-client quotas, on a real
 * loopback server: who gets in, who is refused and with which status.
 */
class CallerAuthenticationTest {

  private static final String WEB_TOKEN = "web-token-7c1f";
  private static final String BATCH_TOKEN = "batch-token-93ad";
  private static final String OPS_TOKEN = "ops-token-51be";

  @TempDir Path dir;

  private final List<GrpcServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder().setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    servers.forEach(GrpcServer::shutdownNow);
    sdk.close();
  }

  @Test
  void tokens_noToken_isUnauthenticatedSayingWhatToPresent() throws Exception {
    GrpcServer server = start(tokens(), null);

    assertRefused(() -> call(server, null, "u1"), Status.Code.UNAUTHENTICATED, "requires credentials", "Bearer");
  }

  @Test
  void tokens_wrongToken_isUnauthenticatedWithoutEchoingIt() throws Exception {
    GrpcServer server = start(tokens(), null);

    assertThatThrownBy(() -> call(server, "Bearer guessed-token", "u1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("unknown bearer token").doesNotContain("guessed");
        });
  }

  @Test
  void tokens_notABearerScheme_isUnauthenticated() throws Exception {
    GrpcServer server = start(tokens(), null);

    assertRefused(() -> call(server, "Basic " + WEB_TOKEN, "u1"), Status.Code.UNAUTHENTICATED, "not a bearer token");
  }

  @Test
  void tokens_rightToken_isServedAndTheHandlerKnowsTheClient() throws Exception {
    AtomicReference<Caller> seen = new AtomicReference<>();
    GrpcServer server = start(tokens(), seen);

    RecallResponse response = call(server, "Bearer " + WEB_TOKEN, "u1");

    assertThat(response.getBundleVersion()).isEqualTo("u1");
    assertThat(seen.get()).isEqualTo(new Caller("web-frontend", Caller.Via.TOKEN, Set.of("call")));
  }

  @Test
  void tokens_schemeIsCaseInsensitive() throws Exception {
    GrpcServer server = start(tokens(), null);

    assertThat(call(server, "bearer " + WEB_TOKEN, "u1").getBundleVersion()).isEqualTo("u1");
  }

  @Test
  void allowAnonymous_admitsCallersWithoutToken_butAWrongTokenIsStillRefused() throws Exception {
    AtomicReference<Caller> seen = new AtomicReference<>();
    GrpcServer server = start(tokens().withTokens(tokens().clientTokens(), true), seen);

    assertThat(call(server, null, "u1").getBundleVersion()).isEqualTo("u1");
    assertThat(seen.get()).isEqualTo(Caller.anonymous(Set.of("call")));
    assertRefused(() -> call(server, "Bearer nope", "u1"), Status.Code.UNAUTHENTICATED, "unknown bearer token");
  }

  @Test
  void plaintextWithoutTokens_anonymousCallersAreServed_andATokenIsRefused() throws Exception {
    GrpcServer server = start(ServerSecurity.plaintext(), null);

    assertThat(call(server, null, "u1").getBundleVersion()).isEqualTo("u1");
    assertRefused(() -> call(server, "Bearer " + WEB_TOKEN, "u1"), Status.Code.UNAUTHENTICATED, "accepts no bearer tokens");
  }

  @Test
  void allowedClients_tokenClientNotInTheList_isPermissionDenied() throws Exception {
    GrpcServer server = start(tokens().withClients(Set.of("web-frontend"), Set.of()), null);

    assertThat(call(server, "Bearer " + WEB_TOKEN, "u1").getBundleVersion()).isEqualTo("u1");
    assertRefused(
        () -> call(server, "Bearer " + BATCH_TOKEN, "u1"),
        Status.Code.PERMISSION_DENIED, "client batch-eval may not call recall-service");
  }

  @Test
  void adminMethod_plaintextDevMode_isRefusedToAnonymousSayingHowToConfigure() throws Exception {
    GrpcServer server = startAdmin(ServerSecurity.plaintext());

    assertRefused(() -> call(server, null, "u1"), Status.Code.PERMISSION_DENIED, "no admin client", "--admin-clients");
  }

  @Test
  void adminMethod_tokens_adminServed_nonAdminDenied_anonymousUnauthenticated() throws Exception {
    GrpcServer server = startAdmin(tokens().withTokens(tokens().clientTokens(), true).withClients(Set.of(), Set.of("ops")));

    assertThat(call(server, "Bearer " + OPS_TOKEN, "u1").getBundleVersion()).isEqualTo("u1");
    assertRefused(
        () -> call(server, "Bearer " + WEB_TOKEN, "u1"),
        Status.Code.PERMISSION_DENIED, "client web-frontend may not call the admin method");
    assertRefused(() -> call(server, null, "u1"), Status.Code.UNAUTHENTICATED, "admin method");
  }

  @Test
  void adminClient_notInAllowedClients_mayStillCallOrdinaryMethods() throws Exception {
    GrpcServer server = start(tokens().withClients(Set.of("web-frontend"), Set.of("ops")), null);

    assertThat(call(server, "Bearer " + OPS_TOKEN, "u1").getBundleVersion()).isEqualTo("u1");
  }

  @Test
  void writeMethod_anonymousWithAllowAnonymous_isUnauthenticated_tokenClientServed() throws Exception {
    ServerSettings settings = ServerSettings.defaults().withSecurity(tokens().withTokens(tokens().clientTokens(), true));
    GrpcServer server =
        start(GrpcServer.builder("feature-service", settings).addService(TestServices.echo(null)).writeMethods(TestServices.RECALL).build());

    assertRefused(() -> call(server, null, "u1"), Status.Code.UNAUTHENTICATED, "write method");
    assertThat(call(server, "Bearer " + WEB_TOKEN, "u2").getBundleVersion()).isEqualTo("u2");
  }

  @Test
  void quota_clientOverItsQuotaIsThrottled_whileAnotherKeepsBeingServed_andThrottledCallsAreCounted() throws Exception {
    ServerSecurity security = tokens().withQuotas(new ClientQuotas(Map.of("web-frontend", 5.0, "batch-eval", 5.0), 0));
    ServerSettings settings = ServerSettings.defaults().withSecurity(security);
    GrpcServer server =
        start(GrpcServer.builder("recall-service", settings)
            .telemetry(Telemetry.of("recall-service", sdk))
            .addService(TestServices.echo(null))
            .build());

    int servedBeforeThrottled = 0;
    StatusRuntimeException throttled = null;
    for (int i = 0; i < 100 && throttled == null; i++) {
      try {
        call(server, "Bearer " + BATCH_TOKEN, "b" + i);
        servedBeforeThrottled++;
      } catch (StatusRuntimeException e) {
        throttled = e;
      }
    }
    List<String> servedForWeb = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      servedForWeb.add(call(server, "Bearer " + WEB_TOKEN, "w" + i).getBundleVersion());
    }

    assertThat(throttled).isNotNull();
    assertThat(throttled.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(throttled.getStatus().getDescription()).contains("client batch-eval is over its quota of 5 calls/s");
    assertThat(servedBeforeThrottled).isBetween(5, 99);
    assertThat(servedForWeb).containsExactly("w0", "w1", "w2", "w3", "w4");
    assertThat(throttledCalls("batch-eval")).isGreaterThanOrEqualTo(1);
    assertThat(throttledCalls("web-frontend")).isZero();
  }

  @Test
  void defaultQuota_appliesToClientsWithoutTheirOwn_andAnonymousCallersShareOne() throws Exception {
    ServerSecurity security =
        tokens().withTokens(tokens().clientTokens(), true).withQuotas(new ClientQuotas(Map.of("web-frontend", 0.0), 2));
    GrpcServer server = start(security, null);

    assertThat(call(server, null, "a1").getBundleVersion()).isEqualTo("a1");
    assertThat(call(server, null, "a2").getBundleVersion()).isEqualTo("a2");
    assertRefused(() -> call(server, null, "a3"), Status.Code.RESOURCE_EXHAUSTED, "client anonymous is over its quota of 2 calls/s");
    for (int i = 0; i < 20; i++) {
      assertThat(call(server, "Bearer " + WEB_TOKEN, "w" + i).getBundleVersion()).isEqualTo("w" + i);
    }
  }

  @Test
  void tokenFile_changed_isUsedAfterReload_andAMalformedEditKeepsTheTokensInUse() throws Exception {
    Path file = writeTokens(ClientTokens.line("web-frontend", WEB_TOKEN));
    GrpcServer server = start(ServerSecurity.plaintext().withTokens(Optional.of(file), false), null);
    assertRefused(() -> call(server, "Bearer rotated-token", "u1"), Status.Code.UNAUTHENTICATED, "unknown bearer token");

    Files.writeString(file, ClientTokens.line("web-frontend", "rotated-token") + "\n");
    boolean reloaded = server.reloadClientTokens();
    Files.writeString(file, "web-frontend not-a-hash\n");
    boolean reloadedMalformed = server.reloadClientTokens();

    assertThat(reloaded).isTrue();
    assertThat(reloadedMalformed).isFalse();
    assertThat(call(server, "Bearer rotated-token", "u1").getBundleVersion()).isEqualTo("u1");
    assertRefused(() -> call(server, "Bearer " + WEB_TOKEN, "u1"), Status.Code.UNAUTHENTICATED, "unknown bearer token");
  }

  @Test
  void tokenFile_malformed_failsBuildingTheServerNamingTheLine() throws Exception {
    Path file = writeTokens(ClientTokens.line("web-frontend", WEB_TOKEN) + "\nbatch-eval\n");
    ServerSettings settings = ServerSettings.defaults().withSecurity(ServerSecurity.plaintext().withTokens(Optional.of(file), false));

    assertThatThrownBy(() -> GrpcServer.builder("recall-service", settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("client-tokens " + file + " line 2: 1 fields");
  }

  private ServerSecurity tokens() throws Exception {
    Path file = dir.resolve("tokens");
    if (!Files.exists(file)) {
      writeTokens(
          "# test tokens\n"
              + ClientTokens.line("web-frontend", WEB_TOKEN) + "\n"
              + ClientTokens.line("batch-eval", BATCH_TOKEN) + "\n"
              + ClientTokens.line("ops", OPS_TOKEN));
    }
    return ServerSecurity.plaintext().withTokens(Optional.of(file), false);
  }

  private Path writeTokens(String text) throws Exception {
    return Files.writeString(dir.resolve("tokens"), text + "\n");
  }

  private GrpcServer start(ServerSecurity security, AtomicReference<Caller> seen) throws Exception {
    ServerSettings settings = ServerSettings.defaults().withSecurity(security);
    return start(GrpcServer.builder("recall-service", settings).addService(TestServices.echo(seen)).build());
  }

  private GrpcServer startAdmin(ServerSecurity security) throws Exception {
    ServerSettings settings = ServerSettings.defaults().withSecurity(security);
    return start(
        GrpcServer.builder("recall-service", settings).addService(TestServices.echo(null)).adminMethods(TestServices.RECALL).build());
  }

  private GrpcServer start(GrpcServer server) throws Exception {
    servers.add(server);
    server.start();
    return server;
  }

  private RecallResponse call(GrpcServer server, String authorization, String user) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    channels.add(channel);
    Channel target = channel;
    if (authorization != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
      target = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return ClientCalls.blockingUnaryCall(
        target,
        TestServices.RECALL,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        RecallRequest.newBuilder().setUserId(user).build());
  }

  private long throttledCalls(String client) {
    return metrics.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("recsuite.server.throttled_calls"))
        .map(MetricData::getLongSumData)
        .flatMap(sum -> sum.getPoints().stream())
        .filter(p -> client.equals(p.getAttributes().get(AttributeKey.stringKey("client"))))
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  private static void assertRefused(ThrowingCallable call, Status.Code code, String... inDescription) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).contains(inDescription);
        });
  }
}
