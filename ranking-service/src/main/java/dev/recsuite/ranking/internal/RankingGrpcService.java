package dev.recsuite.ranking.internal;

import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.RequestValidation;
import dev.recsuite.grpc.UnavailableException;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.ranking.ServingModel;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.ranking.v1.ScoredItem;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;

/**
 * {@code dev.recsuite.ranking.v1.RankingService}: validates a {@link RankRequest}, scores every
 * candidate with the current model and returns them all by descending score (ties in request
 * order). Invalid requests throw {@link InvalidArgumentException}, which the server's interceptor
 * turns into {@code INVALID_ARGUMENT} naming the field.
 *
 * <p>A request leases one bundle version's model (the pinned one, or the newest) from {@link
 * ServedBundles}, so a model swap never mixes two models (or reports the wrong version) within one
 * answer.
 */
public final class RankingGrpcService extends RankingServiceGrpc.RankingServiceImplBase {

  private final ServedBundles<ServingModel> models;
  private final int maxBatch;

  /**
   * @param models the models of the loaded bundle versions
   * @param maxBatch the most candidates one request may carry, {@code > 0}
   * @throws IllegalArgumentException if {@code maxBatch <= 0}
   */
  public RankingGrpcService(ServedBundles<ServingModel> models, int maxBatch) {
    this.models = Objects.requireNonNull(models, "models");
    if (maxBatch <= 0) {
      throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: > 0)");
    }
    this.maxBatch = maxBatch;
  }

  @Override
  public void rank(RankRequest request, StreamObserver<RankResponse> responseObserver) {
    validate(request);
    List<RankCandidate> candidates = request.getCandidatesList();
    float[] scores;
    String version;
    try (ServedBundles.Lease<ServingModel> lease = models.acquire(request.getBundleVersion())) {
      // A request without `user` reads as the default instance: an unknown user, as the features say.
      scores = lease.model().ranker().score(request.getUser(), candidates);
      version = lease.version();
    } catch (IllegalStateException e) {
      // Only while the process stops: the client should retry on another replica.
      throw new UnavailableException("ranking-service is stopping", e);
    }
    int[] order = ScoreOrder.descending(scores);
    RankResponse.Builder response =
        RankResponse.newBuilder().setModelVersion(version).setNewestBundleVersion(models.newestVersion());
    for (int position : order) {
      response.addItems(
          ScoredItem.newBuilder()
              .setItemId(candidates.get(position).getItemId())
              .setScore(scores[position]));
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  private void validate(RankRequest request) {
    int count = request.getCandidatesCount();
    if (count < 1 || count > maxBatch) {
      throw new InvalidArgumentException(
          "candidates", count + " candidates (expected: 1.." + maxBatch + ")");
    }
    for (int i = 0; i < count; i++) {
      String itemId = request.getCandidates(i).getItemId();
      try {
        RequestValidation.requireId("item_id", itemId);
      } catch (InvalidArgumentException e) {
        // The indexed field name is built only on failure: no string per valid candidate.
        throw new InvalidArgumentException("candidates[" + i + "].item_id", e.problem());
      }
    }
  }

  @Override
  public String toString() {
    return "RankingGrpcService[maxBatch=" + maxBatch + ", versions=" + models.versions() + "]";
  }
}
