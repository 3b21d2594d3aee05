package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Candidates sent in columns ({@link ColumnFeatures}, {@link Ranker#score(UserFeatures,
 * CandidateColumns, StaticItemFeatures)}) against the same candidates sent as messages without
 * features ({@link RequestFeatures}): equal bit for bit, hostile values, repeated sources and
 * candidates, unknown sources and candidates without sources included.
 */
class ColumnFeaturesTest {

  private static final long SEED = 20261201L;

  @Test
  void extract_randomColumns_equalsTheSameCandidatesSentAsMessagesBitForBit() {
    Random random = new Random(SEED);
    float[] expected = new float[RankingFeatures.SIZE];
    float[] actual = new float[RankingFeatures.SIZE];
    for (int round = 0; round < 50; round++) {
      StaticItemFeatures items = RequestFeaturesTest.randomItems(random, 40);
      for (int u = 0; u < 10; u++) {
        UserFeatures user = RequestFeaturesTest.randomUser(random);
        CandidateColumns columns = randomColumns(random, items.size(), 1 + random.nextInt(30));
        List<RankCandidate> messages = asCandidates(columns, items);

        ColumnFeatures fromColumns = new ColumnFeatures(user, columns, items);

        RequestFeatures fromMessages = new RequestFeatures(user, messages, items);
        assertThat(fromColumns.size()).isEqualTo(messages.size());
        for (int c = 0; c < messages.size(); c++) {
          fromColumns.extract(c, actual);
          fromMessages.extract(c, expected);
          assertThat(RequestFeaturesTest.bits(actual))
              .as("round %d, candidate %d of %s", round, c, columns)
              .containsExactly(RequestFeaturesTest.bits(expected));
        }
      }
    }
  }

  @Test
  void score_randomColumns_bothRankersScoreAsTheSameCandidatesSentAsMessagesBitForBit() {
    Random random = new Random(SEED);
    StaticItemFeatures items = RequestFeaturesTest.randomItems(random, 40);
    for (Ranker ranker : rankers(random)) {
      for (int request = 0; request < 20; request++) {
        UserFeatures user = RequestFeaturesTest.randomUser(random);
        CandidateColumns columns = randomColumns(random, items.size(), 1 + random.nextInt(200));

        float[] fromColumns = ranker.score(user, columns, items);

        float[] fromMessages = ranker.score(user, asCandidates(columns, items), items);
        assertThat(RequestFeaturesTest.bits(fromColumns))
            .as("%s, request %d", ranker, request)
            .containsExactly(RequestFeaturesTest.bits(fromMessages));
      }
    }
  }

  @Test
  void score_sourceInTwoColumnsOrCandidateTwiceInOne_firstEntryWins() {
    Random random = new Random(SEED);
    StaticItemFeatures items = RequestFeaturesTest.randomItems(random, 5);
    UserFeatures user = RequestFeaturesTest.randomUser(random);
    SourceColumn first = column(RecallSource.RECALL_SOURCE_CONTENT, new int[] {0, 1}, new float[] {1f, 2f}, new int[] {0, 3});
    SourceColumn second = column(RecallSource.RECALL_SOURCE_CONTENT, new int[] {0}, new float[] {-7f}, new int[] {40});
    SourceColumn repeated =
        column(RecallSource.RECALL_SOURCE_CONTENT, new int[] {0, 1, 0}, new float[] {1f, 2f, -7f}, new int[] {0, 3, 40});
    CandidateColumns.Builder base = CandidateColumns.newBuilder().addItems(2).addItems(4);
    for (Ranker ranker : rankers(random)) {
      float[] firstOnly = ranker.score(user, base.clone().addSources(first).build(), items);
      float[] secondOnly = ranker.score(user, base.clone().addSources(second).build(), items);

      float[] twoColumns = ranker.score(user, base.clone().addSources(first).addSources(second).build(), items);
      float[] twiceInOne = ranker.score(user, base.clone().addSources(repeated).build(), items);

      assertThat(twoColumns).as("%s", ranker).containsExactly(firstOnly);
      assertThat(twiceInOne).as("%s", ranker).containsExactly(firstOnly);
      // The second entry would have made a difference: the test can fail.
      assertThat(secondOnly[0]).as("%s", ranker).isNotEqualTo(firstOnly[0]);
    }
  }

  @Test
  void score_unknownAndUnspecifiedSources_areIgnored() {
    Random random = new Random(SEED);
    StaticItemFeatures items = RequestFeaturesTest.randomItems(random, 5);
    UserFeatures user = RequestFeaturesTest.randomUser(random);
    CandidateColumns without = CandidateColumns.newBuilder().addItems(1).addItems(3).build();
    CandidateColumns with =
        without.toBuilder()
            .addSources(column(RecallSource.RECALL_SOURCE_UNSPECIFIED, new int[] {0, 1}, new float[] {3f, 4f}, new int[] {1, 2}))
            .addSources(column(RecallSource.RECALL_SOURCE_UNSPECIFIED, new int[] {1}, new float[] {5f}, new int[] {0}).toBuilder().setSourceValue(41))
            .build();
    for (Ranker ranker : rankers(random)) {
      assertThat(ranker.score(user, with, items)).as("%s", ranker).containsExactly(ranker.score(user, without, items));
    }
  }

