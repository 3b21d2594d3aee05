package dev.recsuite.gateway.internal;

import com.google.common.util.concurrent.ListenableFuture;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.ScoredItem;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's fan-out for one validated request: recall and user features in parallel, then item
 * features for the candidates, then ranking; then the final filter and cut. Runs on the calling
 * (virtual) thread, which blocks only while waiting for downstream answers.
 *
 * <p>Every call of one request is pinned to the same bundle version ({@link VersionPins}), so an
 * answer never mixes models of different versions while tiers swap bundles.
 *
 * <p>Fallbacks, each flagged in the answer: user or item features failing → the feature service's
 * documented defaults ({@code known = false}); ranking failing → recall order. Recall failing fails
 * the request, since there is nothing to rank.
 */
public final class RecommendationPipeline {

  private static final Logger log = LoggerFactory.getLogger(RecommendationPipeline.class);

  private final Downstreams downstreams;
  private final int recallCandidates;
  private final VersionPins pins;

  /**
   * @param recallCandidates how many candidates to ask recall for
   * @param pins the bundle version requests are pinned to, updated from the tiers' answers
   */
  public RecommendationPipeline(Downstreams downstreams, int recallCandidates, VersionPins pins) {
    this.downstreams = downstreams;
    this.recallCandidates = recallCandidates;
    this.pins = pins;
  }

  /**
   * Produces the answer to {@code request}.
   *
   * @param deadline applied to every downstream call (the current context's deadline applies too)
   * @throws StatusRuntimeException UNAVAILABLE or DEADLINE_EXCEEDED (with the recall tier's
   *     status) when recall fails
   */
  public RecommendResponse recommend(RecommendRequest request, String requestId, Deadline deadline) {
    String pin = pins.current();
    ListenableFuture<RecallResponse> recallCall =
        downstreams
            .recall()
            .withDeadline(deadline)
            .recall(
                RecallRequest.newBuilder()
                    .setUserId(request.getUserId())
                    .setMaxCandidates(
                        Math.max(Math.max(recallCandidates, request.getK()), request.getCandidateItemIdsCount()))
                    .setQuery(request.getQuery())
                    .addAllExcludeItemIds(request.getExcludeItemIdsList())
                    .setFilter(request.getFilter())
                    .addAllCandidateItemIds(request.getCandidateItemIdsList())
                    .setBundleVersion(pin)
                    .build());
    ListenableFuture<GetUserFeaturesResponse> userCall =
        downstreams
            .features()
            .withDeadline(deadline)
            .getUserFeatures(
                GetUserFeaturesRequest.newBuilder().setUserId(request.getUserId()).setBundleVersion(pin).build());

    Set<DegradedReason> degraded = EnumSet.noneOf(DegradedReason.class);
    RecallResponse recall = awaitRecall(recallCall);
    pins.recallLoaded(recall.getNewestBundleVersion());
    List<Candidate> candidates = recall.getCandidatesList();
    RecommendResponse.Builder response = RecommendResponse.newBuilder().setRequestId(requestId);
    if (candidates.isEmpty()) {
      userCall.cancel(true);
      return response.setModelVersion(recall.getBundleVersion()).build();
    }

    List<String> candidateIds = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      candidateIds.add(candidate.getItemId());
    }
    ListenableFuture<GetItemFeaturesResponse> itemCall =
        downstreams
            .features()
            .withDeadline(deadline)
            .getItemFeatures(
                GetItemFeaturesRequest.newBuilder().addAllItemIds(candidateIds).setBundleVersion(pin).build());

    UserFeatures user = awaitUser(userCall, request.getUserId(), degraded);
    List<ItemFeatures> items = awaitItems(itemCall, candidateIds, degraded);

