package dev.recsuite.evaluation.internal;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.evaluation.RecallOutcome;
import dev.recsuite.evaluation.RecallProbe;
import dev.recsuite.evaluation.TestCase;
import dev.recsuite.recall.RecallCandidate;
import dev.recsuite.recall.RecallEngine;
import dev.recsuite.recall.RecallQuery;
import dev.recsuite.recall.SourceHit;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The recall stage in process: the bundle's {@link RecallEngine}, asked as the recall tier is. */
public final class EngineRecallProbe implements RecallProbe {

  private final RecallEngine engine;
  private final int maxCandidates;

  public EngineRecallProbe(RecallEngine engine, int maxCandidates) {
    this.engine = engine;
    this.maxCandidates = maxCandidates;
  }

  @Override
  public String name() {
    return "recall engine in process";
  }

  @Override
  public RecallOutcome probe(TestCase testCase) {
    List<RecallCandidate> candidates =
        engine.recall(RecallQuery.forUser(testCase.userId(), maxCandidates)).candidates();
    int position = -1;
    Set<RecallSource> sources = EnumSet.noneOf(RecallSource.class);
    Map<RecallSource, Integer> sizes = new EnumMap<>(RecallSource.class);
    for (int i = 0; i < candidates.size(); i++) {
      boolean held = candidates.get(i).itemId().equals(testCase.itemId());
      if (held) {
        position = i;
      }
      for (SourceHit hit : candidates.get(i).sources()) {
        sizes.merge(hit.source(), 1, Integer::sum);
        if (held) {
          sources.add(hit.source());
        }
      }
    }
    return new RecallOutcome(position, sources, sizes);
  }
}
