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

  @Test
  void allFinite_onTheWireFormat_agreesWithRequire_onSeededMessagesWithNumbersAnywhere() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    int nonFinite = 0;
    for (int n = 0; n < 2_000; n++) {
      RankRequest.Builder request = valid();
      for (int c = 1; c < 1 + random.nextInt(20); c++) {
        request.addCandidates(request.getCandidates(0).toBuilder().setItemId("i" + c));
      }
      float special = specials[random.nextInt(specials.length)];
      int where = random.nextInt(6);
      int candidate = random.nextInt(request.getCandidatesCount());
      switch (where) {
        case 0 -> request.getCandidatesBuilder(candidate).getFeaturesBuilder().setPopularity(special);
        case 1 -> request.getCandidatesBuilder(candidate).getSourcesBuilder(0).setScore(special);
        case 2 -> request.getUserBuilder().putGenreAffinity("g" + n, special);
        case 3 -> request.getUserBuilder().setMeanRating(special);
        case 4 -> request.getCandidatesBuilder(candidate).getFeaturesBuilder().setMeanRating(1.5f);
        default -> request.getUserBuilder().setMeanItemYear(1999.5f);
      }
      RankRequest message = request.build();
      boolean finite = where >= 4;
      nonFinite += finite ? 0 : 1;

      assertThat(rank.allFinite(message.toByteArray())).as("message %d (case %d)", n, where).isEqualTo(finite);
      if (finite) {
        assertThatCode(() -> rank.require(message)).doesNotThrowAnyException();
      } else {
        assertThatThrownBy(() -> rank.require(message)).isInstanceOf(InvalidArgumentException.class);
      }
    }
    assertThat(nonFinite).isBetween(1_000, 1_600);
  }

  @Test
  void allFinite_unknownFieldsOfEveryWireType_areSkipped() {
    byte[] known = valid().build().toByteArray();
    com.google.protobuf.UnknownFieldSet unknown =
        com.google.protobuf.UnknownFieldSet.newBuilder()
            .addField(900, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                .addFixed32(Float.floatToIntBits(Float.NaN))
                .addFixed64(Double.doubleToLongBits(Double.NaN))
                .addVarint(7)
                .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("x"))
                .build())
            .build();
    byte[] extra = unknown.toByteArray();
    byte[] withUnknown = java.util.Arrays.copyOf(known, known.length + extra.length);
    System.arraycopy(extra, 0, withUnknown, known.length, extra.length);

    assertThat(rank.allFinite(withUnknown)).isTrue();
  }

  @Test
  void allFinite_packedRepeatedFloats_areReadOneByOne() {
    FiniteNumbers log = FiniteNumbers.of(dev.recsuite.bundle.v1.InteractionLog.getDescriptor());
    dev.recsuite.bundle.v1.InteractionLog.Builder finite =
        dev.recsuite.bundle.v1.InteractionLog.newBuilder().addUsers(1).addItems(2).addRatings(4f).addRatings(3.5f);

    assertThat(log.allFinite(finite.build().toByteArray())).isTrue();
    assertThat(log.allFinite(finite.addRatings(Float.NaN).build().toByteArray())).isFalse();
  }
}
