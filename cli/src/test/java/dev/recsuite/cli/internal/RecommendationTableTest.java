package dev.recsuite.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import org.junit.jupiter.api.Test;

class RecommendationTableTest {

  @Test
  void render_listsItemsWithTitlesScoresAndSourceRanks() {
    RecommendResponse response =
        RecommendResponse.newBuilder()
            .setModelVersion("v1")
            .setRequestId("r1")
            .addItems(
                RecommendedItem.newBuilder()
                    .setItemId("50")
                    .setTitle("Star Wars (1977)")
                    .setScore(1.25f)
                    .addSources(SourceScore.newBuilder().setSource(RecallSource.RECALL_SOURCE_COLLABORATIVE).setRank(0))
                    .addSources(SourceScore.newBuilder().setSource(RecallSource.RECALL_SOURCE_QUERY).setRank(4)))
            .build();

    String table = RecommendationTable.render("7", response);

    assertThat(table).startsWith("Top 1 for user 7 (model v1, request r1)\n");
    assertThat(table).contains("  1  50        Star Wars (1977)", "1.250  cf#1 query#5");
  }

  @Test
  void render_degradedAnswer_saysWhy() {
    RecommendResponse response =
        RecommendResponse.newBuilder()
            .setDegraded(true)
            .addDegradedReasons(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE)
            .build();

    assertThat(RecommendationTable.render("7", response)).contains("DEGRADED: ranking_unavailable");
  }

  @Test
  void render_longTitle_isAbbreviated() {
    RecommendResponse response =
        RecommendResponse.newBuilder()
            .addItems(RecommendedItem.newBuilder().setItemId("1").setTitle("x".repeat(80)))
            .build();

    assertThat(RecommendationTable.render("7", response)).contains("x".repeat(47) + "…").doesNotContain("x".repeat(49));
  }
}
