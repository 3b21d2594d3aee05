package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.InvalidBundleException;
import java.util.Objects;

/**
 * A ranker together with the version of the bundle it came from, which every answer reports.
 *
 * @param version the bundle version, e.g. {@code 20261130-103400-ml-100k}
 * @param ranker the model
 */
public record ServingModel(String version, Ranker ranker) {

  /**
   * @throws NullPointerException if an argument is null
   */
  public ServingModel {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ranker, "ranker");
  }

  /**
   * Loads the ranking model ({@value BundleFiles#RANKER}) of a verified bundle.
   *
   * @throws InvalidBundleException if the bundle has no ranker, it does not parse, or it is not a
   *     model this service can serve (the message names the bundle, the file and the problem)
   */
  public static ServingModel load(Bundle bundle) {
    RankerModel model = bundle.read(BundleFiles.RANKER, RankerModel.parser());
    try {
      return new ServingModel(bundle.version(), Ranker.fromModel(model));
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(
          "bundle %s: %s: %s".formatted(bundle.directory(), BundleFiles.RANKER, e.getMessage()), e);
    }
  }
}
