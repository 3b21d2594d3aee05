package dev.recsuite.feature;

import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.RequestValidation;
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

/**
 * The {@code dev.recsuite.feature.v1.FeatureService} handler: validates requests and answers from
 * the current {@link FeatureStore}. Invalid requests throw {@link InvalidArgumentException}, which
 * the shared server runtime turns into {@code INVALID_ARGUMENT} naming the field; unknown ids are
 * not errors. Never blocks, thread-safe.
 *
 * <p>Telemetry: each lookup is a span ({@code features.user}, {@code features.items}) under the
 * call's server span, with the bundle version, the number of ids and how many were unknown; {@code
 * recsuite.features.lookups} counts ids looked up by {@code kind} (user, item) and {@code known}.
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

  private final ServedBundles<FeatureStore> features;
  private final int maxBatch;
  private final Tracer tracer;
  private final LongCounter lookups;

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
    this.features = Objects.requireNonNull(features, "features");
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
  }

  /**
   * Answers the features of one user, the defaults with {@code known = false} for an unknown one.
   *
   * @throws InvalidArgumentException naming {@code user_id} if it is empty, longer than 128
   *     characters, blank or holds a control character
   * @throws dev.recsuite.grpc.NotFoundException if the pinned bundle version is not loaded
   */
  @Override
  public void getUserFeatures(
      GetUserFeaturesRequest request, StreamObserver<GetUserFeaturesResponse> responseObserver) {
    String userId = RequestValidation.requireId("user_id", request.getUserId());
    GetUserFeaturesResponse response;
    Span span = startSpan("features.user");
    try (ServedBundles.Lease<FeatureStore> lease = features.acquire(request.getBundleVersion())) {
      response =
          GetUserFeaturesResponse.newBuilder()
              .setFeatures(lease.model().user(userId))
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
   *     the maximum, or naming {@code item_ids[i]} if an id is invalid as for {@code user_id}
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
    GetItemFeaturesResponse.Builder response = GetItemFeaturesResponse.newBuilder();
    Span span = startSpan("features.items");
    try (ServedBundles.Lease<FeatureStore> lease = features.acquire(request.getBundleVersion())) {
      FeatureStore store = lease.model();
      response.setBundleVersion(lease.version()).setNewestBundleVersion(features.newestVersion());
      int unknown = 0;
      for (String itemId : itemIds) {
        // The known messages are shared, prebuilt instances: adding one copies a reference.
        ItemFeatures item = store.item(itemId);
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
