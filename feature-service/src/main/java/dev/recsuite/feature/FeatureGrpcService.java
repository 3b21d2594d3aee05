package dev.recsuite.feature;

import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.RequestValidation;
import dev.recsuite.grpc.bundles.ServedBundles;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;

/**
 * The {@code dev.recsuite.feature.v1.FeatureService} handler: validates requests and answers from
 * the current {@link FeatureStore}. Invalid requests throw {@link InvalidArgumentException}, which
 * the shared server runtime turns into {@code INVALID_ARGUMENT} naming the field; unknown ids are
 * not errors. Never blocks, thread-safe.
 */
public final class FeatureGrpcService extends FeatureServiceGrpc.FeatureServiceImplBase {

  private final ServedBundles<FeatureStore> features;
  private final int maxBatch;

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
    this.features = Objects.requireNonNull(features, "features");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: >= 1)");
    }
    this.maxBatch = maxBatch;
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
    try (ServedBundles.Lease<FeatureStore> lease = features.acquire(request.getBundleVersion())) {
      response =
          GetUserFeaturesResponse.newBuilder()
              .setFeatures(lease.model().user(userId))
              .setBundleVersion(lease.version())
              .setNewestBundleVersion(features.newestVersion())
              .build();
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
    try (ServedBundles.Lease<FeatureStore> lease = features.acquire(request.getBundleVersion())) {
      FeatureStore store = lease.model();
      response.setBundleVersion(lease.version()).setNewestBundleVersion(features.newestVersion());
      for (String itemId : itemIds) {
        // The known messages are shared, prebuilt instances: adding one copies a reference.
        response.addFeatures(store.item(itemId));
      }
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  /** The most item ids one {@code GetItemFeatures} call may ask for. */
  public int maxBatch() {
    return maxBatch;
  }
}
