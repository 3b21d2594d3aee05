package dev.recsuite.ranking.internal;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.ranking.RankingFeatures;
import java.util.List;

/**
 * The load-time checks every {@link RankerModel} kind shares: feature names, per-feature lengths,
 * finite values and positive scales. Each failure is an {@link IllegalArgumentException} whose
 * message names the field (and the feature) at fault.
 */
public final class ModelChecks {

  private ModelChecks() {}

  /**
   * Checks what every kind stores the same way: the kind, the feature names ({@link
   * RankingFeatures#names()}), one weight, mean and scale per feature, a finite bias and weights, finite
   * means and finite positive scales.
   *
   * @throws IllegalArgumentException naming the first bad field
   */
  public static void checkCommon(RankerModel model, String expectedKind) {
    if (!expectedKind.equals(model.getKind())) {
      throw new IllegalArgumentException(
          "kind: '%s' (expected: '%s')".formatted(model.getKind(), expectedKind));
    }
    checkFeatureNames(model.getFeatureNamesList());
    int n = RankingFeatures.SIZE;
    checkLength("weights", model.getWeightsCount(), n);
    checkLength("feature_means", model.getFeatureMeansCount(), n);
    checkLength("feature_scales", model.getFeatureScalesCount(), n);
    if (!Float.isFinite(model.getBias())) {
      throw new IllegalArgumentException("bias: " + model.getBias() + " (expected: finite)");
    }
    for (int j = 0; j < n; j++) {
      checkFinite("weights", j, model.getWeights(j));
      checkFinite("feature_means", j, model.getFeatureMeans(j));
      float scale = model.getFeatureScales(j);
      if (!Float.isFinite(scale) || scale <= 0f) {
        throw new IllegalArgumentException(
            "feature_scales[%d] (%s): %s (expected: finite and > 0)"
                .formatted(j, RankingFeatures.names().get(j), scale));
      }
    }
  }

  private static void checkFeatureNames(List<String> actual) {
    List<String> expected = RankingFeatures.names();
    int common = Math.min(actual.size(), expected.size());
    for (int j = 0; j < common; j++) {
      if (!actual.get(j).equals(expected.get(j))) {
        throw new IllegalArgumentException(
            ("feature_names[%d]: '%s' (expected: '%s'; the model was trained on other features"
                    + " than this service computes)")
                .formatted(j, actual.get(j), expected.get(j)));
      }
    }
    if (actual.size() < expected.size()) {
      throw new IllegalArgumentException(
          "feature_names: %d names, missing '%s' at [%d] (expected: %d names)"
              .formatted(actual.size(), expected.get(common), common, expected.size()));
    }
    if (actual.size() > expected.size()) {
      throw new IllegalArgumentException(
          "feature_names: %d names, unexpected '%s' at [%d] (expected: %d names)"
              .formatted(actual.size(), actual.get(common), common, expected.size()));
    }
  }

  private static void checkLength(String field, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          "%s: %d values (expected: %d, one per feature)".formatted(field, actual, expected));
    }
  }

  private static void checkFinite(String field, int j, float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(
          "%s[%d] (%s): %s (expected: finite)"
              .formatted(field, j, RankingFeatures.names().get(j), value));
    }
  }
}
