package dev.recsuite.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TitlesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "Harbor Lights (1991); 1991",
        "Harbor Lights (1991) ; 1991",
        "Harbor Lights (1991) (V); 1991",
        "Harbor Lights (Les Lumi\u00e8res) (1991); 1991",
        "1984 Revisited (2001); 2001",
        "Tidal Archive (2004-2009); 2004",
        "Tidal Archive (2010\u2013 ); 2010",
        "(500) Ways; 0",
        "No Year; 0"
      })
  void yearOf_takesLastParenthesisedYear(String title, int year) {
    assertThat(Titles.yearOf(title)).isEqualTo(year);
  }
}
