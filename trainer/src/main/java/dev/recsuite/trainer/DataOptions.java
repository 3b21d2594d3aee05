package dev.recsuite.trainer;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.datasets.DatasetFormat;
import dev.recsuite.datasets.Datasets;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the training data comes from, as a picocli mixin shared by {@code train} and {@code up}:
 * a data set directory ({@code --data}) or, by default, the embedded synthetic generator.
 */
public final class DataOptions {

  @Option(
      names = "--data",
      paramLabel = "<dir>",
      description =
          "Data set directory: MovieLens 100K (u.data), 1M/10M (ratings.dat), the CSV layout"
              + " (ratings.csv) or the generic CSV layout (interactions.csv). Default: the embedded"
              + " synthetic data set.")
  private Path data;

  @Option(
      names = "--format",
      paramLabel = "<format>",
      defaultValue = "auto",
      description =
          "Layout of --data: auto, movielens-100k, movielens-dat, movielens-csv or generic-csv.")
  private String format = "auto";

  @Option(
      names = "--synthetic-users",
      paramLabel = "<n>",
      defaultValue = "1000",
      description = "Users of the synthetic data set.")
  private int syntheticUsers = 1_000;

  @Option(
      names = "--synthetic-items",
      paramLabel = "<n>",
      defaultValue = "1700",
      description = "Items of the synthetic data set.")
  private int syntheticItems = 1_700;

  @Option(
      names = "--synthetic-interactions-per-user",
      paramLabel = "<n>",
      defaultValue = "100",
      description = "Mean interactions per user of the synthetic data set.")
  private double syntheticInteractionsPerUser = 100;

  @Option(
      names = "--synthetic-seed",
      paramLabel = "<seed>",
      defaultValue = "42",
      description = "Seed of the synthetic data set (same seed, same data).")
  private long syntheticSeed = 42;

  /** Whether the data comes from the synthetic generator. */
  public boolean synthetic() {
    return data == null;
  }

  /**
   * Loads or generates the data set.
   *
   * @throws IOException if the directory cannot be read or holds malformed data (the message names
   *     the file and line)
   * @throws IllegalArgumentException if an option is invalid
   */
  public Dataset load() throws IOException {
    if (data == null) {
      return SyntheticData.generate(spec());
    }
    Path dir = data.toAbsolutePath().normalize();
    return "auto".equals(format) ? Datasets.load(dir) : Datasets.load(dir, DatasetFormat.fromId(format));
  }

  /** A short label for bundle version names: the data directory's name, or {@code synthetic}. */
  public String label() {
    return data == null ? "synthetic" : String.valueOf(data.toAbsolutePath().normalize().getFileName());
  }

  /** A description of the source, to compare with a bundle's manifest. */
  public String location() {
    return data == null ? spec().toString() : data.toAbsolutePath().normalize().toString();
  }

  private SyntheticSpec spec() {
    return SyntheticSpec.defaults()
        .withSeed(syntheticSeed)
        .withSize(syntheticUsers, syntheticItems, syntheticInteractionsPerUser);
  }
}
