package dev.recsuite.grpc;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Converts option values such as {@code 500ms}, {@code 20s}, {@code 5m} or {@code 1h} (and ISO-8601
 * such as {@code PT20S}) to a {@link Duration}. A bare {@code 0} means zero.
 *
 * <p>Use it on any duration option of a service:
 *
 * <pre>{@code
 * @Option(names = "--bundle-poll-interval", defaultValue = "30s",
 *     converter = DurationConverter.class)
 * Duration bundlePollInterval;
 * }</pre>
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

  /** Creates a converter; picocli calls this. */
  public DurationConverter() {}

  /**
   * Parses a duration.
   *
   * @throws CommandLine.TypeConversionException if {@code value} is not a non-negative duration;
   *     picocli reports it naming the option
   */
  @Override
  public Duration convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /**
   * Parses {@code 500ms}, {@code 20s}, {@code 5m}, {@code 1h}, {@code 0} or ISO-8601 ({@code
   * PT20S}).
   *
   * @throws IllegalArgumentException if {@code value} is not a non-negative duration; the message
   *     quotes the value
   */
  public static Duration parse(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = AMOUNT_AND_UNIT.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      try {
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      } catch (ArithmeticException e) {
        throw invalid(value);
      }
    }
    if (text.startsWith("p")) {
      try {
        Duration d = Duration.parse(text);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // Falls through to the message that lists the accepted forms.
      }
    }
    throw invalid(value);
  }

  /**
   * Formats a duration the way {@link #parse} reads it: {@code 20s}, {@code 1500ms}, {@code 5m}.
   */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0 || millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  private static IllegalArgumentException invalid(String value) {
    return new IllegalArgumentException(
        "'" + value + "' is not a duration (expected: e.g. 500ms, 20s, 5m, 1h or PT20S)");
  }
}
