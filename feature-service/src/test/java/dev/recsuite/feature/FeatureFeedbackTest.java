package dev.recsuite.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.util.Timestamps;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.FeedbackOutcome;
import dev.recsuite.feature.internal.CatalogueGenres;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.FeatureServiceGrpc.FeatureServiceBlockingStub;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStores;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RecordEvents} and the online features over the in-process transport, with an embedded
 * feedback store in a temporary directory and a clock the test moves. The bundle is {@link
 * TestBundles}: u1 has m1 (Action, Comedy), m2 (Drama), m3 (Action), recent window 2.
 */
class FeatureFeedbackTest {

  private static final long NOW = 1_800_000_000_000L;

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  @TempDir Path root;

  private final TestClock clock = new TestClock(NOW);
  private ServedBundles<FeatureStore> bundles;
  private FeedbackStore store;
  private FeatureServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    bundles = new ServedBundles<>("feature-service", Clock.systemUTC(), Duration.ofMinutes(5));
    bundles.publish(TestBundles.VERSION, FeatureStore.load(TestBundles.write(root.resolve("bundles"), TestBundles.VERSION)));
    store =
        FeedbackStores.open(
            FeedbackStoreConfig.embedded(root.resolve("feedback")), clock, new CatalogueGenres(bundles));
    stub = serve(ManagedFeedbackStore.of(store, clock));
  }

  private FeatureServiceBlockingStub serve(ManagedFeedbackStore feedback) throws Exception {
    String name = grpc.newServerName();
    GrpcServer server =
        GrpcServer.builder(FeatureServiceModule.SERVICE_NAME, InProcessServerBuilder.forName(name))
            .addService(new FeatureGrpcService(bundles, 10, Telemetry.noop(), feedback))
            .build();
    server.start();
    grpc.register((AutoCloseable) () -> {
      server.shutdownGracefully();
      feedback.stop();
    });
    return FeatureServiceGrpc.newBlockingStub(grpc.channel(name)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void recordEvents_newEvents_areStoredAndARetryIsCountedOnce() {
    RecordEventsRequest batch =
        batch(
            event("e1", "u1", "m4", EventType.EVENT_TYPE_CLICK),
            event("e2", "u1", "m4", EventType.EVENT_TYPE_LIKE),
            event("e3", "u9", "m2", EventType.EVENT_TYPE_VIEW));

    RecordEventsResponse first = stub.recordEvents(batch);
    RecordEventsResponse retry = stub.recordEvents(batch);

    assertThat(first.getOutcomesList()).containsOnly(FeedbackOutcome.FEEDBACK_OUTCOME_STORED).hasSize(3);
    assertThat(retry.getOutcomesList()).containsOnly(FeedbackOutcome.FEEDBACK_OUTCOME_DUPLICATE).hasSize(3);
    assertThat(store.eventCount()).isEqualTo(3);
  }

  @Test
  void recordEvents_idRepeatedInTheBatch_isStoredOnceTheFirstWins() {
    RecordEventsResponse response =
        stub.recordEvents(
            batch(
                event("same", "u1", "m4", EventType.EVENT_TYPE_LIKE),
                event("same", "u1", "m2", EventType.EVENT_TYPE_PURCHASE)));

    assertThat(response.getOutcomesList())
        .containsExactly(FeedbackOutcome.FEEDBACK_OUTCOME_STORED, FeedbackOutcome.FEEDBACK_OUTCOME_DUPLICATE);
    assertThat(store.eventCount()).isEqualTo(1);
    assertThat(store.user("u1").recentItemIds()).containsExactly("m4");
  }

  @Test
  void recordEvents_unknownTypeNumber_failsNamingTheFieldAndWritesNothing() {
    FeedbackEvent unknown = event("e2", "u1", "m2", EventType.EVENT_TYPE_VIEW).toBuilder().setTypeValue(42).build();

    Status status = statusOf(() -> stub.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_LIKE), unknown)));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("events[1].type: 42 is not an event type (expected: 1..8, EVENT_TYPE_VIEW to EVENT_TYPE_DISLIKE)");
    assertThat(store.eventCount()).isZero();
  }

  @Test
  void recordEvents_typeNotSet_failsNamingTheField() {
    Status status = statusOf(() -> stub.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_UNSPECIFIED))));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("events[0].type: must be set");
  }

  @Test
  void recordEvents_timestampFarInTheFuture_failsNamingTheTimestampAndWritesNothing() {
    FeedbackEvent future =
        event("e2", "u1", "m2", EventType.EVENT_TYPE_CLICK).toBuilder()
            .setTimestamp(Timestamps.fromMillis(NOW + Duration.ofHours(1).toMillis()))
            .build();

    Status status = statusOf(() -> stub.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_LIKE), future)));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("events[1].timestamp: " + (NOW + 3_600_000)).contains("far in the future");
    assertThat(store.eventCount()).isZero();
  }

  @Test
  void recordEvents_ratingOutOfRange_failsNamingTheValue() {
    FeedbackEvent rating = event("e1", "u1", "m4", EventType.EVENT_TYPE_RATING).toBuilder().setValue(7).build();

    Status status = statusOf(() -> stub.recordEvents(batch(rating)));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("events[0].value: 7.0 (expected: a rating in 0.5..5.0)");
  }

  @Test
  void recordEvents_emptyUserId_failsNamingTheField() {
    Status status = statusOf(() -> stub.recordEvents(batch(event("e1", "", "m4", EventType.EVENT_TYPE_LIKE))));

    assertThat(status.getDescription()).isEqualTo("events[0].user_id: must not be empty");
  }

  @Test
  void recordEvents_oversizedBatch_failsNamingTheSizeAndWritesNothing() {
    List<FeedbackEvent> events = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      events.add(event("e" + i, "u1", "m4", EventType.EVENT_TYPE_VIEW));
    }

    Status status = statusOf(() -> stub.recordEvents(RecordEventsRequest.newBuilder().addAllEvents(events).build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("events: 1001 events (expected: at most 1000)");
    assertThat(store.eventCount()).isZero();
  }

  @Test
  void recordEvents_emptyBatch_failsNamingEvents() {
    Status status = statusOf(() -> stub.recordEvents(RecordEventsRequest.getDefaultInstance()));

    assertThat(status.getDescription()).isEqualTo("events: must not be empty (expected: 1..1000 events)");
  }

  @Test
  void recordEvents_withoutTimestamp_getsTheServersTime() {
    stub.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_LIKE).toBuilder().clearTimestamp().build()));

    assertThat(store.recentEvents("u1", 1).getFirst().timestampMillis()).isEqualTo(NOW);
  }

  @Test
  void recordEvents_withoutAStore_failsWithFailedPrecondition() throws Exception {
    FeatureServiceBlockingStub off = serve(ManagedFeedbackStore.off());

    Status status = statusOf(() -> off.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_LIKE))));

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("--feedback-store none");
  }

  @Test
  void getUserFeatures_afterALike_mergesCountsRecentItemsAndAffinity() {
    stub.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_LIKE)));

    UserFeatures user = user("u1");

    // Bundle: 3 interactions, Action 2/3, Comedy 1/3, Drama 1/3. A LIKE (weight 4) on m4 (Comedy):
    // n = 3, W = 4, Comedy (1 + 4) / 7, Action 2 / 7, Drama 1 / 7.
    assertThat(user.getKnown()).isTrue();
    assertThat(user.getInteractionCount()).isEqualTo(4);
    assertThat(user.getRecentItemIdsList()).containsExactly("m4", "m3");
    assertThat(user.getGenreAffinityMap().get("Comedy")).isCloseTo(5f / 7, within(1e-6f));
    assertThat(user.getGenreAffinityMap().get("Action")).isCloseTo(2f / 7, within(1e-6f));
    assertThat(user.getGenreAffinityMap().get("Drama")).isCloseTo(1f / 7, within(1e-6f));
    assertThat(user.getOnline().getEventCount()).isEqualTo(1);
    assertThat(user.getOnline().getCountsMap()).containsExactly(Map.entry("LIKE", 1L));
    assertThat(user.getOnline().getConsumedItemIdsList()).containsExactly("m4");
    assertThat(Timestamps.toMillis(user.getOnline().getLastEventTime())).isEqualTo(NOW);
    assertThat(user.getAttributesMap()).containsEntry("age", "25");
  }

  @Test
  void getUserFeatures_rating_isFoldedIntoTheMeanRating() {
    stub.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_RATING).toBuilder().setValue(1.0).build()));

    // u1's ratings 4, 5, 3 (mean 4) and the new 1: (4 × 3 + 1) / 4.
    assertThat(user("u1").getMeanRating()).isEqualTo(3.25f);
  }

  @Test
  void getUserFeatures_userOnlyTheStoreKnows_isKnownWithFreshFeatures() {
    stub.recordEvents(
        batch(
            event("e1", "newcomer", "m2", EventType.EVENT_TYPE_PURCHASE),
            event("e2", "newcomer", "m4", EventType.EVENT_TYPE_VIEW, NOW - 1000)));

    UserFeatures user = user("newcomer");

    assertThat(user.getKnown()).isTrue();
    assertThat(user.getInteractionCount()).isEqualTo(2);
    assertThat(user.getRecentItemIdsList()).containsExactly("m2", "m4");
    // W = 5 + 1: Drama 5 / 6, Comedy 1 / 6.
    assertThat(user.getGenreAffinityMap().get("Drama")).isCloseTo(5f / 6, within(1e-6f));
    assertThat(user.getGenreAffinityMap().get("Comedy")).isCloseTo(1f / 6, within(1e-6f));
    assertThat(user.getMeanRating()).isEqualTo(TestBundles.GLOBAL_MEAN);
  }

  @Test
  void getUserFeatures_dislike_isListedAndLeftOutOfRecentAndConsumedItems() {
    stub.recordEvents(
        batch(
            event("e1", "u1", "m4", EventType.EVENT_TYPE_CLICK, NOW - 2000),
            event("e2", "u1", "m4", EventType.EVENT_TYPE_DISLIKE, NOW - 1000),
            event("e3", "u1", "m3", EventType.EVENT_TYPE_DISLIKE)));

    UserFeatures user = user("u1");

    assertThat(user.getDislikedItemIdsList()).containsExactly("m3", "m4");
    assertThat(user.getRecentItemIdsList()).containsExactly("m2");
    assertThat(user.getOnline().getConsumedItemIdsList()).isEmpty();
    assertThat(user.getInteractionCount()).isEqualTo(4);
    // Comedy (1 + 2 − 4) / (3 + 2) and Action (2 − 4) / 5 fall below 0 and are left out.
    assertThat(user.getGenreAffinityMap()).containsOnlyKeys("Drama");
    assertThat(user.getGenreAffinityMap().get("Drama")).isCloseTo(1f / 5, within(1e-6f));
  }

  @Test
  void getUserFeatures_userWithoutEvents_isTheBundlesMessage() {
    UserFeatures user = user("u2");

    try (ServedBundles.Lease<FeatureStore> lease = bundles.acquire("")) {
      assertThat(user).isEqualTo(lease.model().user("u2"));
    }
    assertThat(user.hasOnline()).isFalse();
  }

  @Test
  void getItemFeatures_trending_isTheDecayedWeightOfTheItemsEvents() {
    stub.recordEvents(
        batch(
            event("e1", "u1", "m2", EventType.EVENT_TYPE_PURCHASE),
            event("e2", "u2", "m2", EventType.EVENT_TYPE_VIEW),
            event("e3", "u2", "x7", EventType.EVENT_TYPE_CLICK)));

    List<ItemFeatures> now = items("m2", "m1", "x7");
    clock.advance(Duration.ofHours(24));
    List<ItemFeatures> dayLater = items("m2");

    assertThat(now).extracting(ItemFeatures::getTrending).containsExactly(6f, 0f, 2f);
    assertThat(now.get(0).getTitle()).isEqualTo("Beta");
    assertThat(now.get(2).getKnown()).isFalse();
    assertThat(dayLater.getFirst().getTrending()).isCloseTo(3f, within(1e-5f));
  }

  @Test
  void getUserFeatures_storeClosed_servesTheBundlesFeatures() {
    stub.recordEvents(batch(event("e1", "u1", "m4", EventType.EVENT_TYPE_LIKE)));
    store.close();

    UserFeatures user = user("u1");

    assertThat(user.getInteractionCount()).isEqualTo(3);
    assertThat(user.hasOnline()).isFalse();
  }

  private UserFeatures user(String id) {
    return stub.getUserFeatures(GetUserFeaturesRequest.newBuilder().setUserId(id).build()).getFeatures();
  }

  private List<ItemFeatures> items(String... ids) {
    return stub.getItemFeatures(GetItemFeaturesRequest.newBuilder().addAllItemIds(List.of(ids)).build())
        .getFeaturesList();
  }

  private static RecordEventsRequest batch(FeedbackEvent... events) {
    return RecordEventsRequest.newBuilder().addAllEvents(List.of(events)).build();
  }

  private static FeedbackEvent event(String id, String user, String item, EventType type) {
    return event(id, user, item, type, NOW);
  }

  private static FeedbackEvent event(String id, String user, String item, EventType type, long millis) {
    return FeedbackEvent.newBuilder()
        .setEventId(id)
        .setUserId(user)
        .setItemId(item)
        .setType(type)
        .setTimestamp(Timestamps.fromMillis(millis))
        .build();
  }

  private static Status statusOf(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }
}
