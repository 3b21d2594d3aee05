package dev.recsuite.trainer.internal;

import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.recall.SourceHit;
import java.util.ArrayList;
import java.util.List;

/** Recall's in-process source hits as the wire messages the ranker reads at serving time. */
final class SourceScores {

  private SourceScores() {}

  static List<SourceScore> of(List<SourceHit> hits) {
    List<SourceScore> scores = new ArrayList<>(hits.size());
    for (SourceHit hit : hits) {
      scores.add(
          SourceScore.newBuilder().setSource(hit.source()).setScore(hit.score()).setRank(hit.rank()).build());
    }
    return scores;
  }
}
