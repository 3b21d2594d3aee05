package dev.recsuite.datasets.synthetic;

import dev.recsuite.core.data.Dataset;

/**
 * Generates synthetic data sets with structure recommenders can learn.
 *
 * <pre>{@code
 * Dataset small = SyntheticData.generate(SyntheticSpec.defaults());
 * Dataset large = SyntheticData.generate(SyntheticSpec.defaults().withSize(10_000, 10_000, 100));
 * }</pre>
 *
 * <p>The model: each genre has a latent direction; an item mixes the directions of its 1–3 genres
 * plus noise, and has a quality and a Zipf-distributed popularity; a user's taste concentrates on
 * 1–3 favourite genres, whose choice leans on the user's age and gender. Each user picks a
 * long-tailed number of distinct items with probability proportional to {@code exp(taste·item /
 * temperature) × popularity^β}. The picks are spread over a window of the period that differs per
 * user, ordered so that later ones lean toward one favourite genre (the drift genre), and rated 1–5
 * from taste affinity, item quality, a user bias and noise. Titles and tags come from
 * genre-specific word lists.
 *
 * <p>Generation is deterministic: the same {@link SyntheticSpec} gives an identical data set on any
 * number of cores (for a given Java version). Interactions are sampled in parallel on the common
 * fork-join pool; on two cores the defaults take about 0.1 s and 10,000 users × 100 interactions
 * over 10,000 items about 0.45 s once the JIT has warmed up (0.3 s and 0.9 s in a fresh JVM). Item
 * and user ids are {@code "1"} upward, as in MovieLens.
 */
public final class SyntheticData {

  private SyntheticData() {}

  /**
   * Generates the data set {@code spec} describes; its {@code source()} has format {@code
   * synthetic} and the spec as location.
   *
   * @throws NullPointerException if {@code spec} is null
   */
  public static Dataset generate(SyntheticSpec spec) {
    return generateWithTruth(spec).dataset();
  }

  /**
   * Generates the data set {@code spec} describes, with each user's favourite and drift genres.
   *
   * @throws NullPointerException if {@code spec} is null
   */
  public static SyntheticDataset generateWithTruth(SyntheticSpec spec) {
    return new Generator(spec).generate();
  }
}
