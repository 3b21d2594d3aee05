package dev.recsuite.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedbackEventTest {

  private static final long T = 1_800_000_000_000L;

  @Test
  void constructor_validEvent_keepsItsFieldsAndSortsTheContext() {
    Map<String, String> context = new HashMap<>(Map.of("page", "home", "device", "phone"));

    FeedbackEvent event = new FeedbackEvent("e1", "u1", "m1", EventType.CLICK, 0, T, context);
    context.put("later", "change");

    assertThat(event.eventId()).isEqualTo("e1");
    assertThat(event.context()).containsExactly(Map.entry("device", "phone"), Map.entry("page", "home"));
    assertThatThrownBy(() -> event.context().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void constructor_nullContext_isEmpty() {
    assertThat(new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T, null).context()).isEmpty();
  }

  @Test
  void constructor_badIds_failNamingTheField() {
    assertThatThrownBy(() -> FeedbackEvent.of("", "u1", "m1", EventType.CLICK, T))
        .isInstanceOf(InvalidFeedbackException.class)
        .hasMessage("eventId: must not be empty");
    assertThatThrownBy(() -> FeedbackEvent.of("e1", null, "m1", EventType.CLICK, T)).hasMessage("userId: must not be empty");
    assertThatThrownBy(() -> FeedbackEvent.of("e1", "u1", "   ", EventType.CLICK, T)).hasMessage("itemId: \"   \" must not be blank");
    assertThatThrownBy(() -> FeedbackEvent.of("e1", "u\u0000", "m1", EventType.CLICK, T))
        .hasMessage("userId: \"u\\u0000\" contains a control character at index 1");
    assertThatThrownBy(() -> FeedbackEvent.of("e".repeat(129), "u1", "m1", EventType.CLICK, T))
        .hasMessage("eventId: \"" + "e".repeat(40) + "...\" has 129 characters (expected: at most 128)");
    assertThat(FeedbackEvent.of("e".repeat(128), "u1", "m1", EventType.CLICK, T).eventId()).hasSize(128);
  }

  @Test
  void constructor_badRating_failsNamingTheValue() {
    assertThatThrownBy(() -> FeedbackEvent.rating("e1", "u1", "m1", Double.NaN, T))
        .isInstanceOf(InvalidFeedbackException.class)
        .hasMessage("value: NaN (expected: a rating in 0.5..5.0)");
    assertThatThrownBy(() -> FeedbackEvent.rating("e1", "u1", "m1", Double.POSITIVE_INFINITY, T))
        .hasMessage("value: Infinity (expected: a rating in 0.5..5.0)");
    assertThatThrownBy(() -> FeedbackEvent.rating("e1", "u1", "m1", 0.49, T)).hasMessage("value: 0.49 (expected: a rating in 0.5..5.0)");
    assertThatThrownBy(() -> FeedbackEvent.rating("e1", "u1", "m1", 5.01, T)).hasMessage("value: 5.01 (expected: a rating in 0.5..5.0)");
    assertThatThrownBy(() -> FeedbackEvent.of("e1", "u1", "m1", EventType.RATING, T)).hasMessage("value: 0.0 (expected: a rating in 0.5..5.0)");
    assertThat(FeedbackEvent.rating("e1", "u1", "m1", 0.5, T).value()).isEqualTo(0.5);
    assertThat(FeedbackEvent.rating("e1", "u1", "m1", 5, T).value()).isEqualTo(5.0);
  }

  @Test
  void constructor_valueOnATypeWithoutOne_fails() {
    assertThatThrownBy(() -> new FeedbackEvent("e1", "u1", "m1", EventType.PURCHASE, 3, T, Map.of()))
        .hasMessage("value: 3.0 (expected: 0 for PURCHASE; only RATING carries a value)");
  }

  @Test
  void constructor_badTypeOrTimestamp_fails() {
    assertThatThrownBy(() -> FeedbackEvent.of("e1", "u1", "m1", null, T)).hasMessage("type: must not be null");
    assertThatThrownBy(() -> FeedbackEvent.of("e1", "u1", "m1", EventType.VIEW, 0))
        .hasMessage("timestampMillis: 0 (expected: epoch milliseconds in 1..253402300799999)");
    assertThatThrownBy(() -> FeedbackEvent.of("e1", "u1", "m1", EventType.VIEW, FeedbackEvent.MAX_TIMESTAMP_MILLIS + 1))
        .hasMessageStartingWith("timestampMillis: 253402300800000");
  }

  @Test
  void constructor_contextBeyondItsBounds_failsNamingTheEntry() {
    Map<String, String> tooMany = new HashMap<>();
    for (int i = 0; i < 17; i++) {
      tooMany.put("k" + i, "v");
    }
    assertThatThrownBy(() -> new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T, tooMany))
        .hasMessage("context: 17 entries (expected: at most 16)");
    assertThatThrownBy(() -> new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T, Map.of("", "v")))
        .hasMessage("context: keys must not be empty");
    assertThatThrownBy(() -> new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T, Map.of("k".repeat(65), "v")))
        .hasMessageEndingWith("key has 65 characters (expected: at most 64)");
    assertThatThrownBy(() -> new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T, Map.of("note", "x".repeat(257))))
        .hasMessageStartingWith("context[\"note\"]: ")
        .hasMessageEndingWith("has 257 characters (expected: at most 256)");
    assertThatThrownBy(() -> new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T, Map.of("note", "bell\u0007")))
        .hasMessage("context[\"note\"]: \"bell\\u0007\" contains a control character at index 4");
    assertThat(new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T, Map.of("note", "a\tb\nc")).context()).containsEntry("note", "a\tb\nc");
  }

  @Test
  void invalidFeedbackException_inBatch_carriesFieldIndexAndProblem() {
    InvalidFeedbackException e = new InvalidFeedbackException(3, "userId", "must not be empty");

    assertThat(e).hasMessage("batch[3].userId: must not be empty");
    assertThat(e.field()).isEqualTo("userId");
    assertThat(e.problem()).isEqualTo("must not be empty");
    assertThat(e.index()).hasValue(3);
    assertThat(new InvalidFeedbackException("limit", "0").index()).isEmpty();
  }

  @Test
  void eventType_parse_acceptsNamesIgnoringCaseAndNamesTheChoicesOtherwise() {
    assertThat(EventType.parse("click")).isEqualTo(EventType.CLICK);
    assertThat(EventType.parse("Add_To_Cart")).isEqualTo(EventType.ADD_TO_CART);
    assertThat(List.of(EventType.values())).allSatisfy(type -> assertThat(EventType.parse(type.name())).isEqualTo(type));
    assertThatThrownBy(() -> EventType.parse("hover"))
        .isInstanceOf(InvalidFeedbackException.class)
        .hasMessage("type: \"hover\" is not an event type (expected: one of view, click, add_to_cart, share, rating, like, purchase, dislike)");
    assertThatThrownBy(() -> EventType.parse("")).hasMessageStartingWith("type: must not be empty (expected: one of view");
    assertThatThrownBy(() -> EventType.parse(null)).isInstanceOf(InvalidFeedbackException.class);
  }

  @Test
  void eventType_weights_areTheDocumentedOnes() {
    assertThat(List.of(EventType.values()))
        .extracting(EventType::weight)
        .containsExactly(1.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0, -4.0);
    assertThat(EventType.DISLIKE.popularityWeight()).isZero();
    assertThat(EventType.PURCHASE.popularityWeight()).isEqualTo(5.0);
    assertThat(EventType.DISLIKE.entersRecentItems()).isFalse();
    assertThat(EventType.RATING.carriesValue()).isTrue();
    assertThat(EventType.LIKE.carriesValue()).isFalse();
  }
}
