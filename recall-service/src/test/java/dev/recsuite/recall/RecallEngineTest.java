package dev.recsuite.recall;

import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_COLLABORATIVE;
import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_CONTENT;
import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_POPULAR;
import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_QUERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.common.v1.RecallSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecallEngineTest {

  @TempDir Path dir;

  private final Fixture fixture = Fixture.create(7);
  private final List<RecallEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(RecallEngine::close);
  }

  private RecallEngine engine(Fixture data, RecallSettings settings) throws IOException {
    RecallEngine engine = data.engine(dir.resolve("index-" + engines.size()), settings);
    engines.add(engine);
    return engine;
  }

  private static RecallSettings only(int collaborative, int content, int query, int popular) {
    return RecallSettings.defaults().withQuotas(collaborative, content, query, popular);
  }

  /** The items {@code source} proposed, in that source's rank order. */
  private static List<String> sourceList(RecallResult result, RecallSource source) {
    record Ranked(String item, int rank) {}
    List<Ranked> ranked = new ArrayList<>();
    for (RecallCandidate candidate : result.candidates()) {
      for (SourceHit hit : candidate.sources()) {
        if (hit.source() == source) {
          ranked.add(new Ranked(candidate.itemId(), hit.rank()));
        }
      }
    }
    ranked.sort(Comparator.comparingInt(Ranked::rank));
    return ranked.stream().map(Ranked::item).toList();
  }

  private static List<String> ids(RecallResult result) {
    return result.candidates().stream().map(RecallCandidate::itemId).toList();
  }

  /** Brute force: the unblocked items by inner product with {@code vector}, best first. */
  private List<String> nearest(float[] vector, Set<String> blocked, int n) {
    return IntStream.range(0, Fixture.ITEMS)
        .boxed()
        .filter(item -> !blocked.contains("m" + item))
        .sorted(
            Comparator.comparingDouble((Integer item) -> -Fixture.dot(vector, fixture.itemVector(item)))
                .thenComparingInt(item -> item))
        .limit(n)
        .map(item -> "m" + item)
        .toList();
  }

  private static float[] mean(List<float[]> vectors) {
    float[] mean = new float[Fixture.DIMENSION];
    for (float[] vector : vectors) {
      for (int f = 0; f < mean.length; f++) {
        mean[f] += vector[f];
      }
    }
    for (int f = 0; f < mean.length; f++) {
      mean[f] /= vectors.size();
    }
    return mean;
  }

  @Test
  void recall_plantedUserVector_collaborativeReturnsNearestUnseenItemsByInnerProduct() throws IOException {
    float[] planted = fixture.itemVector(7).clone();
    for (int f = 0; f < planted.length; f++) {
      planted[f] *= 3;
    }
    Fixture data = fixture.withUserVector(0, planted);
    RecallEngine engine = engine(data, only(10, 0, 0, 0));

    RecallResult result = engine.recall(RecallQuery.forUser("u0", 100));

    List<String> expected = nearest(planted, data.seen("u0"), 10);
    assertThat(sourceList(result, RECALL_SOURCE_COLLABORATIVE)).containsExactlyElementsOf(expected);
    for (RecallCandidate candidate : result.candidates()) {
      SourceHit hit = candidate.sources().getFirst();
      assertThat(hit.score())
          .isCloseTo(Fixture.dot(planted, fixture.itemVector(candidate.item())), within(1e-4f));
    }
    assertThat(result.count(RECALL_SOURCE_COLLABORATIVE)).isEqualTo(10);
  }

  @Test
  void recall_unknownUserWithRecentItems_collaborativeSearchesWithTheirMeanVector() throws IOException {
    RecallEngine engine = engine(fixture, only(10, 0, 0, 0));

    RecallResult result =
        engine.recall(RecallQuery.forUser("newcomer", 100).withRecentItemIds(List.of("m3", "nope", "m5")));

    float[] mean = mean(List.of(fixture.itemVector(3), fixture.itemVector(5)));
    assertThat(result.knownUser()).isFalse();
    assertThat(sourceList(result, RECALL_SOURCE_COLLABORATIVE))
        .containsExactlyElementsOf(nearest(mean, Set.of("m3", "m5"), 10));
  }

  @Test
  void recall_knownUserWithRecentItems_foldsInRecentThenHistoryItems() throws IOException {
    RecallEngine engine = engine(fixture, only(10, 0, 0, 0));

    RecallResult result = engine.recall(RecallQuery.forUser("u1", 100).withRecentItemIds(List.of("m30")));

    List<float[]> vectors = new ArrayList<>(List.of(fixture.itemVector(30)));
    for (int item : fixture.recentItems(1)) {
      if (item != 30) {
        vectors.add(fixture.itemVector(item));
      }
    }
    Set<String> blocked = new HashSet<>(fixture.seen("u1"));
    blocked.add("m30");
    assertThat(sourceList(result, RECALL_SOURCE_COLLABORATIVE))
        .containsExactlyElementsOf(nearest(mean(vectors.subList(0, Math.min(20, vectors.size()))), blocked, 10));
  }

  @Test
  void recall_unknownUserWithoutRecentItems_hasNoCollaborativeCandidates() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());

    RecallResult result = engine.recall(RecallQuery.forUser("newcomer", 100));

    assertThat(result.count(RECALL_SOURCE_COLLABORATIVE)).isZero();
    assertThat(result.count(RECALL_SOURCE_CONTENT)).isZero();
  }

  @Test
  void recall_recentHorrorItem_contentFavoursItemsSharingGenreAndTag() throws IOException {
    RecallEngine engine = engine(fixture, only(0, 10, 0, 0));

    // m13 "Harbor Garden": Horror, tag ghost. m3, m23 and m33 share both; m18 only the genre;
    // m5 "Harbor Empire" and m8 "Shadow Garden" one title word.
    RecallResult result = engine.recall(RecallQuery.forUser("newcomer", 100).withRecentItemIds(List.of("m13")));

    List<String> content = sourceList(result, RECALL_SOURCE_CONTENT);
    assertThat(content).hasSize(10).doesNotContain("m13");
    assertThat(content.subList(0, 3)).containsExactlyInAnyOrder("m3", "m23", "m33");
    assertThat(content).contains("m18", "m5", "m8");
  }

  @Test
  void recall_knownUserWithoutRecentItems_contentIsSeededByTrainingHistory() throws IOException {
    RecallEngine engine = engine(fixture, only(0, 10, 0, 0));

    RecallResult result = engine.recall(RecallQuery.forUser("u0", 100));

    assertThat(result.knownUser()).isTrue();
    assertThat(result.count(RECALL_SOURCE_CONTENT)).isEqualTo(10);
  }

  @Test
  void recall_titleWordQuery_findsTheItemsWithThatWordIncludingStemmedForms() throws IOException {
    RecallEngine engine = engine(fixture, only(0, 0, 10, 0));

    RecallResult exact = engine.recall(RecallQuery.forUser("newcomer", 100).withText("galaxy"));
    RecallResult plural = engine.recall(RecallQuery.forUser("newcomer", 100).withText("GALAXIES!"));

    // "Galaxy" is the first title word of m2, m10, m18, m26 and m34.
    assertThat(sourceList(exact, RECALL_SOURCE_QUERY)).containsExactlyInAnyOrder("m2", "m10", "m18", "m26", "m34");
    assertThat(sourceList(plural, RECALL_SOURCE_QUERY)).containsExactlyInAnyOrder("m2", "m10", "m18", "m26", "m34");
  }

  @Test
  void recall_genreWordQuery_findsItemsOfThatGenre() throws IOException {
    RecallEngine engine = engine(fixture, only(0, 0, 20, 0));

    RecallResult result = engine.recall(RecallQuery.forUser("newcomer", 100).withText("westerns with a cowboy"));

    assertThat(sourceList(result, RECALL_SOURCE_QUERY))
        .allSatisfy(item -> assertThat(fixture.genreKeys(item)).contains("western"))
        .contains("m8", "m18", "m28", "m38");
  }

  @Test
  void recall_querySyntaxStopWordsOrBlank_returnsNoQueryCandidatesWithoutFailing() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());

    for (String text : List.of("\"*:?([", "the of and", "   ", "", "AND OR NOT", "\\", "~^!{}")) {
      RecallResult result = engine.recall(RecallQuery.forUser("newcomer", 100).withText(text));

      assertThat(result.count(RECALL_SOURCE_QUERY)).as(text).isZero();
      assertThat(result.count(RECALL_SOURCE_POPULAR)).as(text).isPositive();
    }
    RecallResult mixed = engine.recall(RecallQuery.forUser("newcomer", 100).withText("galaxy AND \"*:?(["));
    assertThat(mixed.count(RECALL_SOURCE_QUERY)).isEqualTo(5);
  }

  @Test
  void recall_popularSource_ordersByTrainingInteractionsThenItemId() throws IOException {
    RecallEngine engine = engine(fixture, only(0, 0, 0, 100));

    RecallResult result = engine.recall(RecallQuery.forUser("newcomer", 100));

    List<String> expected =
        IntStream.range(0, Fixture.ITEMS)
            .boxed()
            .filter(item -> fixture.popularity(item) > 0)
            .sorted(Comparator.comparingInt((Integer item) -> -fixture.popularity(item)).thenComparingInt(item -> item))
            .map(item -> "m" + item)
            .toList();
    assertThat(expected).hasSizeGreaterThan(5);
    assertThat(ids(result)).containsExactlyElementsOf(expected);
    for (RecallCandidate candidate : result.candidates()) {
      assertThat(candidate.sources()).singleElement().satisfies(hit -> {
        assertThat(hit.source()).isEqualTo(RECALL_SOURCE_POPULAR);
        assertThat(hit.score()).isEqualTo(fixture.popularity(candidate.item()));
      });
    }
  }

  @Test
  void recall_unknownUser_getsPopularCandidatesOnly() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());

    RecallResult result = engine.recall(RecallQuery.forUser("stranger", 5));

    assertThat(result.knownUser()).isFalse();
    assertThat(result.candidates()).hasSize(5);
    assertThat(result.candidates())
        .allSatisfy(c -> assertThat(c.sources()).extracting(SourceHit::source).containsExactly(RECALL_SOURCE_POPULAR));
    assertThat(result.candidates()).extracting(c -> c.sources().getFirst().rank()).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void recall_randomQueries_neverReturnSeenRecentOrExcludedItems() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults().withQuotas(15, 10, 10, 10));
    Random random = new Random(20261130L);
    String[] words = {"galaxy", "shadow", "horror", "the", "ghost", "*:(", "garden", ""};

    for (int round = 0; round < 400; round++) {
      String userId = random.nextInt(4) == 0 ? "x" + random.nextInt(5) : "u" + random.nextInt(Fixture.USERS);
      List<String> recent = randomIds(random);
      List<String> excluded = randomIds(random);
      RecallQuery query =
          RecallQuery.forUser(userId, 1 + random.nextInt(60))
              .withText(words[random.nextInt(words.length)])
              .withRecentItemIds(recent)
              .withExcludedItemIds(excluded);

      RecallResult result = engine.recall(query);

      Set<String> forbidden = new HashSet<>(fixture.seen(userId));
      forbidden.addAll(recent);
      forbidden.addAll(excluded);
      List<String> returned = ids(result);
      assertThat(returned).as("round %d, %s", round, query).noneMatch(forbidden::contains);
      assertThat(returned).as("round %d", round).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(query.maxCandidates());
      assertThat(result.knownUser()).isEqualTo(userId.startsWith("u"));
      long unblocked = IntStream.range(0, Fixture.ITEMS).filter(i -> !forbidden.contains("m" + i)).count();
      // POPULAR alone can fill a request only up to the items with interactions; at least one
      // candidate must come whenever something is left to propose.
      if (unblocked > 0 && result.count(RECALL_SOURCE_POPULAR) > 0) {
        assertThat(returned).isNotEmpty();
      }
    }
  }

  private static List<String> randomIds(Random random) {
    List<String> ids = new ArrayList<>();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      ids.add(random.nextInt(6) == 0 ? "unknown-" + i : "m" + random.nextInt(Fixture.ITEMS));
    }
    return ids;
  }

  @Test
  void recall_includeAndExcludeGenres_filterEverySourceCaseInsensitively() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());

    RecallResult result =
        engine.recall(
            RecallQuery.forUser("u2", 500)
                .withText("galaxy shadow ghost")
                .withGenres(List.of("HORROR", " sci-fi "), List.of("Western")));

    assertThat(result.candidates()).isNotEmpty();
    for (RecallCandidate candidate : result.candidates()) {
      Set<String> genres = fixture.genreKeys(candidate.itemId());
      assertThat(genres).as(candidate.itemId()).containsAnyOf("horror", "sci-fi").doesNotContain("western");
    }
    assertThat(result.count(RECALL_SOURCE_COLLABORATIVE)).isPositive();
    assertThat(result.count(RECALL_SOURCE_CONTENT)).isPositive();
    assertThat(result.count(RECALL_SOURCE_QUERY)).isPositive();
    assertThat(result.count(RECALL_SOURCE_POPULAR)).isPositive();
  }

  @Test
  void recall_excludeGenresOnly_dropsThoseGenres() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());

    RecallResult result =
        engine.recall(RecallQuery.forUser("u3", 500).withGenres(List.of(), List.of("action", "COMEDY", "no-such-genre")));

    assertThat(result.candidates()).isNotEmpty();
    assertThat(result.candidates())
        .allSatisfy(c -> assertThat(fixture.genreKeys(c.itemId())).doesNotContain("action", "comedy"));
  }

  @Test
  void recall_includeGenreNoItemCarries_returnsNothing() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());

    RecallResult result =
        engine.recall(RecallQuery.forUser("u3", 500).withText("galaxy").withGenres(List.of("Opera"), List.of()));

    assertThat(result.candidates()).isEmpty();
  }

  @Test
  void recall_mergedCandidates_followReciprocalRankFusionWithConsistentSourceRanks() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults().withQuotas(12, 8, 6, 10));

    RecallResult result = engine.recall(RecallQuery.forUser("u4", 1_000).withText("galaxy river"));

    Map<RecallSource, List<SourceHit>> bySource = new HashMap<>();
    double previous = Double.POSITIVE_INFINITY;
    for (RecallCandidate candidate : result.candidates()) {
      double expected = 0;
      for (SourceHit hit : candidate.sources()) {
        expected += 1.0 / (60 + hit.rank() + 1);
        bySource.computeIfAbsent(hit.source(), s -> new ArrayList<>()).add(hit);
      }
      assertThat(candidate.fusedScore()).isCloseTo(expected, within(1e-12));
      assertThat(candidate.fusedScore()).isLessThanOrEqualTo(previous);
      previous = candidate.fusedScore();
      assertThat(candidate.sources()).extracting(SourceHit::source).isSorted();
    }
    assertThat(bySource.keySet()).hasSize(4);
    bySource.forEach(
        (source, hits) -> {
          hits.sort(Comparator.comparingInt(SourceHit::rank));
          assertThat(hits).extracting(SourceHit::rank).containsExactlyElementsOf(IntStream.range(0, hits.size()).boxed().toList());
          assertThat(hits.size()).isEqualTo(result.count(source));
          for (int i = 1; i < hits.size(); i++) {
            assertThat(hits.get(i).score()).as(source + " rank " + i).isLessThanOrEqualTo(hits.get(i - 1).score());
          }
        });
    // An item proposed by two sources at their top ranks beats any single-source item.
    RecallCandidate first = result.candidates().getFirst();
    assertThat(first.sources()).hasSizeGreaterThan(1);
  }

  @Test
  void recall_smallMaxCandidates_returnsThePrefixOfTheFullMerge() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());
    RecallQuery query = RecallQuery.forUser("u5", 1_000).withText("shadow");

    List<String> full = ids(engine.recall(query));
    RecallResult cut = engine.recall(new RecallQuery("u5", 7, "shadow", List.of(), List.of(), List.of(), List.of()));

    assertThat(ids(cut)).containsExactlyElementsOf(full.subList(0, 7));
    assertThat(cut.count(RECALL_SOURCE_POPULAR)).isEqualTo(engine.recall(query).count(RECALL_SOURCE_POPULAR));
  }

  @Test
  void recall_concurrentRequests_answerAsSequentialOnes() throws Exception {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());
    List<RecallQuery> queries = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      queries.add(
          RecallQuery.forUser(i % 3 == 0 ? "new" + i : "u" + (i % Fixture.USERS), 1 + i % 50)
              .withText(i % 2 == 0 ? "galaxy shadow" : "")
              .withRecentItemIds(List.of("m" + (i % Fixture.ITEMS))));
    }
    List<RecallResult> sequential = queries.stream().map(engine::recall).toList();

    List<RecallResult> concurrent;
    try (ExecutorService pool =
        Executors.newFixedThreadPool(4, Thread.ofPlatform().name("recall-test-", 0).factory())) {
      List<Future<RecallResult>> futures = new ArrayList<>();
      for (RecallQuery query : queries) {
        futures.add(pool.submit(() -> engine.recall(query)));
      }
      concurrent = new ArrayList<>();
      for (Future<RecallResult> future : futures) {
        concurrent.add(future.get());
      }
    }

    assertThat(concurrent).containsExactlyElementsOf(sequential);
  }

  @Test
  void recall_closedEngine_failsNamingTheVersion() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());
    engine.close();

    assertThatThrownBy(() -> engine.recall(RecallQuery.forUser("u0", 10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("recall engine test-1 is closed");
  }

  @Test
  void create_indexWithoutVectorsForFactoredModel_failsNamingTheDimensions() throws IOException {
    Path index = dir.resolve("plain");
    ItemIndexBuilder.write(fixture.train, dev.recsuite.bundle.v1.FactorModel.getDefaultInstance(), index);

    assertThatThrownBy(() -> RecallEngine.create(fixture.train, fixture.factors, index, "v", RecallSettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector dimension 0 (expected: 8, the cf factors)");
  }

  @Test
  void create_withoutFactors_servesWithoutCollaborativeSource() throws IOException {
    Path index = dir.resolve("plain");
    var none = dev.recsuite.bundle.v1.FactorModel.getDefaultInstance();
    ItemIndexBuilder.write(fixture.train, none, index);

    try (RecallEngine engine = RecallEngine.create(fixture.train, none, index, "v", RecallSettings.defaults())) {
      RecallResult result = engine.recall(RecallQuery.forUser("u0", 100));

      assertThat(result.count(RECALL_SOURCE_COLLABORATIVE)).isZero();
      assertThat(result.count(RECALL_SOURCE_POPULAR)).isPositive();
    }
  }

  @Test
  void settings_outOfRange_failNamingTheValue() {
    assertThatThrownBy(() -> RecallSettings.defaults().withQuotas(-1, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("collaborativeQuota: -1 (expected: 0 to 10000)");
    assertThatThrownBy(() -> new RecallSettings(1, 1, 1, 1, 0, 1, 1, 60))
        .hasMessage("contentRecentItems: 0 (expected: 1 to 1000)");
    assertThatThrownBy(() -> new RecallSettings(1, 1, 1, 1, 1, 1, 1, 0))
        .hasMessage("rrfK: 0 (expected: 1 to 10000)");
  }

  @Test
  void query_invalidValues_failNamingTheValue() {
    assertThatThrownBy(() -> RecallQuery.forUser("u0", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCandidates: 0 (expected: > 0)");
    assertThatThrownBy(() -> RecallQuery.forUser("u0", 5).withGenres(List.of("drama", " "), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("includeGenres[1]: blank (expected: a genre name)");
  }
}
