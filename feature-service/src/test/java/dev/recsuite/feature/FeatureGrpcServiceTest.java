package dev.recsuite.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.FeatureServiceGrpc.FeatureServiceBlockingStub;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.bundles.ServedBundles;
import java.time.Clock;
import java.time.Duration;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The handler behind the shared runtime (exception mapping included), over the in-process transport. */
class FeatureGrpcServiceTest {

  private static final int MAX_BATCH = 4;

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  @TempDir Path root;

  private ServedBundles<FeatureStore> current;
  private FeatureServiceBlockingStub stub;

  @BeforeEach
  void startServer() throws Exception {
    current = new ServedBundles<>("feature-service", Clock.systemUTC(), Duration.ofMinutes(5));
    current.publish(TestBundles.VERSION, FeatureStore.load(TestBundles.write(root, TestBundles.VERSION)));
    // The shared runtime rather than a bare server: statuses come from its exception mapping.
    String name = grpc.newServerName();
    GrpcServer server =
        GrpcServer.builder(FeatureServiceModule.SERVICE_NAME, InProcessServerBuilder.forName(name))
            .addService(new FeatureGrpcService(current, MAX_BATCH))
            .build();
    server.start();
    grpc.register((AutoCloseable) server::shutdownGracefully);
    stub =
        FeatureServiceGrpc.newBlockingStub(grpc.channel(name)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void getUserFeatures_knownUser_returnsFeaturesAndBundleVersion() {
    GetUserFeaturesResponse response =
        stub.getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId("u1").build());

    assertThat(response.getBundleVersion()).isEqualTo(TestBundles.VERSION);
    assertThat(response.getFeatures().getKnown()).isTrue();
    assertThat(response.getFeatures().getInteractionCount()).isEqualTo(3);
    assertThat(response.getFeatures().getRecentItemIdsList()).containsExactly("m3", "m2");
    try (ServedBundles.Lease<FeatureStore> lease = current.acquire("")) {
      assertThat(response.getFeatures()).isEqualTo(lease.model().user("u1"));
    }
  }

  @Test
  void getUserFeatures_unknownUser_returnsDefaultsNotAnError() {
    GetUserFeaturesResponse response =
        stub.getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId("stranger").build());

    assertThat(response.getFeatures().getUserId()).isEqualTo("stranger");
    assertThat(response.getFeatures().getKnown()).isFalse();
    assertThat(response.getFeatures().getMeanRating()).isEqualTo(TestBundles.GLOBAL_MEAN);
    assertThat(response.getBundleVersion()).isEqualTo(TestBundles.VERSION);
  }

  @Test
  void getItemFeatures_mixedBatch_answersInRequestOrder() {
    GetItemFeaturesResponse response =
        stub.getItemFeatures(
            GetItemFeaturesRequest.newBuilder().addAllItemIds(List.of("m3", "x9", "m1", "m3")).build());

    assertThat(response.getBundleVersion()).isEqualTo(TestBundles.VERSION);
    assertThat(response.getFeaturesList())
        .extracting(ItemFeatures::getItemId)
        .containsExactly("m3", "x9", "m1", "m3");
    assertThat(response.getFeaturesList())
        .extracting(ItemFeatures::getKnown)
        .containsExactly(true, false, true, true);
    assertThat(response.getFeatures(2).getTitle()).isEqualTo("Alpha");
  }

  @Test
  void getItemFeatures_exactlyMaxBatch_isAccepted() {
    GetItemFeaturesResponse response =
        stub.getItemFeatures(
            GetItemFeaturesRequest.newBuilder().addAllItemIds(Collections.nCopies(MAX_BATCH, "m2")).build());

    assertThat(response.getFeaturesCount()).isEqualTo(MAX_BATCH);
  }

  @Test
  void getUserFeatures_emptyUserId_failsNamingUserId() {
    Status status = statusOf(() -> stub.getUserFeatures(GetUserFeaturesRequest.getDefaultInstance()));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("user_id: must not be empty");
  }

