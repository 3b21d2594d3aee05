package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.OnlineActivity;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.bundles.ServedBundles;
import java.time.Clock;
import java.time.Duration;
import dev.recsuite.ranking.internal.RankingGrpcService;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.ranking.v1.ScoredItem;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gRPC handler behind the real server runtime (exception mapping included), in process. */
@Timeout(60)
class RankingGrpcServiceTest {

  private static final int MAX_BATCH = 50;
  private static final String VERSION = "20261130-100000-test";
  /** A newer version with item features, published by the tests that need it. */
  private static final String ITEMS_VERSION = "29991231-000000-items";

  private final ServedBundles<ServingModel> model = served(new ServingModel(VERSION, LinearRanker.fromModel(LinearRankerTest.handModel())));

  private static ServedBundles<ServingModel> served(ServingModel serving) {
    ServedBundles<ServingModel> served = new ServedBundles<>("ranking-service", Clock.systemUTC(), Duration.ofMinutes(5));
    served.publish(serving.version(), serving);
    return served;
  }
  private final String serverName = InProcessServerBuilder.generateName();
  private GrpcServer server;
  private ManagedChannel channel;
  private RankingServiceGrpc.RankingServiceBlockingStub stub;

  @BeforeEach
  void startServer() throws IOException {
    server =
        GrpcServer.builder("ranking-service", InProcessServerBuilder.forName(serverName))
            .addService(new RankingGrpcService(model, MAX_BATCH))
            .build();
    server.start();
    channel = InProcessChannelBuilder.forName(serverName).build();
    stub = RankingServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownGracefully();
  }

  @Test
  void rank_returnsCandidatesByDescendingScoreWithTheBundleVersion() {
    RankRequest request =
        RankRequest.newBuilder()
            .addCandidates(candidate("a", 0.25f))
            .addCandidates(candidate("b", 0.75f))
            .addCandidates(candidate("c", 0.5f))
            .build();

    RankResponse response = stub.rank(request);

    assertThat(response.getModelVersion()).isEqualTo(VERSION);
    assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("b", "c", "a");
    // handModel: −1 + 2 · (popularity − 0.5) / 0.25 for a known item without sources
    assertThat(response.getItemsList()).extracting(ScoredItem::getScore).containsExactly(1f, -1f, -3f);
  }

  @Test
  void rank_equalScores_keepRequestOrder() {
    RankRequest request =
        RankRequest.newBuilder()
            .addCandidates(candidate("tie-1", 0.5f))
            .addCandidates(candidate("top", 0.9f))
            .addCandidates(candidate("tie-2", 0.5f))
            .addCandidates(candidate("tie-3", 0.5f))
            .addCandidates(candidate("bottom", 0.1f))
            .build();

    RankResponse response = stub.rank(request);

    assertThat(response.getItemsList())
        .extracting(ScoredItem::getItemId)
        .containsExactly("top", "tie-1", "tie-2", "tie-3", "bottom");
  }

  @Test
  void rank_randomBatch_returnsEveryCandidateOnceWithItsOwnScore() {
    Random random = new Random(99);
    UserFeatures user = UserFeatures.newBuilder().setKnown(true).setMeanRating(3.5f).build();
    RankRequest.Builder request = RankRequest.newBuilder().setUser(user);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < MAX_BATCH; i++) {
      // Few distinct popularities and a duplicate id: ties and repeats must all come back.
      String id = i == 7 ? "item-3" : "item-" + i;
      ids.add(id);
      request.addCandidates(
          candidate(id, random.nextInt(4) / 4f).toBuilder()
              .addSources(RankingFeaturesTest.source(RecallSource.RECALL_SOURCE_COLLABORATIVE, 1f, random.nextInt(3))));
    }

    RankResponse response = stub.rank(request.build());

