package dev.recsuite.evaluation.internal;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.core.data.IdIndex;
import dev.recsuite.evaluation.Recommendation;
import dev.recsuite.evaluation.Recommender;
import dev.recsuite.evaluation.TestCase;
import dev.recsuite.recall.RecallCandidate;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallQuery;
import dev.recsuite.recall.SourceHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Content-only baseline: the recall engine's CONTENT source alone (BM25 over title, genres and tags,
 * queried with the user's recent items), through an engine whose other quotas are 0 and whose
 * content quota covers the catalogue (at most {@code RecallSettings.MAX_QUOTA}). Full ranking takes
 * the source's first {@code k}; the sampled protocol orders the candidates by their place in the
 * source's list, the ones BM25 did not match last in candidate order.
 */
public final class ContentOnly implements Recommender {

  private final RecallEngine engine;
  private final UserItemMatrix matrix;
  private final IdIndex items;

  /**
   * @param engine an engine with only the CONTENT source on; it stays owned by the caller
   */
  public ContentOnly(RecallEngine engine, UserItemMatrix matrix, IdIndex items) {
    this.engine = engine;
    this.matrix = matrix;
    this.items = items;
  }

  @Override
  public String name() {
    return "content-only";
  }

  @Override
  public String description() {
    return "BM25 content source of the recall engine alone (" + engine.settings().contentQuota() + " candidates)";
  }

  @Override
  public List<Recommendation> recommend(TestCase testCase, int k) {
    int limit = testCase.sampled() ? engine.settings().contentQuota() : k;
    List<RecallCandidate> list = engine.recall(RecallQuery.forUser(testCase.userId(), limit)).candidates();
    if (!testCase.sampled()) {
      List<Recommendation> top = new ArrayList<>(list.size());
      for (RecallCandidate candidate : list) {
        top.add(new Recommendation(candidate.itemId(), bm25(candidate)));
      }
      return top;
    }
    int[] position = new int[matrix.itemCount()];
    Arrays.fill(position, Integer.MAX_VALUE);
    float[] scores = new float[matrix.itemCount()];
    for (int p = 0; p < list.size(); p++) {
      position[list.get(p).item()] = p;
      scores[list.get(p).item()] = bm25(list.get(p));
    }
    int[] candidates = Rankings.knownUnseen(testCase.candidateIds(), matrix, testCase.user(), items);
    Integer[] order = new Integer[candidates.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Stable: candidates BM25 did not match keep their (shuffled) candidate order, after the rest.
    Arrays.sort(order, (a, b) -> Integer.compare(position[candidates[a]], position[candidates[b]]));
    List<Recommendation> ranked = new ArrayList<>(Math.min(k, order.length));
    for (int i = 0; i < order.length && ranked.size() < k; i++) {
      int item = candidates[order[i]];
      ranked.add(new Recommendation(items.id(item), scores[item]));
    }
    return ranked;
  }

  private static float bm25(RecallCandidate candidate) {
    for (SourceHit hit : candidate.sources()) {
      if (hit.source() == RecallSource.RECALL_SOURCE_CONTENT) {
        return hit.score();
      }
    }
    return 0;
  }
}
