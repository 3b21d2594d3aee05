package dev.recsuite.feature;

import dev.recsuite.feature.internal.FeedbackEvents;
import dev.recsuite.feature.internal.OnlineFeatures;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.feedback.AppendOutcome;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreException;
import dev.recsuite.feedback.InvalidFeedbackException;
import dev.recsuite.feedback.ItemActivity;
import dev.recsuite.feedback.UserActivity;
import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.RequestValidation;
import dev.recsuite.grpc.UnavailableException;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dev.recsuite.feature.v1.FeatureService} handler: validates requests and answers from
 * the current {@link FeatureStore} merged with the online activity of the feedback store ({@link
 * OnlineFeatures}), and writes feedback events ({@code RecordEvents}). Invalid requests throw {@link
 * InvalidArgumentException}, which the shared server runtime turns into {@code INVALID_ARGUMENT}
 * naming the field; unknown ids are not errors. Thread-safe; feature lookups block only on the
 * feedback store's reads (a local RocksDB read, or one Redis round trip).
 *
 * <p>When the feedback store fails to answer a read, the lookup is served from the bundle alone
 * (as if the store knew nothing), counted in {@code recsuite.features.feedback.read_failures} and
 * logged at WARN at most once every 10 s: recommendations go on without the freshest history. A
 * failed write fails the call ({@code UNAVAILABLE}): a write is never dropped silently.
 *
 * <p>Telemetry: each lookup is a span ({@code features.user}, {@code features.items}) under the
 * call's server span, with the bundle version, the number of ids and how many were unknown; {@code
 * recsuite.features.lookups} counts ids looked up by {@code kind} (user, item) and {@code known};
 * {@code recsuite.features.feedback.events} counts recorded events by {@code outcome} ({@code
 * stored}, {@code duplicate}).
 */
public final class FeatureGrpcService extends FeatureServiceGrpc.FeatureServiceImplBase {

  static final AttributeKey<String> BUNDLE_VERSION = AttributeKey.stringKey("recsuite.bundle.version");
  static final AttributeKey<Long> IDS = AttributeKey.longKey("recsuite.features.ids");
  static final AttributeKey<Long> UNKNOWN = AttributeKey.longKey("recsuite.features.unknown");
  private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  private static final AttributeKey<Boolean> KNOWN = AttributeKey.booleanKey("known");
  private static final Attributes USER_KNOWN = Attributes.of(KIND, "user", KNOWN, true);
  private static final Attributes USER_UNKNOWN = Attributes.of(KIND, "user", KNOWN, false);
  private static final Attributes ITEM_KNOWN = Attributes.of(KIND, "item", KNOWN, true);
  private static final Attributes ITEM_UNKNOWN = Attributes.of(KIND, "item", KNOWN, false);
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  private static final Attributes STORED = Attributes.of(OUTCOME, "stored");
  private static final Attributes DUPLICATE = Attributes.of(OUTCOME, "duplicate");
  static final AttributeKey<Long> EVENTS = AttributeKey.longKey("recsuite.feedback.events");
  private static final long READ_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final Logger log = LoggerFactory.getLogger(FeatureGrpcService.class);

  private final ServedBundles<FeatureStore> features;
  private final int maxBatch;
  private final Tracer tracer;
  private final LongCounter lookups;
  private final ManagedFeedbackStore feedback;
  private final LongCounter recorded;
  private final LongCounter readFailures;
  private final AtomicLong nextReadWarning = new AtomicLong(System.nanoTime());

  /**
   * Creates the handler.
   *
   * @param features the stores of the loaded bundle versions; a call leases one (the pinned
   *     version, or the newest) and sees only it, even if a newer version arrives meanwhile
   * @param maxBatch the most item ids one {@code GetItemFeatures} call may ask for
   * @throws IllegalArgumentException if {@code maxBatch < 1}
   * @throws NullPointerException if {@code features} is null
   */
  public FeatureGrpcService(ServedBundles<FeatureStore> features, int maxBatch) {
    this(features, maxBatch, Telemetry.noop());
  }

  /**
   * Creates the handler with telemetry: lookup spans and the {@code recsuite.features.lookups}
   * counter.
   *
   * @throws IllegalArgumentException if {@code maxBatch < 1}
   * @throws NullPointerException if an argument is null
   */
  public FeatureGrpcService(ServedBundles<FeatureStore> features, int maxBatch, Telemetry telemetry) {
    this(features, maxBatch, telemetry, ManagedFeedbackStore.off());
  }

