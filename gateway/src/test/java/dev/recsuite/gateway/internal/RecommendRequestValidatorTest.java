package dev.recsuite.gateway.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.grpc.InvalidArgumentException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every field of {@link RecommendRequest} against its documented limit, one case per door. */
class RecommendRequestValidatorTest {

  private static final int MAX_K = 100;

  private final RecommendRequestValidator validator = new RecommendRequestValidator(MAX_K);

  @Test
  void validate_requestAtEveryLimit_isAccepted() {
    Map<String, String> context = new HashMap<>();
    for (int i = 0; i < RecommendRequestValidator.MAX_CONTEXT_ENTRIES; i++) {
      context.put("k".repeat(RecommendRequestValidator.MAX_CONTEXT_KEY_LENGTH - 2) + String.format("%02d", i),
          "v\t\n".repeat(RecommendRequestValidator.MAX_CONTEXT_VALUE_LENGTH / 3));
    }
    RecommendRequest request =
        valid()
            .setUserId("u".repeat(128))
            .setK(MAX_K)
            .setQuery("q".repeat(RecommendRequestValidator.MAX_QUERY_LENGTH))
            .addAllExcludeItemIds(Collections.nCopies(RecommendRequestValidator.MAX_EXCLUDED_ITEMS, "m1"))
            .addAllCandidateItemIds(Collections.nCopies(RecommendRequestValidator.MAX_CANDIDATE_ITEMS, "m2"))
            .setFilter(
                ItemFilter.newBuilder()
                    .addAllIncludeGenres(Collections.nCopies(RecommendRequestValidator.MAX_FILTER_GENRES, "Drama"))
                    .addAllExcludeGenres(Collections.nCopies(RecommendRequestValidator.MAX_FILTER_GENRES, "Horror")))
            .putAllContext(context)
            .build();

    assertThatCode(() -> validator.validate(request)).doesNotThrowAnyException();
  }

  static Stream<Arguments> invalidRequests() {
    List<String> tooManyIds = Collections.nCopies(1_001, "m1");
    List<String> tooManyGenres = Collections.nCopies(65, "Drama");
    Map<String, String> tooManyEntries = new HashMap<>();
    for (int i = 0; i < 33; i++) {
      tooManyEntries.put("key" + i, "v");
    }
    return Stream.of(
        Arguments.of("user_id: must not be empty", valid().setUserId("")),
        Arguments.of("user_id: \"   \" must not be blank", valid().setUserId("   ")),
        Arguments.of("user_id: \"uuuuu", valid().setUserId("u".repeat(129))),
        Arguments.of("user_id: \"u\\u0000", valid().setUserId("u\u0000")),
        Arguments.of("user_id: \"\u202e\\u0085\"", valid().setUserId("\u202e\u0085")),
        Arguments.of("k: 0 (expected: 1..100)", valid().setK(0)),
        Arguments.of("k: -2147483648 (expected: 1..100)", valid().setK(Integer.MIN_VALUE)),
        Arguments.of("k: 101 (expected: 1..100)", valid().setK(MAX_K + 1)),
        Arguments.of("query: \"qqq", valid().setQuery("q".repeat(513))),
        Arguments.of("query: \"a\\u0007", valid().setQuery("a\u0007b")),
        Arguments.of("exclude_item_ids: 1001 values", valid().addAllExcludeItemIds(tooManyIds)),
        Arguments.of("exclude_item_ids[1]: \"m\\u0000", valid().addExcludeItemIds("m1").addExcludeItemIds("m\u0000")),
        Arguments.of("candidate_item_ids: 1001 values", valid().addAllCandidateItemIds(tooManyIds)),
        Arguments.of("candidate_item_ids[0]: \"mmm", valid().addCandidateItemIds("m".repeat(200))),
        Arguments.of(
            "filter.include_genres: 65 values",
            valid().setFilter(ItemFilter.newBuilder().addAllIncludeGenres(tooManyGenres))),
        Arguments.of(
            "filter.exclude_genres: 65 values",
            valid().setFilter(ItemFilter.newBuilder().addAllExcludeGenres(tooManyGenres))),
        Arguments.of(
            "filter.exclude_genres[0]: must not be empty",
            valid().setFilter(ItemFilter.newBuilder().addExcludeGenres(""))),
        Arguments.of("context: 33 entries (expected: at most 32)", valid().putAllContext(tooManyEntries)),
        Arguments.of("context: keys must not be empty", valid().putContext("", "v")),
        Arguments.of("context[\"kkk", valid().putContext("k".repeat(65), "v")),
        Arguments.of("context[\"a\\nb\"]: ", valid().putContext("a\nb", "v")),
        Arguments.of("context[\"device\"]: \"vvv", valid().putContext("device", "v".repeat(257))),
        Arguments.of("context[\"device\"]: \"\\u001b[2J", valid().putContext("device", "\u001b[2J")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void validate_invalidField_failsWithAMessageNamingTheFieldAndShowingTheValue(
      String messageStart, RecommendRequest.Builder request) {
    assertThatThrownBy(() -> validator.validate(request.build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith(messageStart);
  }

  private static RecommendRequest.Builder valid() {
    return RecommendRequest.newBuilder().setUserId("u1").setK(10);
  }
}