  @Test
  void getUserFeatures_userIdTooLong_failsNamingUserIdAndTheLimit() {
    String longId = "u".repeat(129);

    Status status =
        statusOf(() -> stub.getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId(longId).build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("user_id: ").contains("129 characters", "at most 128");
  }

  @Test
  void getUserFeatures_controlCharacter_failsNamingUserId() {
    Status status =
        statusOf(() -> stub.getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId("u\n1").build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("user_id: ").contains("control character");
  }

  @Test
  void getItemFeatures_noIds_failsNamingItemIds() {
    Status status = statusOf(() -> stub.getItemFeatures(GetItemFeaturesRequest.getDefaultInstance()));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("item_ids: must not be empty (expected: 1..4 ids)");
  }

  @Test
  void getItemFeatures_overMaxBatch_failsNamingItemIdsAndTheLimit() {
    GetItemFeaturesRequest request =
        GetItemFeaturesRequest.newBuilder().addAllItemIds(Collections.nCopies(MAX_BATCH + 1, "m1")).build();

    Status status = statusOf(() -> stub.getItemFeatures(request));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("item_ids: 5 values (expected: at most 4)");
  }

  @Test
  void getItemFeatures_invalidId_failsNamingItsIndex() {
    GetItemFeaturesRequest request =
        GetItemFeaturesRequest.newBuilder().addAllItemIds(List.of("m1", "m2", "m3", "")).build();

    Status status = statusOf(() -> stub.getItemFeatures(request));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("item_ids[3]: must not be empty");
  }

  @Test
  void getItemFeatures_afterSwap_answersFromTheNewStoreUnlessPinned() {
    Dataset train = TestBundles.dataset();
    current.publish("20991202-000000-next", FeatureStore.of("20991202-000000-next", train, TestBundles.tables(train)));

    GetItemFeaturesResponse newest =
        stub.getItemFeatures(GetItemFeaturesRequest.newBuilder().addItemIds("m1").build());
    GetItemFeaturesResponse pinned =
        stub.getItemFeatures(
            GetItemFeaturesRequest.newBuilder().addItemIds("m1").setBundleVersion(TestBundles.VERSION).build());

    assertThat(newest.getBundleVersion()).isEqualTo("20991202-000000-next");
    assertThat(pinned.getBundleVersion()).isEqualTo(TestBundles.VERSION);
    assertThat(pinned.getNewestBundleVersion()).isEqualTo("20991202-000000-next");
  }

  @Test
  void getUserFeatures_pinnedVersionNotLoaded_isNotFoundNamingTheVersion() {
    Status status =
        statusOf(
            () ->
                stub.getUserFeatures(
                    GetUserFeaturesRequest.newBuilder().setUserId("u1").setBundleVersion("19990101-000000-old").build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("19990101-000000-old", TestBundles.VERSION);
  }

  @Test
  void getUserFeatures_hugePinnedVersion_failsNamingBundleVersionWithTheValueCut() {
    // Found by the fuzz test: echoed whole in the NOT_FOUND description, 200,000 characters
    // overflowed the client's header limit and the call failed with INTERNAL.
    String huge = "v".repeat(200_000);

    Status status =
        statusOf(
            () -> stub.getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId("u1").setBundleVersion(huge).build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("bundle_version: ").contains("200000 characters").hasSizeLessThan(200);
  }

  @Test
  void getItemFeatures_pinnedVersionWithLineBreak_failsNamingBundleVersion() {
    GetItemFeaturesRequest request =
        GetItemFeaturesRequest.newBuilder().addItemIds("m1").setBundleVersion("v1\nforged log line").build();

    Status status = statusOf(() -> stub.getItemFeatures(request));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("bundle_version: ").contains("control character");
  }

  private static Status statusOf(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call should fail").isNotNull();
    return e.getStatus();
  }
}
