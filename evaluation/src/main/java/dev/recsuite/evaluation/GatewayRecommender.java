package dev.recsuite.evaluation;

import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import io.grpc.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The full pipeline as users call it: {@code GatewayService.Recommend} over gRPC. Full ranking asks
 * for {@code k} items; the sampled protocol sends the candidates as {@code candidate_item_ids} with
 * {@code k} = their number. An answer is refused (the harness then reports the method as failed)
 * when it is degraded, comes from another bundle version than the one evaluated, or, in the sampled
 * protocol, holds items that were not candidates (a recall tier that ignores {@code
 * candidate_item_ids}).
 */
public final class GatewayRecommender implements Recommender {

  private final GatewayServiceGrpc.GatewayServiceBlockingStub gateway;
  private final Duration deadline;
  private final String expectedVersion;

  /**
   * @param channel a channel to the gateway; it stays owned by the caller
   * @param deadline the deadline of each call
   * @param expectedVersion the bundle version every answer must come from
   */
  public GatewayRecommender(Channel channel, Duration deadline, String expectedVersion) {
    this.gateway = GatewayServiceGrpc.newBlockingStub(Objects.requireNonNull(channel, "channel"));
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.expectedVersion = Objects.requireNonNull(expectedVersion, "expectedVersion");
  }

  @Override
  public String name() {
    return "pipeline (gRPC)";
  }

  @Override
  public String description() {
    return "GatewayService.Recommend: recall -> features -> ranking over gRPC";
  }

  @Override
  public boolean remote() {
    return true;
  }

  /**
   * @throws io.grpc.StatusRuntimeException if the call fails
   * @throws IllegalStateException if the answer is degraded, from another bundle version, or holds
   *     non-candidates in the sampled protocol
   */
  @Override
  public List<Recommendation> recommend(TestCase testCase, int k) {
    RecommendResponse response =
        gateway
            .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
            .recommend(
                RecommendRequest.newBuilder()
                    .setUserId(testCase.userId())
                    .setK(k)
                    .addAllCandidateItemIds(testCase.candidateIds())
                    .build());
    if (response.getDegraded()) {
      throw new IllegalStateException(
          "the gateway answered user '%s' degraded (%s): a tier failed, so the answer is not the pipeline's"
              .formatted(testCase.userId(), response.getDegradedReasonsList()));
    }
    if (!expectedVersion.equals(response.getModelVersion())) {
      throw new IllegalStateException(
          "the gateway answered from bundle '%s' (expected: '%s', the bundle evaluated in process)"
              .formatted(response.getModelVersion(), expectedVersion));
    }
    Set<String> candidates = new HashSet<>(testCase.candidateIds());
    List<Recommendation> list = new ArrayList<>(response.getItemsCount());
    for (RecommendedItem item : response.getItemsList()) {
      if (testCase.sampled() && !candidates.contains(item.getItemId())) {
        throw new IllegalStateException(
            ("the gateway recommended '%s' to user '%s', which is not among the %d candidate_item_ids:"
                    + " the recall tier ignores candidate_item_ids (it needs the version that supports them)")
                .formatted(item.getItemId(), testCase.userId(), candidates.size()));
      }
      list.add(new Recommendation(item.getItemId(), item.getScore()));
    }
    return list;
  }
}
