package dev.recsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.feature.v1.OnlineActivity;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.testing.InProcessGrpcExtension;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Candidates in columns between recall and ranking: when the gateway asks for them, what it
 * forwards, and the answers it builds from them, against fake tiers over the in-process transport.
 */
@Timeout(60)
class GatewayColumnsTest {

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  private final FakeTiers tiers = new FakeTiers();

  @BeforeEach
  void everyTierServesOneVersion() {
    tiers.answersColumns = true;
    tiers.newest.put("recall", "v1");
    tiers.newest.put("features", "v1");
    tiers.newest.put("ranking", "v1");
  }

  /** A gateway that has seen every tier's version once, so that requests are pinned. */
  private TestGateway startPinned(String... args) throws Exception {
    TestGateway gateway = TestGateway.start(grpc, tiers, args);
    gateway.stub.recommend(request(3));
    assertThat(tiers.lastRecall.get().getColumnar()).as("the first request is unpinned: messages").isFalse();
    return gateway;
  }

  @Test
  void recommend_pinned_forwardsRecallsColumnsToRankingAndAnswersWithTheirSources() throws Exception {
    TestGateway gateway = startPinned();

    RecommendResponse response = gateway.stub.recommend(request(5));

    assertThat(tiers.lastRecall.get().getColumnar()).isTrue();
    assertThat(tiers.lastRecall.get().getColumnarIds()).as("k and the slack of 4").isEqualTo(9);
    assertThat(tiers.lastRank.get().getCandidatesList()).isEmpty();
    assertThat(tiers.lastRank.get().getColumns().getItemsList()).hasSize(20).startsWith(0, 1, 2);
    assertThat(tiers.lastRank.get().getBundleVersion()).isEqualTo("v1");
    assertThat(tiers.lastRank.get().getMaxItems()).isEqualTo(9);
    assertThat(ids(response)).containsExactly("c19", "c18", "c17", "c16", "c15");
    assertThat(response.getItems(0).getTitle()).isEqualTo("Title c19");
    assertThat(response.getItems(0).getSourcesList())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getSource()).isEqualTo(RecallSource.RECALL_SOURCE_COLLABORATIVE);
              assertThat(s.getRank()).isEqualTo(19);
              assertThat(s.getScore()).isEqualTo(1f - 19 / 100f);
            });
    assertThat(response.getDegraded()).isFalse();
  }

  @Test
  void recommend_pinnedAndRankingDown_answersRecallOrderFromTheIdsRecallSent() throws Exception {
    TestGateway gateway = startPinned();
    tiers.rankMethod.failure.set(Status.UNAVAILABLE);

    RecommendResponse response = gateway.stub.recommend(request(3));

    assertThat(tiers.lastRecall.get().getColumnar()).isTrue();
    assertThat(ids(response)).containsExactly("c0", "c1", "c2");
    assertThat(response.getItemsList()).extracting(RecommendedItem::getTitle).containsExactly("Title c0", "Title c1", "Title c2");
    assertThat(response.getItems(1).getSourcesList()).singleElement().satisfies(s -> assertThat(s.getRank()).isEqualTo(1));
    assertThat(response.getDegradedReasonsList()).containsExactly(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
  }

  @Test
  void recommend_recallReplicaWithoutColumns_ranksItsMessages() throws Exception {
    TestGateway gateway = startPinned();
    tiers.answersColumns = false;

    RecommendResponse response = gateway.stub.recommend(request(3));

    assertThat(tiers.lastRecall.get().getColumnar()).isTrue();
    assertThat(tiers.lastRank.get().hasColumns()).isFalse();
    assertThat(tiers.lastRank.get().getCandidatesList()).hasSize(20);
    assertThat(ids(response)).containsExactly("c19", "c18", "c17");
  }

  @Test
  void recommend_freshHistoryOff_keepsMessages() throws Exception {
    TestGateway gateway = startPinned("--recall-fresh-history", "false");

    gateway.stub.recommend(request(3));

    assertThat(tiers.lastRecall.get().getColumnar())
        .as("recall is not told the user's fresh items, so the gateway needs every id")
        .isFalse();
    assertThat(tiers.lastRank.get().getCandidatesList()).hasSize(20);
  }

  @Test
  void recommend_moreFreshItemsThanRecallTakes_keepsMessages() throws Exception {
    TestGateway gateway = startPinned();
    OnlineActivity.Builder online = OnlineActivity.newBuilder();
    for (int i = 0; i < 1_001; i++) {
      online.addConsumedItemIds("x" + i);
    }
    online.addConsumedItemIds("c19");
    tiers.online.set(online.build());

    RecommendResponse response = gateway.stub.recommend(request(3));

    assertThat(tiers.lastRecall.get().getColumnar()).isFalse();
    assertThat(ids(response)).as("c19 consumed, dropped by the final filter").containsExactly("c18", "c17", "c16");
  }

  private static RecommendRequest request(int k) {
    return RecommendRequest.newBuilder().setUserId("u1").setK(k).build();
  }

  private static List<String> ids(RecommendResponse response) {
    return response.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }
}
