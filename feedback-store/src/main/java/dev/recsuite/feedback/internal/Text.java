package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.InvalidFeedbackException;
import java.time.Instant;

/** Checks and renderings of client-supplied strings shared by the API types and the stores. */
public final class Text {

  private static final int SHOWN_CHARS = 40;

  private Text() {}

  /**
   * Checks an id: 1 to {@code maxLength} characters, not blank, no ISO control character.
   *
   * @return {@code value}
   * @throws InvalidFeedbackException naming {@code field} if the id is invalid
   */
  public static String requireId(String field, String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      throw new InvalidFeedbackException(field, "must not be empty");
    }
    if (value.length() > maxLength) {
      throw new InvalidFeedbackException(
          field,
          quote(value) + " has " + value.length() + " characters (expected: at most " + maxLength + ")");
    }
    if (value.isBlank()) {
      throw new InvalidFeedbackException(field, quote(value) + " must not be blank");
    }
    requireNoControl(field, value, false);
    return value;
  }

  /**
   * Checks that {@code value} holds no ISO control character; with {@code allowWhitespace}, tab,
   * line feed and carriage return are allowed.
   *
   * @throws InvalidFeedbackException naming {@code field} and the index of the character
   */
  public static void requireNoControl(String field, String value, boolean allowWhitespace) {
    int i = firstControl(value, allowWhitespace);
    if (i >= 0) {
      throw new InvalidFeedbackException(
          field, quote(value) + " contains a control character at index " + i);
    }
  }

  /** The index of the first ISO control character of {@code value}, or -1. */
  public static int firstControl(String value, boolean allowWhitespace) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)
          && !(allowWhitespace && (c == '\t' || c == '\n' || c == '\r'))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Renders a client-supplied value for a message: quoted, with quotes, backslashes and control
   * characters escaped, cut after 40 characters, so that a hostile value can neither flood a log
   * nor forge a line in it.
   */
  public static String quote(String value) {
    int shown = Math.min(value.length(), SHOWN_CHARS);
    if (shown < value.length() && Character.isHighSurrogate(value.charAt(shown - 1))) {
      shown--; // never cut a surrogate pair in half
    }
    StringBuilder out = new StringBuilder(shown + 8).append('"');
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (shown < value.length()) {
      out.append("...");
    }
    return out.append('"').toString();
  }

  /** Epoch milliseconds with their instant, for messages: {@code 1700000000000 (2023-11-14T22:13:20Z)}. */
  public static String millis(long epochMillis) {
    return epochMillis + " (" + Instant.ofEpochMilli(epochMillis) + ")";
  }
}
