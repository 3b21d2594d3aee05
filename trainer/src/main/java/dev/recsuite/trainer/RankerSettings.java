package dev.recsuite.trainer;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.ranking.FactorizationMachineTrainer;
import dev.recsuite.ranking.LogisticRankerTrainer;
import dev.recsuite.ranking.TrainingSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which ranking model the trainer fits and with what parameters.
 *
 * @param kind the model
 * @param logistic parameters of the logistic model
 * @param fm parameters of the factorisation machine
 */
public record RankerSettings(
    Kind kind, LogisticRankerTrainer.Parameters logistic, FactorizationMachineTrainer.Parameters fm) {

  /** A ranking model. */
  public enum Kind {
    /** Logistic regression over the ranking features. */
    LOGISTIC,
    /** Second-order factorisation machine over the ranking features (the default). */
    FM;

    /** The name used on the command line and in manifests. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RankerSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(logistic, "logistic");
    Objects.requireNonNull(fm, "fm");
  }

  /** The factorisation machine with its defaults. */
  public static RankerSettings defaults() {
    return new RankerSettings(
        Kind.FM, LogisticRankerTrainer.Parameters.defaults(), FactorizationMachineTrainer.Parameters.defaults());
  }

  /** These settings with another model kind. */
  public RankerSettings withKind(Kind newKind) {
    return new RankerSettings(newKind, logistic, fm);
  }

  /**
   * Fits the chosen model.
   *
   * @throws IllegalArgumentException if the examples lack positives or negatives
   */
  public RankerModel fit(TrainingSet examples) {
    return switch (kind) {
      case LOGISTIC -> new LogisticRankerTrainer(logistic).fit(examples).model();
      case FM -> new FactorizationMachineTrainer(fm).fit(examples).model();
    };
  }

  /** The parameters of the chosen model, by dotted name, for the manifest. */
  public Map<String, String> parameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("ranker.kind", kind.id());
    switch (kind) {
      case LOGISTIC -> parameters.put("ranker.l2", Double.toString(logistic.l2()));
      case FM -> {
        parameters.put("ranker.fm.loss", fm.loss().name().toLowerCase(Locale.ROOT));
        parameters.put("ranker.fm.factors", Integer.toString(fm.factors()));
        parameters.put("ranker.fm.learning_rate", Double.toString(fm.learningRate()));
        parameters.put("ranker.fm.l2_weights", Double.toString(fm.l2Weights()));
        parameters.put("ranker.fm.l2_factors", Double.toString(fm.l2Factors()));
        parameters.put("ranker.fm.max_epochs", Integer.toString(fm.maxEpochs()));
        parameters.put("ranker.fm.seed", Long.toString(fm.seed()));
      }
    }
    return parameters;
  }
}
