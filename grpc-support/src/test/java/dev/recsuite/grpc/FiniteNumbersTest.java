package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.recall.v1.RecallRequest;
import org.junit.jupiter.api.Test;

class FiniteNumbersTest {

  private final FiniteNumbers rank = FiniteNumbers.of(RankRequest.getDescriptor());

  private static RankRequest.Builder valid() {
    return RankRequest.newBuilder()
        .setUser(UserFeatures.newBuilder().setUserId("u1").setMeanRating(3.5f).putGenreAffinity("Drama", 0.5f))
        .addCandidates(
            RankCandidate.newBuilder()
                .setItemId("i1")
                .setFeatures(ItemFeatures.newBuilder().setItemId("i1").setPopularity(0.2f))
                .addSources(SourceScore.newBuilder().setSource(RecallSource.RECALL_SOURCE_POPULAR).setScore(1.5f)));
  }

  @Test
  void require_finiteNumbersEverywhere_passes() {
    assertThatCode(() -> rank.require(valid().build())).doesNotThrowAnyException();
  }

  @Test
  void require_nanDeepInARepeatedMessage_namesThePath() {
    RankRequest.Builder request = valid();
    request.getCandidatesBuilder(0).getFeaturesBuilder().setPopularity(Float.NaN);

    assertThatThrownBy(() -> rank.require(request.build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("candidates[0].features.popularity: NaN (expected: a finite number)");
  }

  @Test
  void require_infiniteSourceScore_namesTheIndexedPath() {
    RankRequest.Builder request = valid();
    request.getCandidatesBuilder(0).getSourcesBuilder(0).setScore(Float.NEGATIVE_INFINITY);

    assertThatThrownBy(() -> rank.require(request.build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("candidates[0].sources[0].score: -Infinity (expected: a finite number)");
  }

  @Test
  void require_nanMapValue_namesTheKey() {
    RankRequest.Builder request = valid();
    request.getUserBuilder().putGenreAffinity("Sci-Fi", Float.POSITIVE_INFINITY);

    assertThatThrownBy(() -> rank.require(request.build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("user.genre_affinity[\"Sci-Fi\"]: Infinity (expected: a finite number)");
  }

  @Test
  void applies_typeWithoutFloatingPointFields_isFalse() {
    assertThat(FiniteNumbers.of(RecallRequest.getDescriptor()).applies()).isFalse();
    assertThat(rank.applies()).isTrue();
  }

  @Test
  void require_messageOfAnotherType_fails() {
    assertThatThrownBy(() -> rank.require(RecallRequest.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev.recsuite.recall.v1.RecallRequest");
  }
}
