package dev.recsuite.datasets.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticSpecTest {

  private static final SyntheticSpec DEFAULTS = SyntheticSpec.defaults();

  @Test
  void defaults_areSizedLikeMovieLens100k() {
    assertThat(DEFAULTS.users()).isEqualTo(1_000);
    assertThat(DEFAULTS.items()).isEqualTo(1_700);
    assertThat(DEFAULTS.genres()).isEqualTo(SyntheticSpec.GENRE_NAMES.size()).isEqualTo(18);
    assertThat(DEFAULTS.meanInteractionsPerUser()).isEqualTo(100);
    assertThat(DEFAULTS.minInteractionsPerUser()).isEqualTo(20);
  }

  @Test
  void withers_changeOneSetting() {
    assertThat(DEFAULTS.withSeed(7).seed()).isEqualTo(7);
    assertThat(DEFAULTS.withSize(10, 20, 5).items()).isEqualTo(20);
    assertThat(DEFAULTS.withGenres(3).genres()).isEqualTo(3);
    assertThat(DEFAULTS.withMinInteractionsPerUser(5).minInteractionsPerUser()).isEqualTo(5);
    assertThat(DEFAULTS.withLatentDimensions(8).latentDimensions()).isEqualTo(8);
  }

  @Test
  void withSize_belowMinimum_lowersMinimumToMean() {
    SyntheticSpec small = DEFAULTS.withSize(10, 20, 5.5);

    assertThat(small.minInteractionsPerUser()).isEqualTo(5);
  }

  @Test
  void new_zeroUsers_failsNamingValue() {
    assertThatThrownBy(() -> DEFAULTS.withSize(0, 10, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("users: 0 (expected: >= 1)");
  }

  @Test
  void new_tooManyGenres_failsNamingLimit() {
    assertThatThrownBy(() -> DEFAULTS.withGenres(19))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("genres: 19 (expected: 1 to 18)");
  }

  @Test
  void new_meanAboveCatalogue_fails() {
    assertThatThrownBy(() -> DEFAULTS.withSize(10, 50, 60))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("meanInteractionsPerUser: 60.0 (expected: <= items, 50;");
  }

  @Test
  void new_nanMean_fails() {
    assertThatThrownBy(() -> DEFAULTS.withSize(10, 50, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("meanInteractionsPerUser: NaN (expected: a number >= 1)");
  }

  @Test
  void new_minimumAboveMean_fails() {
    assertThatThrownBy(() -> DEFAULTS.withMinInteractionsPerUser(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minInteractionsPerUser: 101 (expected: 1 to meanInteractionsPerUser, 100.0)");
  }

  @Test
  void new_tooManyInteractions_fails() {
    assertThatThrownBy(() -> DEFAULTS.withSize(3_000_000, 1_000, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("users × meanInteractionsPerUser: 300000000 (expected: <= 200000000)");
  }

  @Test
  void new_oneLatentDimension_fails() {
    assertThatThrownBy(() -> DEFAULTS.withLatentDimensions(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latentDimensions: 1 (expected: 2 to 256)");
  }

  @Test
  void new_zeroDays_fails() {
    assertThatThrownBy(() -> new SyntheticSpec(1, 10, 10, 3, 5, 1, 4, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("days: 0 (expected: 1 to 36500)");
  }

  @Test
  void generate_tinySpecs_work() {
    // Fewer latent dimensions than genres, one genre, users that see the whole catalogue.
    SyntheticSpec tiny = new SyntheticSpec(5, 3, 4, 1, 4, 4, 2, 0, 1);

    var dataset = SyntheticData.generate(tiny);

    assertThat(dataset.interactions().size()).isEqualTo(12);
    assertThat(dataset.items())
        .allSatisfy(item -> assertThat(item.genres()).containsExactly("Drama"));
    assertThat(
            SyntheticData.generate(DEFAULTS.withLatentDimensions(4).withSize(50, 100, 10))
                .interactions()
                .size())
        .isEqualTo(500);
  }
}
