package dev.recsuite.evaluation.internal;

import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.evaluation.Recommendation;
import dev.recsuite.evaluation.Recommender;
import dev.recsuite.evaluation.TestCase;
import dev.recsuite.feature.FeatureStore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.Ranker;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.recall.RecallCandidate;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallQuery;
import dev.recsuite.recall.RecallResult;
import dev.recsuite.recall.SourceHit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The full pipeline in process, composed as the gateway composes the tiers: recall (asking for
 * {@code max(recallCandidates, k, candidates)} like the gateway), the user's and the candidates'
 * features from the feature store, the ranker's scores, then descending score (ties in recall
 * order, as the ranking tier sorts) and the cut to {@code k}. In the sampled protocol the
 * candidates restrict recall ({@code RecallQuery.withCandidateItemIds}), as the gateway's {@code
 * candidate_item_ids} do. Seen items never appear: recall drops them. Same bundle, same code
 * paths, no network: its lists must equal the gateway's.
 */
public final class InProcessPipeline implements Recommender {

  private final RecallEngine engine;
  private final FeatureStore features;
  private final Ranker ranker;
  private final int recallCandidates;

  /**
   * @param recallCandidates the gateway's recall candidate count
   */
  public InProcessPipeline(
      RecallEngine engine,
      FeatureStore features,
      Ranker ranker,
      int recallCandidates) {
    this.engine = engine;
    this.features = features;
    this.ranker = ranker;
    this.recallCandidates = recallCandidates;
  }

  @Override
  public String name() {
    return "pipeline (in-process)";
  }

  @Override
  public String description() {
    return "recall -> features -> ranker -> cut, in this JVM from the same bundle";
  }

  @Override
  public List<Recommendation> recommend(TestCase testCase, int k) {
    // As the gateway asks: max(candidates, k, number of candidate ids), the candidates passed on.
    int max = Math.max(Math.max(recallCandidates, k), testCase.candidateIds().size());
    RecallResult recall =
        engine.recall(
            RecallQuery.forUser(testCase.userId(), max).withCandidateItemIds(testCase.candidateIds()));
    List<RecallCandidate> candidates = recall.candidates();
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>(candidates.size());
    for (RecallCandidate candidate : candidates) {
      ids.add(candidate.itemId());
    }
    UserFeatures user = features.user(testCase.userId());
    List<ItemFeatures> items = features.items(ids);
    List<RankCandidate> batch = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      batch.add(
          RankCandidate.newBuilder()
              .setItemId(ids.get(i))
              .addAllSources(sourceScores(candidates.get(i).sources()))
              .setFeatures(items.get(i))
              .build());
    }
    float[] scores = ranker.score(user, batch);
    int[] order = ScoreOrder.descending(scores);
    List<Recommendation> list = new ArrayList<>(Math.min(k, order.length));
    Set<String> returned = new HashSet<>();
    for (int position : order) {
      if (list.size() == k) {
        break;
      }
      if (returned.add(ids.get(position))) {
        list.add(new Recommendation(ids.get(position), scores[position]));
      }
    }
    return list;
  }

  /** Recall's hits as the wire messages the ranker reads, as the recall tier sends them. */
  static List<SourceScore> sourceScores(List<SourceHit> hits) {
    List<SourceScore> scores = new ArrayList<>(hits.size());
    for (SourceHit hit : hits) {
      scores.add(
          SourceScore.newBuilder().setSource(hit.source()).setScore(hit.score()).setRank(hit.rank()).build());
    }
    return scores;
  }
}
