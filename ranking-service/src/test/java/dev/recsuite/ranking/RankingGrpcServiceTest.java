package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    return Stream.of(
        Arguments.of(
            "no candidates", RankRequest.getDefaultInstance(), "candidates: 0 candidates (expected: 1..50)"),
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
