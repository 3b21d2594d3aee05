package dev.recsuite.grpc;

import java.util.List;
import java.util.Map;

/**
 * Checks of request fields shared by every service. Each check returns the value when it is valid
 * and otherwise throws {@link InvalidArgumentException}, which reaches the client as {@code
 * INVALID_ARGUMENT} naming the field (as in the proto, snake_case) and showing the offending value,
 * quoted, escaped and truncated to 40 characters:
 *
 * <pre>{@code
 * String userId = RequestValidation.requireId("user_id", request.getUserId());
 * int k = RequestValidation.requireInRange("k", request.getK(), 1, 100);
 * // throws InvalidArgumentException: "k: 0 (expected: 1..100)"
 * }</pre>
 *
 * <p>Numbers: {@link #requireFinite} for one float or double, {@link #requireNonNegative} for
 * counts; {@link FiniteNumbers} checks every float and double of a whole message (every server
 * already applies it to every request).
 *
 * <p>Character counts are UTF-16 {@code char}s ({@link String#length()}). Control characters are
 * the ISO control characters (U+0000..U+001F, U+007F..U+009F): never allowed in ids and map keys;
 * free text ({@link #requireMaxLength}, map values) may contain tab, line feed and carriage return
 * but no other control character, since those corrupt logs and terminals and mean nothing in a
 * query.
 */
public final class RequestValidation {

  /** The longest id accepted by {@link #requireId}: 128 characters. */
  public static final int MAX_ID_LENGTH = 128;

  private static final int SHOWN_CHARS = 40;

  private RequestValidation() {}