    List<ScoredItem> items = response.getItemsList();
    assertThat(items).extracting(ScoredItem::getItemId).containsExactlyInAnyOrderElementsOf(ids);
    float[] expected = newest().ranker().score(user, request.getCandidatesList());
    for (int k = 1; k < items.size(); k++) {
      assertThat(items.get(k).getScore()).isLessThanOrEqualTo(items.get(k - 1).getScore());
    }
    List<Float> expectedSorted = new ArrayList<>();
    for (float score : expected) {
      expectedSorted.add(score);
    }
    expectedSorted.sort((x, y) -> Float.compare(y, x));
    assertThat(items).extracting(ScoredItem::getScore).containsExactlyElementsOf(expectedSorted);
  }

  @Test
  void rank_withoutUser_scoresLikeAnUnknownUser() {
    RankCandidate candidate = candidate("a", 0.75f);

    float score = stub.rank(RankRequest.newBuilder().addCandidates(candidate).build()).getItems(0).getScore();

    float[] expected =
        newest().ranker().score(UserFeatures.newBuilder().setKnown(false).build(), List.of(candidate));
    assertThat(score).isEqualTo(expected[0]);
  }

  @Test
  void rank_candidateWithoutFeatures_scoresLikeAnUnknownItem() {
    RankRequest request = RankRequest.newBuilder().addCandidates(RankCandidate.newBuilder().setItemId("bare")).build();

    RankResponse response = stub.rank(request);

    // handModel, all features 0: −1 + 2 · (0 − 0.5) / 0.25 − 1 · (0 − 1) = −4
    assertThat(response.getItems(0).getScore()).isEqualTo(-4f);
  }

  @Test
  void rank_afterModelSwap_usesTheNewModelUnlessPinnedToThePrevious() {
    RankRequest request = RankRequest.newBuilder().addCandidates(candidate("a", 0.5f)).build();
    float before = stub.rank(request).getItems(0).getScore();

    model.publish(
        "29991201-000000-next",
        new ServingModel(
            "29991201-000000-next",
            LinearRanker.fromModel(LinearRankerTest.handModel().toBuilder().setBias(2f).build())));
    RankResponse after = stub.rank(request);
    RankResponse pinned = stub.rank(request.toBuilder().setBundleVersion(VERSION).build());

    assertThat(after.getModelVersion()).isEqualTo("29991201-000000-next");
    assertThat(after.getItems(0).getScore()).isEqualTo(before + 3f);
    assertThat(pinned.getModelVersion()).isEqualTo(VERSION);
    assertThat(pinned.getItems(0).getScore()).isEqualTo(before);
    assertThat(pinned.getNewestBundleVersion()).isEqualTo("29991201-000000-next");
  }

  static Stream<Arguments> rankers() {
    return Stream.of(
        Arguments.of("logistic", LinearRanker.fromModel(LinearRankerTest.handModel())),
        Arguments.of("fm", FactorizationMachineRanker.fromModel(FactorizationMachineRankerTest.randomModel(new Random(11), 4))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rankers")
  void rank_candidatesWithoutFeatures_scoreExactlyAsWithTheBundlesFeatures(String kind, Ranker ranker) {
    StaticItemFeatures table = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    model.publish(ITEMS_VERSION, new ServingModel(ITEMS_VERSION, ranker, table));
    UserFeatures user =
        UserFeatures.newBuilder()
            .setKnown(true)
            .setInteractionCount(40)
            .setMeanRating(3.2f)
            .setMeanItemYear(1990f)
            .putGenreAffinity("Comedy", 0.4f)
            .putGenreAffinity("Action", 0.1f)
            .build();
    RankRequest.Builder bare = RankRequest.newBuilder().setUser(user).setBundleVersion(ITEMS_VERSION);
    RankRequest.Builder carried = bare.clone();
    int rank = 0;
    for (String id : List.of("m1", "m2", "m3", "not-in-bundle")) {
      RankCandidate candidate =
          RankCandidate.newBuilder()
              .setItemId(id)
              .addSources(RankingFeaturesTest.source(RecallSource.RECALL_SOURCE_CONTENT, 0.5f + rank, rank++))
              .build();
      bare.addCandidates(candidate);
      // What the gateway used to send: the feature service's answer for the same bundle version.
      ItemFeatures served = table.knows(id) ? table.item(id) : table.item(id).toBuilder().setItemId(id).build();
      carried.addCandidates(candidate.toBuilder().setFeatures(served));
    }

    RankResponse fromBundle = stub.rank(bare.build());
    RankResponse given = stub.rank(carried.build());

    assertThat(fromBundle.getModelVersion()).isEqualTo(ITEMS_VERSION);
    assertThat(fromBundle.getItemsList()).extracting(ScoredItem::getItemId)
        .containsExactlyElementsOf(given.getItemsList().stream().map(ScoredItem::getItemId).toList());
    assertThat(fromBundle.getItemsList()).extracting(ScoredItem::getScore)
        .containsExactlyElementsOf(given.getItemsList().stream().map(ScoredItem::getScore).toList());
    // And the bundle's features do make a difference: a known item does not score as an unknown one.
    float[] unknown = ranker.score(user, bare.getCandidatesList());
    float[] known = ranker.score(user, bare.getCandidatesList(), table);
    assertThat(known[0]).isNotEqualTo(unknown[0]);
  }

  @Test
  void rank_describeTop_titlesAndGenresOnTheFirstItemsOnly() {
    StaticItemFeatures table = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    model.publish(ITEMS_VERSION, new ServingModel(ITEMS_VERSION, LinearRanker.fromModel(LinearRankerTest.handModel()), table));
    // handModel ranks by popularity: m1 (0.9), m2 (0.6), m3 (0).
    RankRequest request =
        RankRequest.newBuilder()
            .setBundleVersion(ITEMS_VERSION)
            .addCandidates(RankCandidate.newBuilder().setItemId("m3"))
            .addCandidates(RankCandidate.newBuilder().setItemId("m1"))
            .addCandidates(RankCandidate.newBuilder().setItemId("m2"))
            .setDescribeTop(2)
            .build();

    RankResponse response = stub.rank(request);

    assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("m1", "m2", "m3");
    assertThat(response.getItemsList()).extracting(ScoredItem::getTitle).containsExactly("Toy Story (1995)", "Heat (1995)", "");
    assertThat(response.getItems(0).getGenresList()).containsExactly("Animation", "Comedy");
    assertThat(response.getItems(1).getGenresList()).containsExactly("Action");
    assertThat(response.getItems(2).getGenresList()).isEmpty();
  }

  @Test
  void rank_describeTopBeyondTheCandidates_describesEveryKnownItemAndNoUnknownOne() {
    StaticItemFeatures table = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    model.publish(ITEMS_VERSION, new ServingModel(ITEMS_VERSION, LinearRanker.fromModel(LinearRankerTest.handModel()), table));
    RankRequest request =
        RankRequest.newBuilder()
            .setBundleVersion(ITEMS_VERSION)
            .addCandidates(RankCandidate.newBuilder().setItemId("m2"))
            .addCandidates(RankCandidate.newBuilder().setItemId("unknown-item"))
            .setDescribeTop(10)
            .build();

    RankResponse response = stub.rank(request);

    assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("m2", "unknown-item");
    assertThat(response.getItemsList()).extracting(ScoredItem::getTitle).containsExactly("Heat (1995)", "");
    assertThat(response.getItems(1).getGenresList()).isEmpty();
  }

  @Test
  void rank_maxItems_answersTheBestOnesWithTheirCandidateIndex() {
    RankRequest request =
        RankRequest.newBuilder()
            .addCandidates(candidate("a", 0.25f))
            .addCandidates(candidate("b", 0.75f))
            .addCandidates(candidate("c", 0.5f))
            .addCandidates(candidate("d", 0.1f))
            .setMaxItems(2)
            .setDescribeTop(5)
            .build();

    RankResponse response = stub.rank(request);

    assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("b", "c");
    assertThat(response.getItemsList()).extracting(ScoredItem::getScore).containsExactly(1f, -1f);
    assertThat(response.getItemsList()).extracting(ScoredItem::getCandidateIndex).containsExactly(1, 2);
  }

  @Test
  void rank_fewMaxItemsOfManyCandidates_answersThePrefixOfTheFullAnswer() {
    Random random = new Random(5);
    RankRequest.Builder request = RankRequest.newBuilder();
    for (int i = 0; i < MAX_BATCH; i++) {
      // Quarter steps: many equal scores, answered in request order.
      request.addCandidates(candidate("item-" + i, random.nextInt(5) / 4f));
    }
    RankResponse full = stub.rank(request.build());

    RankResponse best = stub.rank(request.setMaxItems(3).build());

    assertThat(full.getItemsList()).hasSize(MAX_BATCH);
    assertThat(best.getItemsList()).containsExactlyElementsOf(full.getItemsList().subList(0, 3));
  }

  @Test
  void rank_maxItemsBeyondTheCandidates_answersEveryCandidate() {
    RankRequest request =
        RankRequest.newBuilder().addCandidates(candidate("a", 0.25f)).addCandidates(candidate("b", 0.75f)).setMaxItems(10).build();

    RankResponse response = stub.rank(request);

    assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("b", "a");
    assertThat(response.getItemsList()).extracting(ScoredItem::getCandidateIndex).containsExactly(1, 0);
  }

  @Test
  void rank_withoutDescribeTop_describesNothing() {
    StaticItemFeatures table = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    model.publish(ITEMS_VERSION, new ServingModel(ITEMS_VERSION, LinearRanker.fromModel(LinearRankerTest.handModel()), table));

    RankResponse response =
        stub.rank(RankRequest.newBuilder().setBundleVersion(ITEMS_VERSION).addCandidates(RankCandidate.newBuilder().setItemId("m1")).build());

    assertThat(response.getItems(0).getTitle()).isEmpty();
    assertThat(response.getItems(0).getGenresList()).isEmpty();
  }

  // Candidates in columns: dense item ids of the pinned version's catalogue (m1 = 0, m2 = 1, m3 = 2).

  @Test
  void rank_columns_answersCatalogueIdsByDescendingScoreWithIndexesIntoTheItems() {
    publishTestBundleItems();
    // handModel ranks by popularity: m1 (0.9), m2 (0.6), m3 (0).
    RankRequest request =
        RankRequest.newBuilder()
            .setBundleVersion(ITEMS_VERSION)
            .setColumns(
                CandidateColumns.newBuilder()
                    .addItems(2)
                    .addItems(0)
                    .addItems(1)
                    .addSources(ColumnFeaturesTest.column(RecallSource.RECALL_SOURCE_COLLABORATIVE, new int[] {1, 0}, new float[] {9f, 1f}, new int[] {1, 0}))
                    // Ignored by ranking: only what a caller needs when ranking fails.
                    .addItemIds("m3"))
            .setDescribeTop(2)
            .build();

    RankResponse response = stub.rank(request);

    assertThat(response.getModelVersion()).isEqualTo(ITEMS_VERSION);
    assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("m1", "m2", "m3");
    assertThat(response.getItemsList()).extracting(ScoredItem::getCandidateIndex).containsExactly(1, 2, 0);
    assertThat(response.getItemsList()).extracting(ScoredItem::getTitle).containsExactly("Toy Story (1995)", "Heat (1995)", "");
    assertThat(response.getItems(0).getGenresList()).containsExactly("Animation", "Comedy");
    assertThat(response.getItems(1).getGenresList()).containsExactly("Action");
    assertThat(response.getItems(2).getGenresList()).isEmpty();
    // handModel for m3 (known, popularity 0), collaborative rank 0: −1 + 2 · (0 − 0.5) / 0.25 + 0.5 · 1/(1 + 0)
    assertThat(response.getItems(2).getScore()).isEqualTo(-4.5f);
  }

  @Test
  void rank_columnsWithMaxItems_answersTheBestOnes() {
    publishTestBundleItems();
    RankRequest request =
        RankRequest.newBuilder()
            .setBundleVersion(ITEMS_VERSION)
            .setColumns(CandidateColumns.newBuilder().addItems(2).addItems(1).addItems(0).addItems(1))
            .setMaxItems(2)
            .setDescribeTop(1)
            .build();

    RankResponse response = stub.rank(request);

    assertThat(response.getItemsList()).extracting(ScoredItem::getItemId).containsExactly("m1", "m2");
    assertThat(response.getItemsList()).extracting(ScoredItem::getCandidateIndex).containsExactly(2, 1);
    assertThat(response.getItemsList()).extracting(ScoredItem::getTitle).containsExactly("Toy Story (1995)", "");
  }

  static Stream<Arguments> rankerModels() {
    RankerModel fm = FactorizationMachineRankerTest.randomModel(new Random(11), 4);
    return Stream.of(
        Arguments.of("logistic", fm.toBuilder().setKind(LinearRanker.KIND).clearFmFactors().clearFmVectors().build()),
        Arguments.of("fm", fm));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rankerModels")
  void rank_columnsOfARealBundle_scoreBitForBitAsTheSameCandidatesSentAsMessages(
      String kind, RankerModel rankerModel, @TempDir Path bundles) throws IOException {
    TestBundles.write(bundles, ITEMS_VERSION, rankerModel);
    ServingModel loaded = ServingModel.load(new BundleRepository(bundles).openLatest());
    model.publish(ITEMS_VERSION, loaded);
    UserFeatures user =
        UserFeatures.newBuilder()
            .setUserId("u1")
            .setKnown(true)
            .setInteractionCount(40)
            .setMeanRating(3.2f)
            .setMeanItemYear(1990f)
            .putGenreAffinity("Comedy", 0.4f)
            .putGenreAffinity("Action", 0.1f)
            .build();
    // m1 with several sources (CONTENT twice: the first column wins), m2 with one (and an
    // unspecified one, ignored), m3 with none, m1 again with one.
    CandidateColumns columns =
        CandidateColumns.newBuilder()
            .addItems(0)
            .addItems(1)
            .addItems(2)
            .addItems(0)
            .addSources(ColumnFeaturesTest.column(RecallSource.RECALL_SOURCE_POPULAR, new int[] {3, 0}, new float[] {0.9f, 0.4f}, new int[] {2, 7}))
            .addSources(ColumnFeaturesTest.column(RecallSource.RECALL_SOURCE_CONTENT, new int[] {0}, new float[] {2.5f}, new int[] {1}))
            .addSources(ColumnFeaturesTest.column(RecallSource.RECALL_SOURCE_COLLABORATIVE, new int[] {0, 1}, new float[] {0.8f, 0.3f}, new int[] {0, 5}))
            .addSources(ColumnFeaturesTest.column(RecallSource.RECALL_SOURCE_UNSPECIFIED, new int[] {1}, new float[] {7f}, new int[] {0}))
            .addSources(ColumnFeaturesTest.column(RecallSource.RECALL_SOURCE_CONTENT, new int[] {0}, new float[] {-3f}, new int[] {40}))
            .build();
    List<RankCandidate> messages = ColumnFeaturesTest.asCandidates(columns, loaded.items());
    RankRequest.Builder request = RankRequest.newBuilder().setUser(user).setBundleVersion(ITEMS_VERSION).setDescribeTop(4);

    RankResponse fromColumns = stub.rank(request.clone().setColumns(columns).build());

    RankResponse fromMessages = stub.rank(request.clone().addAllCandidates(messages).build());
    assertThat(messages).extracting(RankCandidate::getItemId).containsExactly("m1", "m2", "m3", "m1");
    assertThat(messages).extracting(RankCandidate::getSourcesCount).containsExactly(4, 2, 0, 1);
    assertThat(fromColumns.getItemsList()).hasSize(4).containsExactlyElementsOf(fromMessages.getItemsList());
    assertThat(scoreBitsByCandidate(fromColumns)).containsExactly(scoreBitsByCandidate(fromMessages));
    // The sources do count: the same item with other sources scores otherwise.
    int[] bits = scoreBitsByCandidate(fromColumns);
    assertThat(bits[0]).isNotEqualTo(bits[3]);
  }

  @Test
  void rank_columnsWithItemsOutsideTheCatalogue_failNamingTheItemTheRangeAndTheVersion() {
    publishTestBundleItems();
    RankRequest.Builder request = RankRequest.newBuilder().setBundleVersion(ITEMS_VERSION);

    assertThatThrownBy(() -> stub.rank(request.clone().setColumns(CandidateColumns.newBuilder().addItems(0).addItems(3)).build()))
        .satisfies(invalidArgument("columns.items[1]: 3 (expected: 0..2, a position in the catalogue of bundle version " + ITEMS_VERSION + ")"));
    assertThatThrownBy(() -> stub.rank(request.clone().setColumns(CandidateColumns.newBuilder().addItems(-1)).build()))
        .satisfies(invalidArgument("columns.items[0]: -1 (expected: 0..2, a position in the catalogue of bundle version " + ITEMS_VERSION + ")"));
  }

  @Test
  void rank_columnsPinnedToAVersionWithoutItems_failNamingTheVersion() {
    RankRequest request =
        RankRequest.newBuilder().setBundleVersion(VERSION).setColumns(CandidateColumns.newBuilder().addItems(0)).build();

    assertThatThrownBy(() -> stub.rank(request))
        .satisfies(invalidArgument("columns.items[0]: 0 (expected: a dense item id, but bundle version " + VERSION + " has no catalogue items)"));
  }

  @Test
  void rank_columnsPinnedToAVersionNotLoaded_failsWithNotFound() {
    RankRequest request =
        RankRequest.newBuilder().setBundleVersion("29990101-000000-gone").setColumns(CandidateColumns.newBuilder().addItems(0)).build();

    assertThatThrownBy(() -> stub.rank(request))
        .asInstanceOf(type(StatusRuntimeException.class))
        .satisfies(e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  private void publishTestBundleItems() {
    StaticItemFeatures table = StaticItemFeatures.of(TestBundles.catalog(), TestBundles.tables());
    model.publish(ITEMS_VERSION, new ServingModel(ITEMS_VERSION, LinearRanker.fromModel(LinearRankerTest.handModel()), table));
  }

  /** Each answered item's score bits, by candidate index. */
  private static int[] scoreBitsByCandidate(RankResponse response) {
    int[] bits = new int[response.getItemsCount()];
    for (ScoredItem item : response.getItemsList()) {
      bits[item.getCandidateIndex()] = Float.floatToRawIntBits(item.getScore());
    }
    return bits;
  }

  private static java.util.function.Consumer<Throwable> invalidArgument(String description) {
    return thrown -> {
      assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
      Status status = ((StatusRuntimeException) thrown).getStatus();
      assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).isEqualTo(description);
    };
  }

  private ServingModel newest() {
    try (ServedBundles.Lease<ServingModel> lease = model.acquire("")) {
      return lease.model();
    }
  }

  static Stream<Arguments> invalidRequests() {
    RankCandidate valid = candidate("ok", 0.5f);
    RankRequest.Builder tooMany = RankRequest.newBuilder();
    for (int i = 0; i <= MAX_BATCH; i++) {
      tooMany.addCandidates(candidate("item-" + i, 0.5f));
    }
    CandidateColumns oneItem = CandidateColumns.newBuilder().addItems(0).build();
    CandidateColumns.Builder tooManyItems = CandidateColumns.newBuilder();
    for (int i = 0; i <= MAX_BATCH; i++) {
      tooManyItems.addItems(i);
    }
    CandidateColumns.Builder tooManyColumns = CandidateColumns.newBuilder().addItems(0);
    for (int j = 0; j <= 16; j++) {
      tooManyColumns.addSources(SourceColumn.newBuilder().setSource(RecallSource.RECALL_SOURCE_POPULAR));
    }
    RankRequest.Builder columns = RankRequest.newBuilder().setBundleVersion(ITEMS_VERSION);
    CandidateColumns threeItems = CandidateColumns.newBuilder().addItems(0).addItems(1).addItems(2).build();
    SourceColumn popular =
        ColumnFeaturesTest.column(RecallSource.RECALL_SOURCE_POPULAR, new int[] {0, 2}, new float[] {1f, 0.5f}, new int[] {0, 1});
    return Stream.of(
        Arguments.of(
            "no candidates",
            RankRequest.getDefaultInstance(),
            "candidates: 0 candidates and no columns.items (expected: 1..50)"),
        Arguments.of(
            "candidates and columns",
            RankRequest.newBuilder().setBundleVersion(ITEMS_VERSION).addCandidates(valid).setColumns(oneItem).build(),
            "columns: set with candidates (expected: one of the two)"),
        Arguments.of(
            "candidates and columns of sources only",
            RankRequest.newBuilder().addCandidates(valid)
                .setColumns(CandidateColumns.newBuilder().addSources(popular)).build(),
            "columns: set with candidates (expected: one of the two)"),
        Arguments.of(
            "columns without bundle_version",
            RankRequest.newBuilder().setColumns(oneItem).build(),
            "bundle_version: required with columns (dense item ids are read against that version's catalogue)"),
        Arguments.of(
            "columns of sources without items",
            columns.clone().setColumns(CandidateColumns.newBuilder().addSources(SourceColumn.newBuilder().setSource(RecallSource.RECALL_SOURCE_POPULAR))).build(),
            "columns.items: 0 items (expected: 1..50)"),
        Arguments.of(
            "columns over max-batch",
            columns.clone().setColumns(tooManyItems).build(),
            "columns.items: 51 items (expected: 1..50)"),
        Arguments.of(
            "17 columns",
            columns.clone().setColumns(tooManyColumns).build(),
            "columns.sources: 17 columns (expected: at most 16)"),
        Arguments.of(
            "fewer scores than candidates in a column",
            columns.clone().setColumns(threeItems.toBuilder().addSources(popular).addSources(popular.toBuilder().clearScores().addScores(1f))).build(),
            "columns.sources[1].scores: 1 values (expected: 2, one per candidate of the column)"),
        Arguments.of(
            "more ranks than candidates in a column",
            columns.clone().setColumns(threeItems.toBuilder().addSources(popular.toBuilder().addRanks(4))).build(),
            "columns.sources[0].ranks: 3 values (expected: 2, one per candidate of the column)"),
        Arguments.of(
            "column candidate beyond the items",
            columns.clone().setColumns(threeItems.toBuilder().addSources(popular.toBuilder().setCandidates(1, 3))).build(),
            "columns.sources[0].candidates[1]: 3 (expected: 0..2, an index into columns.items)"),
        Arguments.of(
            "negative column candidate",
            columns.clone().setColumns(threeItems.toBuilder().addSources(popular.toBuilder().setCandidates(0, -1))).build(),
            "columns.sources[0].candidates[0]: -1 (expected: 0..2, an index into columns.items)"),
        Arguments.of(
            "negative rank in a column",
            columns.clone().setColumns(threeItems.toBuilder().addSources(popular).addSources(popular.toBuilder().setRanks(1, -2))).build(),
            "columns.sources[1].ranks[1]: -2 (expected: >= 0)"),
        Arguments.of(
            "over max-batch", tooMany.build(), "candidates: 51 candidates (expected: 1..50)"),
        Arguments.of(
            "empty item id",
            RankRequest.newBuilder().addCandidates(valid).addCandidates(valid).addCandidates(candidate("", 0.5f)).build(),
            "candidates[2].item_id: must not be empty"),
        Arguments.of(
            "blank item id",
            RankRequest.newBuilder().addCandidates(candidate("   ", 0.5f)).build(),
            "candidates[0].item_id: \"   \" must not be blank"),
        Arguments.of(
            "item id of 129 characters",
            RankRequest.newBuilder().addCandidates(valid).addCandidates(candidate("x".repeat(129), 0.5f)).build(),
            "candidates[1].item_id: "),
        Arguments.of(
            "negative describe_top",
            RankRequest.newBuilder().addCandidates(valid).setDescribeTop(-1).build(),
            "describe_top: -1 (expected: >= 0)"),
        Arguments.of(
            "negative max_items",
            RankRequest.newBuilder().addCandidates(valid).setMaxItems(-3).build(),
            "max_items: -3 (expected: >= 0)"),
        Arguments.of(
            "control character in item id",
            RankRequest.newBuilder().addCandidates(candidate("a\u0000b", 0.5f)).build(),
            "candidates[0].item_id: \"a\\u0000b\" contains a control character at index 1"),
        Arguments.of(
            "bundle version of 200,000 characters",
            RankRequest.newBuilder().addCandidates(valid).setBundleVersion("v".repeat(200_000)).build(),
            "bundle_version: "),
        Arguments.of(
            "negative interaction count",
            RankRequest.newBuilder().addCandidates(valid)
                .setUser(UserFeatures.newBuilder().setUserId("u1").setInteractionCount(-1)).build(),
            "user.interaction_count: -1 (expected: >= 0)"),
        Arguments.of(
            "control character in a recent item id",
            RankRequest.newBuilder().addCandidates(valid)
                .setUser(UserFeatures.newBuilder().addRecentItemIds("i1").addRecentItemIds("i\n2")).build(),
            "user.recent_item_ids[1]: "),
        Arguments.of(
            "1,001 disliked items",
            RankRequest.newBuilder().addCandidates(valid)
                .setUser(UserFeatures.newBuilder().addAllDislikedItemIds(java.util.Collections.nCopies(1_001, "i1"))).build(),
            "user.disliked_item_ids: 1001 values (expected: at most 1000)"),
        Arguments.of(
            "negative online count",
            RankRequest.newBuilder().addCandidates(valid)
                .setUser(UserFeatures.newBuilder().setOnline(OnlineActivity.newBuilder().putCounts("click", -2))).build(),
            "user.online.counts[\"click\"]: -2 (expected: >= 0)"),
        Arguments.of(
            "negative source rank",
            RankRequest.newBuilder().addCandidates(valid.toBuilder()
                .addSources(SourceScore.newBuilder().setSource(RecallSource.RECALL_SOURCE_POPULAR).setRank(-1))).build(),
            "candidates[0].sources[0].rank: -1 (expected: >= 0)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void rank_invalidRequest_failsWithInvalidArgumentNamingTheField(
      String situation, RankRequest request, String descriptionStart) {
    assertThatThrownBy(() -> stub.rank(request))
        .asInstanceOf(type(StatusRuntimeException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith(descriptionStart);
            });
  }

  private static RankCandidate candidate(String id, float popularity) {
    return RankCandidate.newBuilder()
        .setItemId(id)
        .setFeatures(ItemFeatures.newBuilder().setItemId(id).setKnown(true).setPopularity(popularity))
        .build();
  }
}
