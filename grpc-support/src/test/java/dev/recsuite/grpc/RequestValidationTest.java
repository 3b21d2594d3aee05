package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidationTest {

  @Test
  void requireId_validId_returnsIt() {
    assertThat(RequestValidation.requireId("user_id", "u-42")).isEqualTo("u-42");
    assertThat(RequestValidation.requireId("user_id", "x".repeat(128))).hasSize(128);
  }

  @Test
  void requireId_empty_failsNamingTheField() {
    assertThatThrownBy(() -> RequestValidation.requireId("user_id", ""))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> {
              assertThat(e.field()).isEqualTo("user_id");
              assertThat(e.problem()).isEqualTo("must not be empty");
            })
        .hasMessage("user_id: must not be empty");
  }

  @Test
  void requireId_blank_failsQuotingTheValue() {
    assertThatThrownBy(() -> RequestValidation.requireId("user_id", " \t"))
        .hasMessage("user_id: \" \\t\" must not be blank");
  }

  @Test
  void requireId_tooLong_failsWithTruncatedValueAndLength() {
    assertThatThrownBy(() -> RequestValidation.requireId("item_id", "a".repeat(129)))
        .hasMessage(
            "item_id: \"" + "a".repeat(40) + "...\" has 129 characters (expected: at most 128)");
  }

  @Test
  void requireId_controlCharacter_failsEscapingItAndGivingItsIndex() {
    assertThatThrownBy(() -> RequestValidation.requireId("user_id", "a\u0000b\"\n"))
        .hasMessage("user_id: \"a\\u0000b\\\"\\n\" contains a control character at index 1");
  }

  @Test
  void requireIds_tooMany_failsWithTheCount() {
    List<String> ids = List.of("a", "b", "c");

    assertThatThrownBy(() -> RequestValidation.requireIds("exclude_item_ids", ids, 2))
        .hasMessage("exclude_item_ids: 3 values (expected: at most 2)");
  }

  @Test
  void requireIds_badElement_failsNamingItsIndex() {
    List<String> ids = new ArrayList<>(List.of("a", "b", "c", ""));

    assertThatThrownBy(() -> RequestValidation.requireIds("exclude_item_ids", ids, 10))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> assertThat(e.field()).isEqualTo("exclude_item_ids[3]"))
        .hasMessage("exclude_item_ids[3]: must not be empty");
  }

  @Test
  void requireInRange_boundsAreInclusive() {
    assertThat(RequestValidation.requireInRange("k", 1, 1, 100)).isEqualTo(1);
    assertThat(RequestValidation.requireInRange("k", 100, 1, 100)).isEqualTo(100);
    assertThatThrownBy(() -> RequestValidation.requireInRange("k", 0, 1, 100))
        .hasMessage("k: 0 (expected: 1..100)");
    assertThatThrownBy(() -> RequestValidation.requireInRange("k", 101, 1, 100))
        .hasMessage("k: 101 (expected: 1..100)");
  }

  @Test
  void requireMaxLength_allowsEmptyAndWhitespaceControls() {
    assertThat(RequestValidation.requireMaxLength("query", "", 10)).isEmpty();
    assertThat(RequestValidation.requireMaxLength("query", "a\tb\r\nc", 10)).isEqualTo("a\tb\r\nc");
  }

  @Test
  void requireMaxLength_tooLongOrOtherControl_fails() {
    assertThatThrownBy(() -> RequestValidation.requireMaxLength("query", "abcdef", 5))
        .hasMessage("query: \"abcdef\" has 6 characters (expected: at most 5)");
    assertThatThrownBy(() -> RequestValidation.requireMaxLength("query", "a\u001bb", 5))
        .hasMessage("query: \"a\\u001bb\" contains a control character at index 1");
  }

  @Test
  void requireMapLimits_validMap_returnsIt() {
    Map<String, String> context = Map.of("device", "tv", "note", "two\nlines");

    assertThat(RequestValidation.requireMapLimits("context", context, 2, 16, 16)).isSameAs(context);
  }

  @Test
  void requireMapLimits_violations_failNamingTheEntry() {
    Map<String, String> tooMany = Map.of("a", "1", "b", "2", "c", "3");
    Map<String, String> longKey = Map.of("k".repeat(17), "v");
    Map<String, String> longValue = Map.of("device", "v".repeat(17));
    Map<String, String> controlKey = Map.of("de\u0007v", "v");
    Map<String, String> emptyKey = new LinkedHashMap<>();
    emptyKey.put("", "v");

    assertThatThrownBy(() -> RequestValidation.requireMapLimits("context", tooMany, 2, 16, 16))
        .hasMessage("context: 3 entries (expected: at most 2)");
    assertThatThrownBy(() -> RequestValidation.requireMapLimits("context", longKey, 2, 16, 16))
        .hasMessage(
            "context[\"" + "k".repeat(17) + "\"]: key has 17 characters (expected: at most 16)");
    assertThatThrownBy(() -> RequestValidation.requireMapLimits("context", longValue, 2, 16, 16))
        .hasMessage(
            "context[\"device\"]: \""
                + "v".repeat(17)
                + "\" has 17 characters (expected: at most 16)");
    assertThatThrownBy(() -> RequestValidation.requireMapLimits("context", controlKey, 2, 16, 16))
        .hasMessage(
            "context[\"de\\u0007v\"]: \"de\\u0007v\" contains a control character at index 2");
    assertThatThrownBy(() -> RequestValidation.requireMapLimits("context", emptyKey, 2, 16, 16))
        .hasMessage("context: keys must not be empty");
  }

  @Test
  void quote_neverSplitsASurrogatePair() {
    String value = "a".repeat(39) + "\uD83D\uDE00" + "tail";

    assertThat(RequestValidation.quote(value)).isEqualTo("\"" + "a".repeat(39) + "...\"");
  }

  @Test
  void quote_loneSurrogate_isEscaped() {
    assertThat(RequestValidation.quote("x\uD83D")).isEqualTo("\"x\\ud83d\"");
  }

  @Test
  void requireFinite_nanOrInfinity_failsNamingTheField() {
    assertThat(RequestValidation.requireFinite("score", 0.5f)).isEqualTo(0.5f);
    assertThatThrownBy(() -> RequestValidation.requireFinite("score", Float.NaN))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("score: NaN (expected: a finite number)");
    assertThatThrownBy(() -> RequestValidation.requireFinite("value", Double.POSITIVE_INFINITY))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("value: Infinity (expected: a finite number)");
  }

  @Test
  void requireNonNegative_negativeCount_failsNamingTheField() {
    assertThat(RequestValidation.requireNonNegative("rank", 0)).isZero();
    assertThatThrownBy(() -> RequestValidation.requireNonNegative("rank", -1))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("rank: -1 (expected: >= 0)");
    assertThatThrownBy(() -> RequestValidation.requireNonNegative("event_count", -5L))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("event_count: -5 (expected: >= 0)");
  }
}
