package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.feature.v1.ItemFeatures;
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
            "control character in item id",
            RankRequest.newBuilder().addCandidates(candidate("a\u0000b", 0.5f)).build(),
            "candidates[0].item_id: \"a\\u0000b\" contains a control character at index 1"));
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
