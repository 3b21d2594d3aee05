package dev.recsuite.datasets.internal;

import dev.recsuite.datasets.InvalidDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Splitting lines and parsing field values, failing with {@link InvalidDataException}s that name
 * the file, the line and the offending value.
 */
public final class Fields {

  private Fields() {}

  /** Splits on every {@code separator}, keeping empty fields (also trailing ones). */
  public static String[] split(String line, char separator) {
    List<String> fields = new ArrayList<>(8);
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == separator) {
        fields.add(line.substring(start, i));
        start = i + 1;
      }
    }
    fields.add(line.substring(start));
    return fields.toArray(String[]::new);
  }

  /** Splits on every occurrence of {@code separator}, keeping empty fields. */
  public static String[] split(String line, String separator) {
    List<String> fields = new ArrayList<>(8);
    int start = 0;
    int next;
    while ((next = line.indexOf(separator, start)) >= 0) {
      fields.add(line.substring(start, next));
      start = next + separator.length();
    }
    fields.add(line.substring(start));
    return fields.toArray(String[]::new);
  }

  /** Joins {@code fields[from..to)} with {@code separator}, undoing a split inside free text. */
  public static String join(String[] fields, int from, int to, String separator) {
    return String.join(separator, Arrays.asList(fields).subList(from, to));
  }

  /**
   * Splits a multi-valued cell on {@code |}: values are trimmed, empty ones dropped, repeats
   * removed, order kept.
   */
  public static List<String> multiValued(String cell) {
    Set<String> values = new LinkedHashSet<>();
    for (String value : split(cell, '|')) {
      String trimmed = value.strip();
      if (!trimmed.isEmpty()) {
        values.add(trimmed);
      }
    }
    return List.copyOf(values);
  }

  /**
   * Checks the number of fields.
   *
   * @throws InvalidDataException if it is not {@code expected}
   */
  public static void requireCount(
      Path file, long line, String[] fields, int expected, String layout)
      throws InvalidDataException {
    if (fields.length != expected) {
      throw new InvalidDataException(
          file, line, "%d fields (expected: %d, %s)".formatted(fields.length, expected, layout));
    }
  }

  /**
   * A trimmed, non-blank id.
   *
   * @throws InvalidDataException if the value is blank
   */
  public static String id(Path file, long line, String what, String raw)
      throws InvalidDataException {
    String id = raw.strip();
    if (id.isEmpty()) {
      throw new InvalidDataException(file, line, what + " is blank");
    }
    return id;
  }

  /**
   * A trimmed id made of decimal digits, as all MovieLens ids are; other values mean the file is
   * not what its name says.
   *
   * @throws InvalidDataException if the value is blank or not a non-negative integer
   */
  public static String integerId(Path file, long line, String what, String raw)
      throws InvalidDataException {
    String id = id(file, line, what, raw);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        throw new InvalidDataException(
            file, line, "%s '%s' is not a non-negative integer".formatted(what, raw));
      }
    }
    return id;
  }

  /**
   * A finite decimal number such as {@code 4}, {@code 3.5} or {@code -1e-3}.
   *
   * @throws InvalidDataException if the value is not a decimal number or not finite as a float
   */
  public static float finite(Path file, long line, String what, String raw)
      throws InvalidDataException {
    String value = raw.strip();
    // Float.parseFloat also takes "NaN", "Infinity", hex floats and suffixes like "1f"; none of
    // them is a rating anyone meant to write.
    boolean plain = !value.isEmpty();
    for (int i = 0; i < value.length() && plain; i++) {
      char c = value.charAt(i);
      plain = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
    }
    float number;
    try {
      number = plain ? Float.parseFloat(value) : Float.NaN;
    } catch (NumberFormatException e) {
      number = Float.NaN;
      plain = false;
    }
    if (!plain) {
      throw new InvalidDataException(file, line, "%s '%s' is not a number".formatted(what, raw));
    }
    if (!Float.isFinite(number)) {
      throw new InvalidDataException(
          file, line, "%s '%s' is not a finite float".formatted(what, raw));
    }
    return number;
  }

  /**
   * A MovieLens rating: a number from 0.5 to 5.
   *
   * @throws InvalidDataException if the value is not a number or outside that range
   */
  public static float movieLensRating(Path file, long line, String raw)
      throws InvalidDataException {
    float rating = finite(file, line, "rating", raw);
    if (rating < 0.5f || rating > 5f) {
      throw new InvalidDataException(
          file, line, "rating '%s' out of range (expected: 0.5 to 5)".formatted(raw.strip()));
    }
    return rating;
  }

  /**
   * An integer number of seconds since the epoch.
   *
   * @throws InvalidDataException if the value is not an integer
   */
  public static long epochSeconds(Path file, long line, String raw) throws InvalidDataException {
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw new InvalidDataException(
          file, line, "timestamp '%s' is not an integer (epoch seconds)".formatted(raw));
    }
  }

  /**
   * A decimal integer.
   *
   * @throws InvalidDataException if the value is not an integer
   */
  public static int integer(Path file, long line, String what, String raw)
      throws InvalidDataException {
    try {
      return Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw new InvalidDataException(file, line, "%s '%s' is not an integer".formatted(what, raw));
    }
  }
}