    RankRequest.Builder rank = RankRequest.newBuilder().setUser(user).setBundleVersion(pin);
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      rank.addCandidates(
          RankCandidate.newBuilder()
              .setItemId(candidate.getItemId())
              .addAllSources(candidate.getSourcesList())
              .setFeatures(items.get(i)));
    }
    List<ScoredItem> ranked;
    String modelVersion;
    try {
      RankResponse ranking = downstreams.ranking().withDeadline(deadline).rank(rank.build()).get();
      ranked = ranking.getItemsList();
      modelVersion = ranking.getModelVersion();
      pins.rankingLoaded(ranking.getNewestBundleVersion());
    } catch (ExecutionException | InterruptedException e) {
      interruptIfNeeded(e);
      log.warn("ranking failed, answering in recall order: {}", Status.fromThrowable(e));
      degraded.add(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
      ranked = recallOrder(candidates);
      modelVersion = recall.getBundleVersion();
    }

    Map<String, Integer> positions = HashMap.newHashMap(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      positions.putIfAbsent(candidates.get(i).getItemId(), i);
    }
    Set<String> excluded = new HashSet<>(request.getExcludeItemIdsList());
    Set<String> returned = new HashSet<>();
    for (ScoredItem scored : ranked) {
      if (response.getItemsCount() == request.getK()) {
        break;
      }
      Integer position = positions.get(scored.getItemId());
      // Ranking may only reorder what recall proposed; anything else is dropped, as are exclusions.
      if (position == null || excluded.contains(scored.getItemId()) || !returned.add(scored.getItemId())) {
        continue;
      }
      response.addItems(toItem(scored, candidates.get(position).getSourcesList(), items.get(position)));
    }
    return response
        .setModelVersion(modelVersion)
        .setDegraded(!degraded.isEmpty())
        .addAllDegradedReasons(degraded)
        .build();
  }

  private static RecommendedItem toItem(ScoredItem scored, List<SourceScore> sources, ItemFeatures features) {
    return RecommendedItem.newBuilder()
        .setItemId(scored.getItemId())
        .setScore(scored.getScore())
        .addAllSources(sources)
        .setTitle(features.getTitle())
        .addAllGenres(features.getGenresList())
        .build();
  }

  private static RecallResponse awaitRecall(ListenableFuture<RecallResponse> call) {
    try {
      return call.get();
    } catch (ExecutionException | InterruptedException e) {
      interruptIfNeeded(e);
      Status status = Status.fromThrowable(e);
      Status.Code code =
          status.getCode() == Status.Code.DEADLINE_EXCEEDED || status.getCode() == Status.Code.CANCELLED
              ? status.getCode()
              : Status.Code.UNAVAILABLE;
      throw Status.fromCode(code)
          .withDescription("recall tier failed: " + status.getCode() + " " + nullToEmpty(status.getDescription()))
          .asRuntimeException();
    }
  }

  private UserFeatures awaitUser(
      ListenableFuture<GetUserFeaturesResponse> call, String userId, Set<DegradedReason> degraded) {
    try {
      GetUserFeaturesResponse response = call.get();
      pins.featuresLoaded(response.getNewestBundleVersion());
      return response.getFeatures();
    } catch (ExecutionException | InterruptedException e) {
      interruptIfNeeded(e);
      log.warn("user features failed, using defaults: {}", Status.fromThrowable(e));
      degraded.add(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE);
      return UserFeatures.newBuilder().setUserId(userId).build();
    }
  }

  private List<ItemFeatures> awaitItems(
      ListenableFuture<GetItemFeaturesResponse> call, List<String> ids, Set<DegradedReason> degraded) {
    try {
      GetItemFeaturesResponse response = call.get();
      pins.featuresLoaded(response.getNewestBundleVersion());
      List<ItemFeatures> features = response.getFeaturesList();
      if (features.size() == ids.size()) {
        return features;
      }
      log.warn("item features answered {} rows for {} ids, using defaults", features.size(), ids.size());
    } catch (ExecutionException | InterruptedException e) {
      interruptIfNeeded(e);
      log.warn("item features failed, using defaults: {}", Status.fromThrowable(e));
    }
    degraded.add(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE);
    List<ItemFeatures> defaults = new ArrayList<>(ids.size());
    for (String id : ids) {
      defaults.add(ItemFeatures.newBuilder().setItemId(id).build());
    }
    return defaults;
  }

  /** Recall's merge order as scores: the first candidate scores 1, the next 1/2, and so on. */
  private static List<ScoredItem> recallOrder(List<Candidate> candidates) {
    List<ScoredItem> ordered = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      ordered.add(
          ScoredItem.newBuilder().setItemId(candidates.get(i).getItemId()).setScore(1f / (1 + i)).build());
    }
    return ordered;
  }

  private static void interruptIfNeeded(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
