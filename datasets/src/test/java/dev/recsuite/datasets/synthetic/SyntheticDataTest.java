package dev.recsuite.datasets.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {

  private static final SyntheticSpec SPEC = SyntheticSpec.defaults();
  private static SyntheticDataset generated;
  private static Dataset dataset;
  private static Interactions interactions;

  @BeforeAll
  static void generate() {
    generated = SyntheticData.generateWithTruth(SPEC);
    dataset = generated.dataset();
    interactions = dataset.interactions();
  }

  // ------------------------------------------------------------------ determinism

  @Test
  void generate_sameSeed_identicalDataset() {
    SyntheticDataset again = SyntheticData.generateWithTruth(SPEC);

    assertIdentical(again, generated);
  }

  @Test
  void generate_sameSeedOnOneThread_identicalDataset() throws Exception {
    SyntheticDataset singleThreaded;
    try (ForkJoinPool pool = new ForkJoinPool(1)) {
      // A parallel stream started inside a pool's task runs in that pool.
      singleThreaded = pool.submit(() -> SyntheticData.generateWithTruth(SPEC)).get();
    }

    assertIdentical(singleThreaded, generated);
  }

  @Test
  void generate_otherSeed_differs() {
    Dataset other = SyntheticData.generate(SPEC.withSeed(43));

    assertThat(other.items()).isNotEqualTo(dataset.items());
    assertThat(other.interactions().itemsColumn()).isNotEqualTo(interactions.itemsColumn());
  }

  // ------------------------------------------------------------------ shape

  @Test
  void generate_defaults_countsMatchSpec() {
    assertThat(dataset.users()).hasSize(1_000);
    assertThat(dataset.items()).hasSize(1_700);
    assertThat(interactions.size()).isEqualTo(100_000);
    assertThat(IntStream.range(0, 1_000).map(interactions::countOf).min().orElseThrow())
        .isGreaterThanOrEqualTo(20);
  }

  @Test
  void generate_sourceNamesFormatAndSpec() {
    assertThat(dataset.source().format()).isEqualTo("synthetic");
    assertThat(dataset.source().location()).isEqualTo(SPEC.toString()).contains("seed=42");
  }

  @Test
  void generate_idsAreOneBasedNumbers() {
    assertThat(dataset.itemIds().id(0)).isEqualTo("1");
    assertThat(dataset.itemIds().id(1_699)).isEqualTo("1700");
    assertThat(dataset.userIds().id(999)).isEqualTo("1000");
  }

  @Test
  void generate_usersNeverRepeatAnItem() {
    for (int user = 0; user < dataset.users().size(); user++) {
      Set<Integer> seen = new HashSet<>();
      for (int i = interactions.start(user); i < interactions.end(user); i++) {
        assertThat(seen.add(interactions.item(i))).as("user %d item %d", user, i).isTrue();
      }
    }
  }

  @Test
  void generate_timestampsLieInTheSpanAndIncreasePerUser() {
    long start = SPEC.startEpochSecond();
    long end = start + SPEC.days() * 86_400L;
    for (int user = 0; user < dataset.users().size(); user++) {
      for (int i = interactions.start(user); i < interactions.end(user); i++) {
        assertThat(interactions.timestamp(i)).isBetween(start, end - 1);
        if (i > interactions.start(user)) {
          assertThat(interactions.timestamp(i))
              .isGreaterThanOrEqualTo(interactions.timestamp(i - 1));
        }
      }
    }
  }

  @Test
  void generate_usersAreActiveInDifferentWindows() {
    long[] firstTimes =
        IntStream.range(0, dataset.users().size())
            .mapToLong(user -> interactions.timestamp(interactions.start(user)))
            .sorted()
            .toArray();
    long span = SPEC.days() * 86_400L;

    // The middle half of users start their activity over at least a fifth of the period.
    assertThat(firstTimes[750] - firstTimes[250]).isGreaterThan(span / 5);
  }

  @Test
  void generate_ratingsAreWholeStarsAveragingLikeMovieLens() {
    float[] ratings = interactions.ratingsColumn();
    double mean = 0;
    for (float rating : ratings) {
      assertThat(rating).isIn(1f, 2f, 3f, 4f, 5f);
      mean += rating;
    }
    mean /= ratings.length;

    assertThat(mean).isBetween(3.3, 3.75);
  }

  @Test
  void generate_itemsHaveOneToThreeGenresTwoToFiveTagsAndPlausibleYears() {
    Set<String> genres = Set.copyOf(SyntheticSpec.GENRE_NAMES);
    for (Item item : dataset.items()) {
      assertThat(item.genres()).hasSizeBetween(1, 3).doesNotHaveDuplicates();
      assertThat(genres).containsAll(item.genres());
      assertThat(item.tags()).hasSizeBetween(2, 5).doesNotHaveDuplicates();
      assertThat(item.year()).isBetween(1950, 2025);
      assertThat(item.title()).isNotBlank().isNotEqualTo(item.id());
    }
  }

  @Test
  void generate_genresAreSkewed() {
    Map<String, Integer> counts = new HashMap<>();
    dataset.items().forEach(item -> item.genres().forEach(g -> counts.merge(g, 1, Integer::sum)));

    assertThat(counts.get("Drama")).isGreaterThan(5 * counts.get("Film-Noir"));
    assertThat(counts).hasSize(18);
  }

  @Test
  void generate_tagsComeFromTheItemsGenres() {
    for (Item item : dataset.items()) {
      Set<String> allowed = new HashSet<>(Vocabulary.GENERIC.tags());
      item.genres().forEach(genre -> allowed.addAll(Vocabulary.of(genre).tags()));

      assertThat(allowed).as("tags of %s", item).containsAll(item.tags());
    }
  }

  @Test
  void generate_titlesCarryWordsOfTheMainGenre() {
    long flavoured =
        dataset.items().stream()
            .filter(
                item -> {
                  Vocabulary.Words words = Vocabulary.of(item.genres().getFirst());
                  return words.adjectives().stream().anyMatch(item.title()::contains)
                      || words.nouns().stream().anyMatch(item.title()::contains);
                })
            .count();

    assertThat(flavoured).isGreaterThan(dataset.items().size() * 8L / 10);
  }

  @Test
  void generate_horrorWordInTitle_meansHorror() {
    Vocabulary.Words horror = Vocabulary.of("Horror");
    List<Item> scary =
        dataset.items().stream()
            .filter(
                item ->
                    horror.adjectives().stream().anyMatch(item.title()::contains)
                        || horror.nouns().stream().anyMatch(item.title()::contains))
            .toList();

    assertThat(scary).hasSizeGreaterThan(20);
    assertThat(scary).allSatisfy(item -> assertThat(item.genres()).contains("Horror"));
  }

  @Test
  void generate_usersHaveDemographicAttributes() {
    for (User user : dataset.users()) {
      assertThat(user.attributes()).containsOnlyKeys("age", "gender", "occupation");
      assertThat(user.attributes().get("age")).isIn("1", "18", "25", "35", "45", "50", "56");
      assertThat(user.attributes().get("gender")).isIn("M", "F");
    }
  }

  @Test
  void generate_truthHasOneToThreeFavouritesAndADriftGenreAmongThem() {
    for (int user = 0; user < dataset.users().size(); user++) {
      assertThat(generated.favouriteGenres().get(user)).hasSizeBetween(1, 3);
      assertThat(generated.favouriteGenres().get(user)).contains(generated.driftGenres().get(user));
    }
  }

  // ------------------------------------------------------------------ planted structure

  @Test
  void generate_activityIsLongTailed() {
    int[] counts =
        IntStream.range(0, dataset.users().size()).map(interactions::countOf).sorted().toArray();
    int median = counts[counts.length / 2];

    // Measured with the default seed: median 70, 90th percentile 193, max 888.
    assertThat(counts[counts.length * 9 / 10]).isGreaterThan(2 * median);
    assertThat(counts[counts.length - 1]).isGreaterThan(8 * median);
  }

  @Test
  void generate_popularityIsLongTailed() {
    int[] perItem = new int[dataset.items().size()];
    for (int i = 0; i < interactions.size(); i++) {
      perItem[interactions.item(i)]++;
    }
    int[] sorted = Arrays.stream(perItem).sorted().toArray();
    long top = 0;
    for (int i = 0; i < sorted.length / 10; i++) {
      top += sorted[sorted.length - 1 - i];
    }

    // Measured: 0.40 (MovieLens 100K: 0.43); uniform choice would give 0.10.
    assertThat((double) top / interactions.size()).isGreaterThan(0.35);
  }

  @Test
  void generate_usersFavourTheirGenresFarAboveBaseRate() {
    // Interactions per genre set, to get each user's base rate: the share of all interactions
    // that touch one of that user's favourite genres.
    Map<Set<String>, Integer> perGenreSet = new HashMap<>();
    for (int i = 0; i < interactions.size(); i++) {
      perGenreSet.merge(Set.copyOf(genresOf(i)), 1, Integer::sum);
    }
    double share = 0;
    double base = 0;
    int users = dataset.users().size();
    for (int user = 0; user < users; user++) {
      Set<String> favourites = Set.copyOf(generated.favouriteGenres().get(user));
      int hits = 0;
      for (int i = interactions.start(user); i < interactions.end(user); i++) {
        hits += touches(genresOf(i), favourites) ? 1 : 0;
      }
      share += (double) hits / interactions.countOf(user);
      long baseHits = 0;
      for (Map.Entry<Set<String>, Integer> entry : perGenreSet.entrySet()) {
        baseHits += touches(entry.getKey(), favourites) ? entry.getValue() : 0;
      }
      base += (double) baseHits / interactions.size();
    }
    share /= users;
    base /= users;

    // Measured: share 0.62 against a base rate of 0.30.
    assertThat(share).isGreaterThan(0.55);
    assertThat(share / base).isGreaterThan(1.8);
  }

  @Test
  void generate_laterInteractionsLeanToTheDriftGenre() {
    double early = 0;
    double late = 0;
    int users = dataset.users().size();
    for (int user = 0; user < users; user++) {
      String drift = generated.driftGenres().get(user);
      int start = interactions.start(user);
      int end = interactions.end(user);
      int half = (end - start) / 2;
      int earlyHits = 0;
      int lateHits = 0;
      for (int j = 0; j < half; j++) {
        earlyHits += genresOf(start + j).contains(drift) ? 1 : 0;
        lateHits += genresOf(end - 1 - j).contains(drift) ? 1 : 0;
      }
      early += (double) earlyHits / half;
      late += (double) lateHits / half;
    }
    early /= users;
    late /= users;

    // Measured: 0.26 of the first half against 0.55 of the second half.
    assertThat(late - early).isGreaterThan(0.2);
  }

  @Test
  void generate_itemQualityShowsInMeanRatings() {
    double[] sums = new double[dataset.items().size()];
    int[] counts = new int[dataset.items().size()];
    for (int i = 0; i < interactions.size(); i++) {
      sums[interactions.item(i)] += interactions.rating(i);
      counts[interactions.item(i)]++;
    }
    List<Double> means = new ArrayList<>();
    for (int item = 0; item < sums.length; item++) {
      if (counts[item] >= 20) {
        means.add(sums[item] / counts[item]);
      }
    }
    means.sort(null);

    // Measured: 10th percentile 2.85, 90th 3.98.
    assertThat(means.get(means.size() * 9 / 10) - means.get(means.size() / 10)).isGreaterThan(0.8);
  }

  // ------------------------------------------------------------------ scale

  @Test
  void generate_millionInteractions_countsMatch() {
    Dataset large = SyntheticData.generate(SPEC.withSize(10_000, 10_000, 100));

    assertThat(large.users()).hasSize(10_000);
    assertThat(large.items()).hasSize(10_000);
    assertThat(large.interactions().size()).isEqualTo(1_000_000);
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> genresOf(int interaction) {
    return dataset.items().get(interactions.item(interaction)).genres();
  }

  private static boolean touches(Collection<String> genres, Set<String> favourites) {
    for (String genre : genres) {
      if (favourites.contains(genre)) {
        return true;
      }
    }
    return false;
  }

  private static void assertIdentical(SyntheticDataset actual, SyntheticDataset expected) {
    Dataset a = actual.dataset();
    Dataset e = expected.dataset();
    assertThat(a.source()).isEqualTo(e.source());
    assertThat(a.items()).isEqualTo(e.items());
    assertThat(a.users()).isEqualTo(e.users());
    assertThat(a.interactions().usersColumn()).isEqualTo(e.interactions().usersColumn());
    assertThat(a.interactions().itemsColumn()).isEqualTo(e.interactions().itemsColumn());
    assertThat(a.interactions().ratingsColumn()).isEqualTo(e.interactions().ratingsColumn());
    assertThat(a.interactions().timestampsColumn()).isEqualTo(e.interactions().timestampsColumn());
    assertThat(actual.favouriteGenres()).isEqualTo(expected.favouriteGenres());
    assertThat(actual.driftGenres()).isEqualTo(expected.driftGenres());
  }
}