  /**
   * Creates the handler with a feedback store: {@code RecordEvents} writes to it, and user and item
   * features include its online activity.
   *
   * @throws IllegalArgumentException if {@code maxBatch < 1}
   * @throws NullPointerException if an argument is null
   */
  public FeatureGrpcService(
      ServedBundles<FeatureStore> features, int maxBatch, Telemetry telemetry, ManagedFeedbackStore feedback) {
    this.features = Objects.requireNonNull(features, "features");
    this.feedback = Objects.requireNonNull(feedback, "feedback");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: >= 1)");
    }
    this.maxBatch = maxBatch;
    this.tracer = telemetry.tracer("dev.recsuite.feature");
    this.lookups =
        telemetry
            .meter("dev.recsuite.feature")
            .counterBuilder("recsuite.features.lookups")
            .setDescription("Ids looked up, by kind (user, item) and whether the bundle knows them.")
            .setUnit("{id}")
            .build();
    var meter = telemetry.meter("dev.recsuite.feature");
    this.recorded =
        meter
            .counterBuilder("recsuite.features.feedback.events")
            .setDescription("Feedback events written by RecordEvents, by outcome (stored, duplicate).")
            .setUnit("{event}")
            .build();
    this.readFailures =
        meter
            .counterBuilder("recsuite.features.feedback.read_failures")
            .setDescription("Feature lookups served from the bundle alone because the feedback store failed.")
            .setUnit("{call}")
            .build();
  }

  /**
   * Answers the features of one user, the defaults with {@code known = false} for an unknown one.
   *
   * @throws InvalidArgumentException naming {@code user_id} if it is empty, longer than 128
   *     characters, blank or holds a control character, or naming {@code bundle_version} if it is
   *     not empty and not a valid id (the same rules)
   * @throws dev.recsuite.grpc.NotFoundException if the pinned bundle version is not loaded
   */
  @Override
  public void getUserFeatures(
      GetUserFeaturesRequest request, StreamObserver<GetUserFeaturesResponse> responseObserver) {
    String userId = RequestValidation.requireId("user_id", request.getUserId());
    requireBundleVersion(request.getBundleVersion());
    GetUserFeaturesResponse response;
    Span span = startSpan("features.user");
    try (ServedBundles.Lease<FeatureStore> lease = features.acquire(request.getBundleVersion())) {
      FeatureStore store = lease.model();
      response =
          GetUserFeaturesResponse.newBuilder()
              .setFeatures(online(store.user(userId), store.recentWindow()))
              .setBundleVersion(lease.version())
              .setNewestBundleVersion(features.newestVersion())
              .build();
      boolean known = response.getFeatures().getKnown();
      lookups.add(1, known ? USER_KNOWN : USER_UNKNOWN);
      if (span.isRecording()) {
        span.setAttribute(BUNDLE_VERSION, lease.version());
        span.setAttribute(IDS, 1L);
        span.setAttribute(UNKNOWN, known ? 0L : 1L);
      }
    } finally {
      span.end();
    }
    responseObserver.onNext(response);
    responseObserver.onCompleted();
  }

  /**
   * Answers the features of a batch of items in request order, the defaults with {@code known =
   * false} for unknown ones.
   *
   * @throws InvalidArgumentException naming {@code item_ids} if the batch is empty or larger than
   *     the maximum, naming {@code item_ids[i]} if an id is invalid as for {@code user_id}, or
   *     naming {@code bundle_version} if it is not empty and not a valid id
   * @throws dev.recsuite.grpc.NotFoundException if the pinned bundle version is not loaded
   */
  @Override
  public void getItemFeatures(
      GetItemFeaturesRequest request, StreamObserver<GetItemFeaturesResponse> responseObserver) {
    List<String> itemIds = request.getItemIdsList();
    if (itemIds.isEmpty()) {
      throw new InvalidArgumentException(
          "item_ids", "must not be empty (expected: 1.." + maxBatch + " ids)");
    }
    RequestValidation.requireIds("item_ids", itemIds, maxBatch);
    requireBundleVersion(request.getBundleVersion());
    GetItemFeaturesResponse.Builder response = GetItemFeaturesResponse.newBuilder();
    Span span = startSpan("features.items");
    try (ServedBundles.Lease<FeatureStore> lease = features.acquire(request.getBundleVersion())) {
      FeatureStore store = lease.model();
      response.setBundleVersion(lease.version()).setNewestBundleVersion(features.newestVersion());
      int unknown = 0;
      List<ItemActivity> activity = itemActivity(itemIds);
      for (int i = 0; i < itemIds.size(); i++) {
        // The known messages are shared, prebuilt instances: adding one copies a reference.
        ItemFeatures item = store.item(itemIds.get(i));
        if (activity != null) {
          item = OnlineFeatures.merge(item, activity.get(i));
        }
        if (!item.getKnown()) {
          unknown++;
        }
        response.addFeatures(item);
      }
      lookups.add(itemIds.size() - unknown, ITEM_KNOWN);
      if (unknown > 0) {
        lookups.add(unknown, ITEM_UNKNOWN);
      }
      if (span.isRecording()) {
        span.setAttribute(BUNDLE_VERSION, lease.version());
        span.setAttribute(IDS, (long) itemIds.size());
        span.setAttribute(UNKNOWN, (long) unknown);
      }
    } finally {
      span.end();
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  /**
   * Stores a batch of feedback events; one outcome per event in request order.
   *
   * @throws InvalidArgumentException naming {@code events} (empty, more than 1,000) or {@code
   *     events[i].<field>} (type unset or unknown, an invalid id, a rating out of 0.5..5 or a value
   *     on another type, a timestamp too far in the future or the past, context too large); nothing
   *     of the batch is written
   * @throws io.grpc.StatusRuntimeException {@code FAILED_PRECONDITION} without a feedback store
   * @throws UnavailableException if the store failed (the batch may or may not be
   *     stored; a retry with the same event ids is safe) or is closed
   */
  @Override
  public void recordEvents(RecordEventsRequest request, StreamObserver<RecordEventsResponse> responseObserver) {
    FeedbackStore store = feedback.store();
    List<FeedbackEvent> events = FeedbackEvents.toStore(request.getEventsList(), feedback.clock());
    Span span = startSpan("features.record");
    List<AppendOutcome> outcomes;
    try {
      outcomes = FeedbackEvents.append(store, events);
    } finally {
      span.end();
    }
    RecordEventsResponse.Builder response = RecordEventsResponse.newBuilder();
    long stored = 0;
    for (AppendOutcome outcome : outcomes) {
      response.addOutcomes(FeedbackEvents.outcome(outcome));
      if (outcome == AppendOutcome.STORED) {
        stored++;
      }
    }
    recorded.add(stored, STORED);
    if (stored < outcomes.size()) {
      recorded.add(outcomes.size() - stored, DUPLICATE);
    }
    if (span.isRecording()) {
      span.setAttribute(EVENTS, (long) outcomes.size());
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  /**
   * Checks a pinned version: empty (the newest), or a valid id. A version that is not loaded is
   * {@code NOT_FOUND}, whose description names it: without this check a hostile value (megabytes,
   * line breaks) would be echoed whole to the client and into logs.
   */
  private static void requireBundleVersion(String version) {
    if (!version.isEmpty()) {
      RequestValidation.requireId("bundle_version", version);
    }
  }

  /** The bundle's user features merged with the store's activity; the bundle's alone without a store. */
  private UserFeatures online(UserFeatures bundle, int recentWindow) {
    if (!feedback.enabled()) {
      return bundle;
    }
    UserActivity activity;
    try {
      activity = feedback.store().user(bundle.getUserId());
    } catch (FeedbackStoreException | InvalidFeedbackException | IllegalStateException
        | UnavailableException e) {
      readFailed(e);
      return bundle;
    }
    return OnlineFeatures.merge(bundle, activity, recentWindow);
  }

  /** The store's activity of the items, or {@code null} without a store or when it failed. */
  private List<ItemActivity> itemActivity(List<String> itemIds) {
    if (!feedback.enabled()) {
      return null;
    }
    try {
      return feedback.store().items(itemIds);
    } catch (FeedbackStoreException | InvalidFeedbackException | IllegalStateException
        | UnavailableException e) {
      readFailed(e);
      return null;
    }
  }

  private void readFailed(RuntimeException e) {
    readFailures.add(1);
    long now = System.nanoTime();
    long next = nextReadWarning.get();
    if (now - next >= 0 && nextReadWarning.compareAndSet(next, now + READ_WARNING_INTERVAL_NANOS)) {
      log.warn("feedback store read failed; serving bundle features without online activity: {}", e.toString());
    }
  }

  /**
   * A child of the call's server span, or the invalid span (no work at all) when the server span
   * is not sampled: the hot path stays as it was.
   */
  private Span startSpan(String name) {
    return Span.current().isRecording() ? tracer.spanBuilder(name).startSpan() : Span.getInvalid();
  }

  /** The most item ids one {@code GetItemFeatures} call may ask for. */
  public int maxBatch() {
    return maxBatch;
  }
}
