package dev.recsuite.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.datasets.InvalidDataException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldsTest {

  private static final Path FILE = Path.of("f.csv");

  @Test
  void split_keepsEmptyAndTrailingFields() {
    assertThat(Fields.split("a||b||", '|')).containsExactly("a", "", "b", "", "");
    assertThat(Fields.split("1::2::::", "::")).containsExactly("1", "2", "", "");
  }

  @Test
  void multiValued_trimsDropsEmptiesAndRepeats() {
    assertThat(Fields.multiValued(" b | a ||b| ")).containsExactly("b", "a");
    assertThat(Fields.multiValued("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4", "3.5", " 2 ", "-1e-3", "+.5"})
  void finite_acceptsDecimalNumbers(String raw) throws InvalidDataException {
    assertThat(Fields.finite(FILE, 1, "rating", raw)).isEqualTo(Float.parseFloat(raw.strip()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "x", "NaN", "Infinity", "1f", "4d", "0x1p3", "1..2", "--1"})
  void finite_rejectsOtherText(String raw) {
    assertThatThrownBy(() -> Fields.finite(FILE, 7, "rating", raw))
        .isInstanceOf(InvalidDataException.class)
        .hasMessage("f.csv:7: rating '" + raw + "' is not a number");
  }

  @Test
  void integerId_rejectsSigns() {
    assertThatThrownBy(() -> Fields.integerId(FILE, 2, "user id", "-3"))
        .isInstanceOf(InvalidDataException.class)
        .hasMessage("f.csv:2: user id '-3' is not a non-negative integer");
  }
}