  /**
   * Checks an id: 1 to {@value #MAX_ID_LENGTH} characters, not blank, no control characters.
   *
   * @return {@code value}
   * @throws InvalidArgumentException if the id is invalid, e.g. {@code user_id: must not be empty}
   */
  public static String requireId(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new InvalidArgumentException(
          field,
          quote(value)
              + " has "
              + value.length()
              + " characters (expected: at most "
              + MAX_ID_LENGTH
              + ")");
    }
    if (value.isBlank()) {
      throw new InvalidArgumentException(field, quote(value) + " must not be blank");
    }
    requireNoControl(field, value, false);
    return value;
  }

  /**
   * Checks a list of ids: at most {@code max} of them, each a valid {@link #requireId id}. The
   * field of an invalid element carries its index: {@code exclude_item_ids[3]: must not be empty}.
   *
   * @return {@code values}
   * @throws InvalidArgumentException if there are too many ids or one is invalid
   */
  public static List<String> requireIds(String field, List<String> values, int max) {
    if (values.size() > max) {
      throw new InvalidArgumentException(
          field, values.size() + " values (expected: at most " + max + ")");
    }
    for (int i = 0; i < values.size(); i++) {
      try {
        requireId(field, values.get(i));
      } catch (InvalidArgumentException e) {
        // The indexed field name is built only on failure: lists are checked on every request.
        throw new InvalidArgumentException(field + "[" + i + "]", e.problem());
      }
    }
    return values;
  }

  /**
   * Checks that {@code min <= value <= max}.
   *
   * @return {@code value}
   * @throws InvalidArgumentException if it is outside, e.g. {@code k: 0 (expected: 1..100)}
   */
  public static int requireInRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidArgumentException(field, value + " (expected: " + min + ".." + max + ")");
    }
    return value;
  }

  /**
   * Checks that a number is finite: not NaN, not infinite.
   *
   * @return {@code value}
   * @throws InvalidArgumentException if it is not, e.g. {@code score: NaN (expected: a finite
   *     number)}
   */
  public static float requireFinite(String field, float value) {
    if (!Float.isFinite(value)) {
      throw new InvalidArgumentException(field, value + " (expected: a finite number)");
    }
    return value;
  }

  /**
   * Checks that a number is finite: not NaN, not infinite.
   *
   * @return {@code value}
   * @throws InvalidArgumentException if it is not, e.g. {@code value: Infinity (expected: a finite
   *     number)}
   */
  public static double requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new InvalidArgumentException(field, value + " (expected: a finite number)");
    }
    return value;
  }

  /**
   * Checks that a count is not negative.
   *
   * @return {@code value}
   * @throws InvalidArgumentException if it is, e.g. {@code interaction_count: -1 (expected: >= 0)}
   */
  public static long requireNonNegative(String field, long value) {
    if (value < 0) {
      throw new InvalidArgumentException(field, value + " (expected: >= 0)");
    }
    return value;
  }

  /**
   * Checks that a count is not negative.
   *
   * @return {@code value}
   * @throws InvalidArgumentException if it is, e.g. {@code rank: -1 (expected: >= 0)}
   */
  public static int requireNonNegative(String field, int value) {
    if (value < 0) {
      throw new InvalidArgumentException(field, value + " (expected: >= 0)");
    }
    return value;
  }

  /**
   * Checks free text, which may be empty: at most {@code max} characters, no control characters
   * except tab, line feed and carriage return.
   *
   * @return {@code value}
   * @throws InvalidArgumentException if it is too long or holds a control character
   */
  public static String requireMaxLength(String field, String value, int max) {
    if (value.length() > max) {
      throw new InvalidArgumentException(
          field,
          quote(value) + " has " + value.length() + " characters (expected: at most " + max + ")");
    }
    requireNoControl(field, value, true);
    return value;
  }

  /**
   * Checks a string map (e.g. request context): at most {@code maxEntries} entries; keys non-empty,
   * at most {@code maxKeyLength} characters, without control characters; values checked as by
   * {@link #requireMaxLength} with {@code maxValueLength}. The field of a bad entry names its key:
   * {@code context["device"]: ...}.
   *
   * @return {@code map}
   * @throws InvalidArgumentException if the map or one of its entries is invalid
   */
  public static Map<String, String> requireMapLimits(
      String field, Map<String, String> map, int maxEntries, int maxKeyLength, int maxValueLength) {
    if (map.size() > maxEntries) {
      throw new InvalidArgumentException(
          field, map.size() + " entries (expected: at most " + maxEntries + ")");
    }
    for (Map.Entry<String, String> entry : map.entrySet()) {
      String key = entry.getKey();
      if (key.isEmpty()) {
        throw new InvalidArgumentException(field, "keys must not be empty");
      }
      String entryField = field + "[" + quote(key) + "]";
      if (key.length() > maxKeyLength) {
        throw new InvalidArgumentException(
            entryField,
            "key has " + key.length() + " characters (expected: at most " + maxKeyLength + ")");
      }
      requireNoControl(entryField, key, false);
      requireMaxLength(entryField, entry.getValue(), maxValueLength);
    }
    return map;
  }

  private static void requireNoControl(String field, String value, boolean allowWhitespace) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)
          && !(allowWhitespace && (c == '\t' || c == '\n' || c == '\r'))) {
        throw new InvalidArgumentException(
            field, quote(value) + " contains a control character at index " + i);
      }
    }
  }

  /**
   * Renders a client-supplied value for a message: quoted, with quotes, backslashes and control
   * characters escaped, and cut after {@value #SHOWN_CHARS} characters, so that a hostile value can
   * neither flood a log nor forge a line in it.
   */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), SHOWN_CHARS) + 8).append('"');
    int shown = Math.min(value.length(), SHOWN_CHARS);
    if (shown < value.length() && Character.isHighSurrogate(value.charAt(shown - 1))) {
      shown--; // never cut a surrogate pair in half
    }
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> {
          if (Character.isISOControl(c)
              || Character.isSurrogate(c) && !validSurrogateAt(value, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
    if (value.length() > shown) {
      out.insert(out.length() - 1, "...");
    }
    return out.toString();
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
