package dev.recsuite.feature;

import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.RequestValidation;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code dev.recsuite.feature.v1.FeatureService} handler: validates requests and answers from
 * the current {@link FeatureStore}. Invalid requests throw {@link InvalidArgumentException}, which
 * the shared server runtime turns into {@code INVALID_ARGUMENT} naming the field; unknown ids are
 * not errors. Never blocks, thread-safe.
 */
public final class FeatureGrpcService extends FeatureServiceGrpc.FeatureServiceImplBase {

  private final Supplier<FeatureStore> features;
  private final int maxBatch;

  /**
   * Creates the handler.
   *
   * @param features the store to answer from, read once per call so that a call sees one bundle
   *     version even if the store is swapped meanwhile
   * @param maxBatch the most item ids one {@code GetItemFeatures} call may ask for
   * @throws IllegalArgumentException if {@code maxBatch < 1}
   * @throws NullPointerException if {@code features} is null
   */
  public FeatureGrpcService(Supplier<FeatureStore> features, int maxBatch) {
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
   */
  @Override
  public void getUserFeatures(
      GetUserFeaturesRequest request, StreamObserver<GetUserFeaturesResponse> responseObserver) {
    String userId = RequestValidation.requireId("user_id", request.getUserId());
    FeatureStore store = features.get();
    responseObserver.onNext(
        GetUserFeaturesResponse.newBuilder()
            .setFeatures(store.user(userId))
            .setBundleVersion(store.version())
            .build());
    responseObserver.onCompleted();
  }

  /**
   * Answers the features of a batch of items in request order, the defaults with {@code known =
   * false} for unknown ones.
   *
   * @throws InvalidArgumentException naming {@code item_ids} if the batch is empty or larger than
   *     the maximum, or naming {@code item_ids[i]} if an id is invalid as for {@code user_id}
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
    FeatureStore store = features.get();
    GetItemFeaturesResponse.Builder response =
        GetItemFeaturesResponse.newBuilder().setBundleVersion(store.version());
    for (String itemId : itemIds) {
      // The known messages are shared, prebuilt instances: adding one copies a reference.
      response.addFeatures(store.item(itemId));
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  /** The most item ids one {@code GetItemFeatures} call may ask for. */
  public int maxBatch() {
    return maxBatch;
  }
}
