package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationConverterTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "20s, 20000",
    "5m, 300000",
    "1h, 3600000",
    "0, 0",
    "0s, 0",
    "' 2S ', 2000",
    "PT1.5S, 1500"
  })
  void parse_acceptsUnitsAndIso(String text, long millis) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "20", "20x", "-5s", "1.5s", "PT-1S", "s", "99999999999999999999h"})
  void parse_rejectsOtherText_quotingIt(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'" + text + "' is not a duration (expected: e.g. 500ms, 20s, 5m, 1h or PT20S)");
  }

  @ParameterizedTest
  @CsvSource({"0, 0ms", "500, 500ms", "1500, 1500ms", "20000, 20s", "300000, 5m", "7200000, 2h"})
  void format_writesWhatParseReads(long millis, String text) {
    assertThat(DurationConverter.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void convert_badText_failsAsPicocliConversionError() {
    assertThatThrownBy(() -> new DurationConverter().convert("20x"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'20x' is not a duration");
  }
}
