package dev.recsuite.gateway.internal;

import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.recall.v1.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The candidates of one request as the gateway holds them between recall and ranking: recall's
 * messages (or a fallback list), or recall's columns, which go to ranking as they came and of which
 * the gateway reads only the few ids and sources its answer shows.
 */
sealed interface CandidateList {

  /** Number of candidates. */
  int size();

  /** How many of the first candidates carry their external id ({@link #id}). */
  int identified();

  /** The external id of candidate {@code i}; {@code i < identified()}. */
  String id(int i);

  /** The sources that proposed candidate {@code i}, in {@code RecallSource} number order. */
  List<SourceScore> sources(int i);

  /** Puts the candidates into {@code rank} (ids and sources, or the columns). */
  void addTo(RankRequest.Builder rank);

  default boolean isEmpty() {
    return size() == 0;
  }

  /** Candidates as messages: every id is known. */
  record Messages(List<Candidate> candidates) implements CandidateList {

    public Messages {
      Objects.requireNonNull(candidates, "candidates");
    }

    @Override
    public int size() {
      return candidates.size();
    }

    @Override
    public int identified() {
      return candidates.size();
    }

    @Override
    public String id(int i) {
      return candidates.get(i).getItemId();
    }

    @Override
    public List<SourceScore> sources(int i) {
      return candidates.get(i).getSourcesList();
    }

    @Override
    public void addTo(RankRequest.Builder rank) {
      for (Candidate candidate : candidates) {
        rank.addCandidates(
            RankCandidate.newBuilder().setItemId(candidate.getItemId()).addAllSources(candidate.getSourcesList()));
      }
    }
  }

  /**
   * Candidates in columns (dense item ids of one bundle version): only the first {@code
   * item_ids} are known by id; the ranking tier reads the rest against its catalogue.
   */
  record Columns(CandidateColumns columns) implements CandidateList {

    public Columns {
      Objects.requireNonNull(columns, "columns");
    }

    @Override
    public int size() {
      return columns.getItemsCount();
    }

    @Override
    public int identified() {
      return Math.min(columns.getItemIdsCount(), columns.getItemsCount());
    }

    @Override
    public String id(int i) {
      return columns.getItemIds(i);
    }

    /** A scan of every column: called only for the few candidates an answer shows. */
    @Override
    public List<SourceScore> sources(int i) {
      List<SourceScore> sources = new ArrayList<>(2);
      for (SourceColumn column : columns.getSourcesList()) {
        for (int n = 0, count = column.getCandidatesCount(); n < count; n++) {
          if (column.getCandidates(n) == i) {
            sources.add(
                SourceScore.newBuilder()
                    .setSource(column.getSource())
                    .setScore(column.getScores(n))
                    .setRank(column.getRanks(n))
                    .build());
            break;
          }
        }
      }
      return sources;
    }

    @Override
    public void addTo(RankRequest.Builder rank) {
      rank.setColumns(columns);
    }
  }
}
