package dev.recsuite.datasets.synthetic;

import dev.recsuite.core.data.Dataset;
import java.util.List;
import java.util.Objects;

/**
 * A generated data set with the structure that was planted in it, to check that a model finds it.
 *
 * @param dataset the data set
 * @param favouriteGenres each user's favourite genres (1 to 3), indexed by dense user id
 * @param driftGenres the favourite genre each user's later interactions lean toward, indexed by
 *     dense user id
 */
public record SyntheticDataset(
    Dataset dataset, List<List<String>> favouriteGenres, List<String> driftGenres) {

  /**
   * Copies the lists.
   *
   * @throws IllegalArgumentException if the lists do not have one entry per user
   */
  public SyntheticDataset {
    Objects.requireNonNull(dataset, "dataset");
    favouriteGenres = favouriteGenres.stream().map(List::copyOf).toList();
    driftGenres = List.copyOf(driftGenres);
    int users = dataset.users().size();
    if (favouriteGenres.size() != users || driftGenres.size() != users) {
      throw new IllegalArgumentException(
          "favouriteGenres/driftGenres: %d/%d entries (expected: %d, one per user)"
              .formatted(favouriteGenres.size(), driftGenres.size(), users));
    }
  }
}
