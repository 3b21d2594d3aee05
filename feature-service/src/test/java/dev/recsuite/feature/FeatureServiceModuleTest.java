package dev.recsuite.feature;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import dev.recsuite.grpc.bundles.BundleWatcher;
import com.google.protobuf.util.Timestamps;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.FeedbackOutcome;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.FeatureServiceGrpc.FeatureServiceBlockingStub;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleSettings;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The assembled process on a real loopback socket (ephemeral port): what main runs. */
@Timeout(60)
class FeatureServiceModuleTest {

  @TempDir Path root;

  @Test
  void lifecycle_servesTheNewestBundleOverTheNetwork() throws Exception {
    TestBundles.write(root, "20261101-000000-old");
    TestBundles.write(root, TestBundles.VERSION);
    FeatureServiceConfig config = new FeatureServiceConfig(BundleSettings.of(root), 100, ServerSettings.defaults());
    Injector injector = Guice.createInjector(new FeatureServiceModule(config));
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    ManagedChannel channel =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + injector.getInstance(GrpcServer.class).port(),
                InsecureChannelCredentials.create())
            .build();
    try {
      GetItemFeaturesResponse response =
          FeatureServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getItemFeatures(GetItemFeaturesRequest.newBuilder().addItemIds("m2").build());
      ServingStatus health =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService("dev.recsuite.feature.v1.FeatureService").build())
              .getStatus();

      assertThat(response.getBundleVersion()).isEqualTo(TestBundles.VERSION);
      assertThat(response.getFeatures(0).getTitle()).isEqualTo("Beta");
      assertThat(health).isEqualTo(ServingStatus.SERVING);

      // Hot swap: a newer bundle published beside it is served after the watcher's next poll.
      TestBundles.write(root, "20991231-000000-newer");
      assertThat(injector.getInstance(new Key<BundleWatcher<FeatureStore>>() {}).poll()).isTrue();
      GetItemFeaturesResponse swapped =
          FeatureServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getItemFeatures(GetItemFeaturesRequest.newBuilder().addItemIds("m2").build());
      assertThat(swapped.getBundleVersion()).isEqualTo("20991231-000000-newer");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      lifecycle.stop();
    }
  }

  @Test
  void lifecycle_embeddedFeedbackStore_keepsRecordedEventsAcrossARestart() throws Exception {
    TestBundles.write(root.resolve("bundles"), TestBundles.VERSION);
    FeatureServiceConfig config =
        new FeatureServiceConfig(BundleSettings.of(root.resolve("bundles")), 100, ServerSettings.defaults())
            .withFeedback(FeedbackStoreConfig.embedded(root.resolve("feedback")));
    RecordEventsRequest events =
        RecordEventsRequest.newBuilder()
            .addEvents(event("e1", "u1", "m4", EventType.EVENT_TYPE_LIKE))
            .addEvents(event("e2", "u1", "m2", EventType.EVENT_TYPE_DISLIKE))
            .build();

    RecordEventsResponse first = withService(config, stub -> stub.recordEvents(events));
    UserFeatures afterRestart =
        withService(config, stub -> stub.getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId("u1").build()).getFeatures());
    RecordEventsResponse retried = withService(config, stub -> stub.recordEvents(events));

    assertThat(first.getOutcomesList()).containsOnly(FeedbackOutcome.FEEDBACK_OUTCOME_STORED);
    assertThat(afterRestart.getOnline().getEventCount()).isEqualTo(2);
    assertThat(afterRestart.getOnline().getConsumedItemIdsList()).containsExactly("m4");
    assertThat(afterRestart.getDislikedItemIdsList()).containsExactly("m2");
    assertThat(retried.getOutcomesList()).containsOnly(FeedbackOutcome.FEEDBACK_OUTCOME_DUPLICATE);
  }

  /** Starts the whole service, runs {@code call} over the network, stops it (closing the store). */
  private static <T> T withService(FeatureServiceConfig config, Function<FeatureServiceBlockingStub, T> call)
      throws Exception {
    Injector injector = Guice.createInjector(new FeatureServiceModule(config));
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    ManagedChannel channel =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + injector.getInstance(GrpcServer.class).port(), InsecureChannelCredentials.create())
            .build();
    try {
      return call.apply(FeatureServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      lifecycle.stop();
    }
  }

  private static FeedbackEvent event(String id, String user, String item, EventType type) {
    return FeedbackEvent.newBuilder()
        .setEventId(id)
        .setUserId(user)
        .setItemId(item)
        .setType(type)
        .setTimestamp(Timestamps.fromMillis(System.currentTimeMillis()))
        .build();
  }
}
