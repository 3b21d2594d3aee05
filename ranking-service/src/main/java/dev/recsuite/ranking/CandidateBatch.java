package dev.recsuite.ranking;

/**
 * The {@link RankingFeatures} of one request's candidates, whatever form they came in: what the
 * rankers score, so that each ranker has one scoring loop for every form ({@link RequestFeatures}
 * for {@code RankCandidate} messages, {@link ColumnFeatures} for {@code CandidateColumns}). Not
 * thread-safe: one per request.
 */
interface CandidateBatch {

  /** Number of candidates. */
  int size();

  /**
   * Writes the features of candidate {@code candidate} ({@code 0 .. size())}) into {@code out[0 ..
   * RankingFeatures.SIZE)}.
   */
  void extract(int candidate, float[] out);
}
