package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.InvalidBundleException;
import java.util.Objects;

/**
 * A ranker together with the version of the bundle it came from, which every answer reports, and
 * that bundle's static item features, which score candidates sent without features and describe
 * the top items of an answer. All three load, and are dropped, together.
 *
 * @param version the bundle version, e.g. {@code 20261130-103400-ml-100k}
 * @param ranker the model
 * @param items the bundle's static item features
 */
public record ServingModel(String version, Ranker ranker, StaticItemFeatures items) {

  /**
   * @throws NullPointerException if an argument is null
   */
  public ServingModel {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ranker, "ranker");
    Objects.requireNonNull(items, "items");
  }

  /**
   * A model without item features ({@link StaticItemFeatures#empty()}): candidates sent without
   * features score as unknown items.
   *
   * @throws NullPointerException if an argument is null
   */
  public ServingModel(String version, Ranker ranker) {
    this(version, ranker, StaticItemFeatures.empty());
  }

  /**
   * Loads the ranking model ({@value BundleFiles#RANKER}) and the static item features ({@link
   * StaticItemFeatures#load}) of a verified bundle.
   *
   * @throws InvalidBundleException if the bundle has no ranker, it does not parse, or it is not a
   *     model this service can serve; or if the item features do not load (see {@link
   *     StaticItemFeatures#load}). The message names the bundle, the file and the problem.
   */
  public static ServingModel load(Bundle bundle) {
    RankerModel model = bundle.read(BundleFiles.RANKER, RankerModel.parser());
    Ranker ranker;
    try {
      ranker = Ranker.fromModel(model);
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(
          "bundle %s: %s: %s".formatted(bundle.directory(), BundleFiles.RANKER, e.getMessage()), e);
    }
    return new ServingModel(bundle.version(), ranker, StaticItemFeatures.load(bundle));
  }
}
