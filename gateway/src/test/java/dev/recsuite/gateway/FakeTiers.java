package dev.recsuite.gateway;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.ranking.v1.ScoredItem;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fake implementations of the three internal tiers: recall proposes {@code c0..c(n-1)} in that
 * order, features echo ids with titles, ranking scores the candidates in reverse request order.
 * Each can be told to fail with a status, and records what it received.
 */
final class FakeTiers {

  final AtomicReference<Status> recallFailure = new AtomicReference<>();
  final AtomicReference<Status> userFailure = new AtomicReference<>();
  final AtomicReference<Status> itemFailure = new AtomicReference<>();
  final AtomicReference<Status> rankingFailure = new AtomicReference<>();
  final AtomicReference<RecallRequest> lastRecall = new AtomicReference<>();
  final AtomicReference<RankRequest> lastRank = new AtomicReference<>();
  final AtomicReference<GetUserFeaturesRequest> lastUserFeatures = new AtomicReference<>();
  /** The newest bundle version each tier reports ("recall", "features", "ranking"). */
  final Map<String, String> newest = new ConcurrentHashMap<>();
  final AtomicReference<Deadline> recallDeadline = new AtomicReference<>();
  volatile int candidates = 20;
  /** Extra item the fake ranker slips in, which recall never proposed. */
  volatile String rankerIntruder;

  final RecallServiceGrpc.RecallServiceImplBase recall =
      new RecallServiceGrpc.RecallServiceImplBase() {
        @Override
        public void recall(RecallRequest request, StreamObserver<RecallResponse> responses) {
          lastRecall.set(request);
          recallDeadline.set(Context.current().getDeadline());
          if (fail(recallFailure, responses)) {
            return;
          }
          RecallResponse.Builder response =
              RecallResponse.newBuilder()
                  .setBundleVersion("recall-v1")
                  .setNewestBundleVersion(newest.getOrDefault("recall", ""));
          for (int i = 0; i < candidates; i++) {
            response.addCandidates(
                Candidate.newBuilder()
                    .setItemId("c" + i)
                    .addSources(
                        SourceScore.newBuilder()
                            .setSource(RecallSource.RECALL_SOURCE_COLLABORATIVE)
                            .setScore(1f - i / 100f)
                            .setRank(i)));
          }
          responses.onNext(response.build());
          responses.onCompleted();
        }
      };

  final FeatureServiceGrpc.FeatureServiceImplBase features =
      new FeatureServiceGrpc.FeatureServiceImplBase() {
        @Override
        public void getUserFeatures(
            GetUserFeaturesRequest request, StreamObserver<GetUserFeaturesResponse> responses) {
          lastUserFeatures.set(request);
          if (fail(userFailure, responses)) {
            return;
          }
          responses.onNext(
              GetUserFeaturesResponse.newBuilder()
                  .setFeatures(UserFeatures.newBuilder().setUserId(request.getUserId()).setKnown(true))
                  .setNewestBundleVersion(newest.getOrDefault("features", ""))
                  .build());
          responses.onCompleted();
        }

        @Override
        public void getItemFeatures(
            GetItemFeaturesRequest request, StreamObserver<GetItemFeaturesResponse> responses) {
          if (fail(itemFailure, responses)) {
            return;
          }
          GetItemFeaturesResponse.Builder response = GetItemFeaturesResponse.newBuilder();
          for (String id : request.getItemIdsList()) {
            response.addFeatures(
                ItemFeatures.newBuilder().setItemId(id).setKnown(true).setTitle("Title " + id).addGenres("Drama"));
          }
          responses.onNext(response.build());
          responses.onCompleted();
        }
      };

  final RankingServiceGrpc.RankingServiceImplBase ranking =
      new RankingServiceGrpc.RankingServiceImplBase() {
        @Override
        public void rank(RankRequest request, StreamObserver<RankResponse> responses) {
          lastRank.set(request);
          if (fail(rankingFailure, responses)) {
            return;
          }
          List<RankCandidate> candidates = new ArrayList<>(request.getCandidatesList());
          RankResponse.Builder response =
              RankResponse.newBuilder()
                  .setModelVersion("ranking-v1")
                  .setNewestBundleVersion(newest.getOrDefault("ranking", ""));
          if (rankerIntruder != null) {
            response.addItems(ScoredItem.newBuilder().setItemId(rankerIntruder).setScore(100f));
          }
          for (int i = candidates.size() - 1; i >= 0; i--) {
            response.addItems(ScoredItem.newBuilder().setItemId(candidates.get(i).getItemId()).setScore(i));
          }
          responses.onNext(response.build());
          responses.onCompleted();
        }
      };

  private static boolean fail(AtomicReference<Status> failure, StreamObserver<?> responses) {
    Status status = failure.get();
    if (status == null) {
      return false;
    }
    responses.onError(status.asRuntimeException());
    return true;
  }
}