  @Test
  void score_itemOutsideTheCatalogue_failsNamingIt() {
    StaticItemFeatures items = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    CandidateColumns columns = CandidateColumns.newBuilder().addItems(0).addItems(3).build();
    Ranker ranker = LinearRanker.fromModel(LinearRankerTest.handModel());

    assertThatThrownBy(() -> ranker.score(UserFeatures.getDefaultInstance(), columns, items))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("columns.items[1]: 3 (expected: 0..2, a dense id of StaticItemFeatures[3 items])");
  }

  @Test
  void score_candidateIndexOutsideTheItems_failsNamingIt() {
    StaticItemFeatures items = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    CandidateColumns columns =
        CandidateColumns.newBuilder()
            .addItems(0)
            .addItems(1)
            .addSources(column(RecallSource.RECALL_SOURCE_POPULAR, new int[] {1, 2}, new float[] {1f, 1f}, new int[] {0, 1}))
            .build();
    Ranker ranker = LinearRanker.fromModel(LinearRankerTest.handModel());

    assertThatThrownBy(() -> ranker.score(UserFeatures.getDefaultInstance(), columns, items))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("columns.sources[0].candidates[1]: 2 (expected: 0..1, an index into columns.items)");
  }

  @Test
  void score_columnWithFewerScoresThanCandidates_failsNamingIt() {
    StaticItemFeatures items = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    CandidateColumns columns =
        CandidateColumns.newBuilder()
            .addItems(0)
            .addItems(1)
            .addSources(column(RecallSource.RECALL_SOURCE_POPULAR, new int[] {0, 1}, new float[] {1f}, new int[] {0, 1}))
            .build();
    Ranker ranker = FactorizationMachineRanker.fromModel(FactorizationMachineRankerTest.randomModel(new Random(SEED), 4));

    assertThatThrownBy(() -> ranker.score(UserFeatures.getDefaultInstance(), columns, items))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("columns.sources[0]: 2 candidates, 1 scores, 2 ranks (expected: as many of each)");
  }

  /** A logistic and an FM ranker of random weights (source features included). */
  static List<Ranker> rankers(Random random) {
    RankerModel fm = FactorizationMachineRankerTest.randomModel(random, 8);
    return List.of(
        LinearRanker.fromModel(fm.toBuilder().setKind(LinearRanker.KIND).clearFmFactors().clearFmVectors().build()),
        FactorizationMachineRanker.fromModel(fm));
  }

  /**
   * The reference: the same candidates as {@code RankCandidate} messages, each with the external
   * id of its dense item and the column entries that list it as its sources, in {@code
   * RecallSource} number order (a stable sort: the entries of one source keep column order).
   */
  static List<RankCandidate> asCandidates(CandidateColumns columns, StaticItemFeatures items) {
    List<List<SourceScore>> sources = new ArrayList<>();
    for (int i = 0; i < columns.getItemsCount(); i++) {
      sources.add(new ArrayList<>());
    }
    for (SourceColumn column : columns.getSourcesList()) {
      for (int e = 0; e < column.getCandidatesCount(); e++) {
        sources
            .get(column.getCandidates(e))
            .add(
                SourceScore.newBuilder()
                    .setSourceValue(column.getSourceValue())
                    .setScore(column.getScores(e))
                    .setRank(column.getRanks(e))
                    .build());
      }
    }
    List<RankCandidate> candidates = new ArrayList<>();
    for (int i = 0; i < columns.getItemsCount(); i++) {
      List<SourceScore> own = sources.get(i);
      own.sort(Comparator.comparingInt(SourceScore::getSourceValue));
      candidates.add(RankCandidate.newBuilder().setItemId(items.id(columns.getItems(i))).addAllSources(own).build());
    }
    return candidates;
  }

  /**
   * {@code count} random items of a catalogue of {@code catalogueSize} (repeats possible) and 0–7
   * columns: known, unspecified and unknown sources, some twice; each column lists a random share
   * of the candidates with hostile scores and some negative ranks, sometimes a candidate twice.
   */
  static CandidateColumns randomColumns(Random random, int catalogueSize, int count) {
    CandidateColumns.Builder columns = CandidateColumns.newBuilder();
    for (int i = 0; i < count; i++) {
      columns.addItems(random.nextInt(catalogueSize));
    }
    for (int j = 0, n = random.nextInt(8); j < n; j++) {
      SourceColumn.Builder column =
          SourceColumn.newBuilder().setSourceValue(random.nextInt(10) == 0 ? 40 + random.nextInt(3) : random.nextInt(6));
      double share = random.nextDouble();
      for (int c = 0; c < count; c++) {
        int entries = random.nextDouble() < share ? (random.nextInt(10) == 0 ? 2 : 1) : 0;
        for (int e = 0; e < entries; e++) {
          column
              .addCandidates(c)
              .addScores(RequestFeaturesTest.number(random))
              .addRanks(random.nextInt(5) == 0 ? -random.nextInt(3) : random.nextInt(300));
        }
      }
      columns.addSources(column);
    }
    return columns.build();
  }

  static SourceColumn column(RecallSource source, int[] candidates, float[] scores, int[] ranks) {
    SourceColumn.Builder column = SourceColumn.newBuilder().setSource(source);
    for (int candidate : candidates) {
      column.addCandidates(candidate);
    }
    for (float score : scores) {
      column.addScores(score);
    }
    for (int rank : ranks) {
      column.addRanks(rank);
    }
    return column.build();
  }
}
