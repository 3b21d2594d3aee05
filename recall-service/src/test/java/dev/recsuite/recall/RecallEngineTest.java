package dev.recsuite.recall;

import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_COLLABORATIVE;
import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_CONTENT;
import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_CO_OCCURRENCE;
import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_POPULAR;
import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_QUERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.recsuite.recall.cf.AlsParameters.ConfidenceScaling.LINEAR;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.ItemNeighbours;
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
    return RecallSettings.defaults().withQuotas(collaborative, content, query, popular, 0);
  }

  private static RecallSettings onlyCoOccurrence(int quota) {
    return RecallSettings.defaults().withQuotas(0, 0, 0, 0, quota);
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

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
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
  void recall_unknownUserWithRecentItems_collaborativeSearchesWithTheExactFoldIn() throws IOException {
    RecallEngine engine = engine(fixture, only(10, 0, 0, 0));

    RecallResult result =
        engine.recall(RecallQuery.forUser("newcomer", 100).withRecentItemIds(List.of("m3", "nope", "m5")));

    // The folder of the model's own regularisation (0.1) and alpha (10), as cf.pb records them.
    float[] folded = fixture.folder(LINEAR).foldIn(new int[] {3, 5});
    assertThat(result.knownUser()).isFalse();
    assertThat(sourceList(result, RECALL_SOURCE_COLLABORATIVE))
        .containsExactlyElementsOf(nearest(folded, Set.of("m3", "m5"), 10));
    for (RecallCandidate candidate : result.candidates()) {
      assertThat(candidate.sources().getFirst().score())
          .isCloseTo(Fixture.dot(folded, fixture.itemVector(candidate.item())), within(1e-4f));
    }
  }

  @Test
  void recall_knownUserWithRecentItems_foldsInRecentThenHistoryEvents() throws IOException {
    RecallEngine engine = engine(fixture, only(10, 0, 0, 0));

    RecallResult result = engine.recall(RecallQuery.forUser("u1", 100).withRecentItemIds(List.of("m30")));

    List<Integer> events = new ArrayList<>(List.of(30));
    events.addAll(fixture.recentEvents(1));
    assertThat(events).hasSizeLessThanOrEqualTo(RecallSettings.DEFAULT_FOLD_IN_ITEMS);
    float[] folded = fixture.folder(LINEAR).foldIn(ints(events));
    Set<String> blocked = new HashSet<>(fixture.seen("u1"));
    blocked.add("m30");
    assertThat(sourceList(result, RECALL_SOURCE_COLLABORATIVE))
        .containsExactlyElementsOf(nearest(folded, blocked, 10));
  }

  @Test
  void recall_foldInItems_boundsTheFoldedInEventsMostRecentFirst() throws IOException {
    RecallEngine engine = engine(fixture, only(10, 0, 0, 0).withFoldInItems(3));

    RecallResult result = engine.recall(RecallQuery.forUser("u2", 100).withRecentItemIds(List.of("m31", "m33")));

    float[] folded =
        fixture.folder(LINEAR).foldIn(new int[] {31, 33, fixture.recentEvents(2).getFirst()});
    Set<String> blocked = new HashSet<>(fixture.seen("u2"));
    blocked.addAll(List.of("m31", "m33"));
    assertThat(sourceList(result, RECALL_SOURCE_COLLABORATIVE))
        .containsExactlyElementsOf(nearest(folded, blocked, 10));
  }

  @Test
  void recall_modelWithoutUserVectors_foldsInTheTrainingHistoryOfKnownUsers() throws IOException {
    Path index = fixture.writeIndex(dir.resolve("no-users"));
    var itemsOnly = fixture.factors.toBuilder().clearUserFactors().build();

    try (RecallEngine engine =
        RecallEngine.create(fixture.train, itemsOnly, fixture.neighbours, index, "v", only(10, 0, 0, 0))) {
      RecallResult result = engine.recall(RecallQuery.forUser("u4", 100));

      float[] folded = fixture.folder(LINEAR).foldIn(ints(fixture.recentEvents(4)));
      assertThat(sourceList(result, RECALL_SOURCE_COLLABORATIVE))
          .containsExactlyElementsOf(nearest(folded, fixture.seen("u4"), 10));
    }
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
  void recall_randomQueries_neverReturnSeenRecentExcludedOrFilteredItems() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults().withQuotas(15, 10, 10, 10, 10));
    Random random = new Random(20261130L);
    String[] words = {"galaxy", "shadow", "horror", "the", "ghost", "*:(", "garden", ""};
    Map<RecallSource, Integer> proposed = new HashMap<>();

    for (int round = 0; round < 400; round++) {
      String userId = random.nextInt(4) == 0 ? "x" + random.nextInt(5) : "u" + random.nextInt(Fixture.USERS);
      List<String> recent = randomIds(random);
      List<String> excluded = randomIds(random);
      List<String> excludedGenres =
          random.nextInt(3) == 0 ? List.of(Fixture.GENRES[random.nextInt(Fixture.GENRES.length)]) : List.of();
      RecallQuery query =
          RecallQuery.forUser(userId, 1 + random.nextInt(60))
              .withText(words[random.nextInt(words.length)])
              .withRecentItemIds(recent)
              .withExcludedItemIds(excluded)
              .withGenres(List.of(), excludedGenres);

      RecallResult result = engine.recall(query);

      Set<String> forbidden = new HashSet<>(fixture.seen(userId));
      forbidden.addAll(recent);
      forbidden.addAll(excluded);
      for (int item = 0; item < Fixture.ITEMS; item++) {
        for (String genre : excludedGenres) {
          if (fixture.genreKeys("m" + item).contains(genre.toLowerCase(java.util.Locale.ROOT))) {
            forbidden.add("m" + item);
          }
        }
      }
      List<String> returned = ids(result);
      assertThat(returned).as("round %d, %s", round, query).noneMatch(forbidden::contains);
      assertThat(returned).as("round %d", round).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(query.maxCandidates());
      assertThat(result.knownUser()).isEqualTo(userId.startsWith("u"));
      // Every source fills its list from admissible items only, whatever the merge cut keeps.
      for (RecallSource source : RecallSource.values()) {
        if (source != RecallSource.UNRECOGNIZED && source != RecallSource.RECALL_SOURCE_UNSPECIFIED) {
          proposed.merge(source, result.count(source), Integer::sum);
        }
      }
      long unblocked = IntStream.range(0, Fixture.ITEMS).filter(i -> !forbidden.contains("m" + i)).count();
      // POPULAR alone can fill a request only up to the items with interactions; at least one
      // candidate must come whenever something is left to propose.
      if (unblocked > 0 && result.count(RECALL_SOURCE_POPULAR) > 0) {
        assertThat(returned).isNotEmpty();
      }
    }
    // The check covered every source, CO_OCCURRENCE included.
    assertThat(proposed.values()).allSatisfy(count -> assertThat(count).isGreaterThan(100));
  }

  @Test
  void recall_randomQueries_sourceListsHoldOnlyAdmissibleItems() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults().withQuotas(40, 40, 40, 40, 40));
    Random random = new Random(7L);

    for (int round = 0; round < 100; round++) {
      String userId = "u" + random.nextInt(Fixture.USERS);
      List<String> recent = randomIds(random);
      List<String> excluded = randomIds(random);
      RecallQuery query =
          RecallQuery.forUser(userId, 1_000).withText("galaxy ghost").withRecentItemIds(recent).withExcludedItemIds(excluded);

      RecallResult result = engine.recall(query);

      Set<String> forbidden = new HashSet<>(fixture.seen(userId));
      forbidden.addAll(recent);
      forbidden.addAll(excluded);
      for (RecallSource source : List.of(
          RECALL_SOURCE_COLLABORATIVE, RECALL_SOURCE_CONTENT, RECALL_SOURCE_QUERY, RECALL_SOURCE_POPULAR, RECALL_SOURCE_CO_OCCURRENCE)) {
        List<String> list = sourceList(result, source);
        assertThat(list).as("round %d, %s", round, source).noneMatch(forbidden::contains).hasSize(result.count(source));
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
    assertThat(bySource.keySet()).hasSize(5);
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
    RecallResult cut = engine.recall(new RecallQuery("u5", 7, "shadow", List.of(), List.of(), List.of(), List.of(), List.of()));

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

  /** A table for the fixture's 40 items with rows only for the given items. */
  private static ItemNeighbours table(Map<Integer, int[]> neighbours, Map<Integer, float[]> scores) {
    ItemNeighbours.Builder table = ItemNeighbours.newBuilder().setSimilarity("cosine").setMaxNeighbours(3).addOffsets(0);
    int size = 0;
    for (int item = 0; item < Fixture.ITEMS; item++) {
      int[] row = neighbours.getOrDefault(item, new int[0]);
      for (int r = 0; r < row.length; r++) {
        table.addNeighbours(row[r]).addScores(scores.get(item)[r]);
      }
      size += row.length;
      table.addOffsets(size);
    }
    return table.build();
  }

  private static final ItemNeighbours HAND_MADE =
      table(
          Map.of(3, new int[] {7, 9, 11}, 5, new int[] {9, 13, 7}),
          Map.of(3, new float[] {0.9f, 0.5f, 0.2f}, 5, new float[] {0.8f, 0.3f, 0.1f}));

  private RecallEngine engineWith(ItemNeighbours neighbours, RecallSettings settings) throws IOException {
    Path index = fixture.writeIndex(dir.resolve("index-" + engines.size()));
    RecallEngine engine = RecallEngine.create(fixture.train, fixture.factors, neighbours, index, "test-1", settings);
    engines.add(engine);
    return engine;
  }

  @Test
  void recall_coOccurrence_sumsNeighbourSimilaritiesOfRecentItemsWeightedByRecency() throws IOException {
    RecallEngine engine = engineWith(HAND_MADE, onlyCoOccurrence(10));

    RecallResult result = engine.recall(RecallQuery.forUser("newcomer", 100).withRecentItemIds(List.of("m3", "m5")));

    // m3 weighs 1, m5 1/2: m7 0.9 + 0.05, m9 0.5 + 0.4, m11 0.2, m13 0.15.
    assertThat(result.knownUser()).isFalse();
    assertThat(ids(result)).containsExactly("m7", "m9", "m11", "m13");
    assertThat(result.candidates())
        .extracting(c -> c.sources().getFirst().score())
        .satisfiesExactly(
            s -> assertThat(s).isCloseTo(0.95f, within(1e-6f)),
            s -> assertThat(s).isCloseTo(0.9f, within(1e-6f)),
            s -> assertThat(s).isCloseTo(0.2f, within(1e-6f)),
            s -> assertThat(s).isCloseTo(0.15f, within(1e-6f)));
    assertThat(result.candidates())
        .allSatisfy(c -> assertThat(c.sources()).extracting(SourceHit::source).containsExactly(RECALL_SOURCE_CO_OCCURRENCE));
    assertThat(result.count(RECALL_SOURCE_CO_OCCURRENCE)).isEqualTo(4);
  }

  @Test
  void recall_coOccurrence_dropsExcludedAndFilteredItemsBeforeTheQuota() throws IOException {
    RecallEngine engine = engineWith(HAND_MADE, onlyCoOccurrence(2));

    // m9 is excluded and m11 is a Comedy: the quota of 2 goes to m7 and m13.
    RecallResult result =
        engine.recall(
            RecallQuery.forUser("newcomer", 100)
                .withRecentItemIds(List.of("m3", "m5"))
                .withExcludedItemIds(List.of("m9"))
                .withGenres(List.of(), List.of("comedy")));

    assertThat(ids(result)).containsExactly("m7", "m13");
  }

  @Test
  void recall_coOccurrence_quotaCutsTheTopAndSeedsAreBounded() throws IOException {
    RecallEngine engine = engineWith(HAND_MADE, onlyCoOccurrence(2).withCoOccurrenceRecentItems(1));

    RecallResult result = engine.recall(RecallQuery.forUser("newcomer", 100).withRecentItemIds(List.of("m5", "m3")));

    // Only m5 seeds: m9 0.8, m13 0.3 (m7 0.1 is cut by the quota).
    assertThat(ids(result)).containsExactly("m9", "m13");
  }

  @Test
  void recall_coOccurrenceForKnownUsers_matchesBruteForceOverTheirTrainingHistory() throws IOException {
    RecallEngine engine = engine(fixture, onlyCoOccurrence(5));
    int checked = 0;

    for (int user = 0; user < Fixture.USERS; user++) {
      RecallResult result = engine.recall(RecallQuery.forUser("u" + user, 100));

      Map<Integer, Double> sums = new HashMap<>();
      List<Integer> seeds = fixture.recentItems(user);
      for (int position = 0; position < Math.min(20, seeds.size()); position++) {
        int seed = seeds.get(position);
        for (int p = fixture.neighbours.getOffsets(seed); p < fixture.neighbours.getOffsets(seed + 1); p++) {
          sums.merge(fixture.neighbours.getNeighbours(p), fixture.neighbours.getScores(p) / (1.0 + position), Double::sum);
        }
      }
      Set<String> seen = fixture.seen("u" + user);
      List<Map.Entry<Integer, Double>> expected =
          sums.entrySet().stream()
              .filter(e -> !seen.contains("m" + e.getKey()))
              .sorted(
                  Comparator.comparingDouble((Map.Entry<Integer, Double> e) -> -e.getValue())
                      .thenComparingInt(Map.Entry::getKey))
              .limit(5)
              .toList();
      assertThat(result.candidates()).extracting(RecallCandidate::item)
          .as("u%d", user)
          .containsExactlyElementsOf(expected.stream().map(Map.Entry::getKey).toList());
      for (int r = 0; r < expected.size(); r++) {
        assertThat((double) result.candidates().get(r).sources().getFirst().score())
            .isCloseTo(expected.get(r).getValue(), within(1e-5));
      }
      checked += expected.size();
    }
    assertThat(checked).isGreaterThan(30);
  }

  @Test
  void recall_withoutNeighbours_hasNoCoOccurrenceCandidates() throws IOException {
    RecallEngine engine = engineWith(ItemNeighbours.getDefaultInstance(), RecallSettings.defaults());

    RecallResult result = engine.recall(RecallQuery.forUser("u0", 100).withRecentItemIds(List.of("m3")));

    assertThat(result.count(RECALL_SOURCE_CO_OCCURRENCE)).isZero();
    assertThat(result.count(RECALL_SOURCE_COLLABORATIVE)).isPositive();
  }

  @Test
  void create_neighboursOfAnotherCatalogue_failsNamingTheMismatch() throws IOException {
    Path index = fixture.writeIndex(dir.resolve("index"));
    ItemNeighbours shorter = ItemNeighbours.newBuilder().addOffsets(0).addOffsets(1).addNeighbours(1).addScores(1f).build();

    assertThatThrownBy(
            () -> RecallEngine.create(fixture.train, fixture.factors, shorter, index, "v", RecallSettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cooccurrence offsets: 2 values (expected: 41, the items + 1)");
  }

  @Test
  void recall_candidateItemIds_answerOnlyThoseProposedFirstInMergeOrderThenTheOthersInRequestOrder()
      throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults().withQuotas(6, 4, 4, 4, 4));
    RecallQuery normal = RecallQuery.forUser("u3", 1_000).withText("galaxy").withExcludedItemIds(List.of("m39"));
    RecallResult full = engine.recall(normal);
    List<RecallCandidate> merged = full.candidates();
    assertThat(merged).hasSizeGreaterThan(8);
    Set<String> proposed = new HashSet<>(ids(full));
    List<String> unproposed =
        IntStream.range(0, Fixture.ITEMS)
            .mapToObj(i -> "m" + i)
            .filter(id -> !proposed.contains(id) && !fixture.seen("u3").contains(id) && !id.equals("m39"))
            .toList();
    assertThat(unproposed).hasSizeGreaterThanOrEqualTo(2);
    String seen = fixture.seen("u3").iterator().next();
    List<String> requested =
        List.of(
            unproposed.get(1),
            merged.get(7).itemId(),
            "no-such-item",
            merged.get(2).itemId(),
            seen,
            unproposed.get(0),
            "m39",
            merged.get(7).itemId(),
            merged.getLast().itemId());

    RecallResult restricted = engine.recall(normal.withCandidateItemIds(requested));

    assertThat(ids(restricted))
        .containsExactly(
            merged.get(2).itemId(), merged.get(7).itemId(), merged.getLast().itemId(), unproposed.get(1), unproposed.get(0));
    assertThat(restricted.candidates().subList(0, 3))
        .containsExactly(merged.get(2), merged.get(7), merged.getLast());
    assertThat(restricted.candidates().subList(3, 5))
        .allSatisfy(c -> {
          assertThat(c.sources()).isEmpty();
          assertThat(c.fusedScore()).isZero();
        });
    assertThat(restricted.sourceCounts()).isEqualTo(full.sourceCounts());
  }

  @Test
  void recall_candidateItemIds_evidenceDoesNotDependOnMaxCandidatesAndMaxCandidatesCaps() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());
    RecallResult full = engine.recall(RecallQuery.forUser("u6", 1_000));
    RecallCandidate last = full.candidates().getLast();
    RecallCandidate first = full.candidates().getFirst();

    RecallResult one =
        engine.recall(RecallQuery.forUser("u6", 1).withCandidateItemIds(List.of(last.itemId(), first.itemId())));
    RecallResult two =
        engine.recall(RecallQuery.forUser("u6", 2).withCandidateItemIds(List.of(last.itemId(), first.itemId())));

    // A plain request of max 1 would never reach the last item; restricted, it keeps its evidence.
    assertThat(one.candidates()).containsExactly(first);
    assertThat(two.candidates()).containsExactly(first, last);
  }

  @Test
  void recall_candidateItemIds_dropItemsFailingTheGenreFilter() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());

    // m13 and m23 are Horror, m14 Sci-Fi, m10 Action.
    RecallResult result =
        engine.recall(
            RecallQuery.forUser("newcomer", 100)
                .withGenres(List.of("horror"), List.of())
                .withCandidateItemIds(List.of("m14", "m13", "m10", "m23")));

    assertThat(ids(result)).containsExactlyInAnyOrder("m13", "m23");
    assertThat(result.candidates()).allSatisfy(c -> assertThat(fixture.genreKeys(c.itemId())).contains("horror"));
  }

  @Test
  void recall_candidateItemIdsAllUnknownOrSeen_answersNothing() throws IOException {
    RecallEngine engine = engine(fixture, RecallSettings.defaults());
    List<String> seen = new ArrayList<>(fixture.seen("u0"));
    seen.add("nope");

    RecallResult result = engine.recall(RecallQuery.forUser("u0", 100).withCandidateItemIds(seen));

    assertThat(result.candidates()).isEmpty();
    assertThat(result.count(RECALL_SOURCE_POPULAR)).isPositive();
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
    assertThatThrownBy(() -> new RecallSettings(1, 1, 1, 1, 1, 0, 1, 1, 1, 60))
        .hasMessage("contentRecentItems: 0 (expected: 1 to 1000)");
    assertThatThrownBy(() -> new RecallSettings(1, 1, 1, 1, 1, 1, 1, 1, 1, 0))
        .hasMessage("rrfK: 0 (expected: 1 to 10000)");
    assertThatThrownBy(() -> RecallSettings.defaults().withQuotas(1, 1, 1, 1, 10_001))
        .hasMessage("coOccurrenceQuota: 10001 (expected: 0 to 10000)");
    assertThatThrownBy(() -> RecallSettings.defaults().withCoOccurrenceRecentItems(0))
        .hasMessage("coOccurrenceRecentItems: 0 (expected: 1 to 1000)");
    assertThatThrownBy(() -> RecallSettings.defaults().withFoldInItems(0))
        .hasMessage("foldInItems: 0 (expected: 1 to 100000)");
  }

  @Test
  void settings_defaults_areTheDocumentedValues() {
    RecallSettings defaults = RecallSettings.defaults();

    assertThat(defaults.withQuotas(300, 150, 200, 100)).isEqualTo(defaults);
    assertThat(defaults.coOccurrenceQuota()).isEqualTo(200);
    assertThat(defaults.coOccurrenceRecentItems()).isEqualTo(20);
    assertThat(defaults.foldInItems()).isEqualTo(20);
    assertThat(defaults.totalQuota()).isEqualTo(950);
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
