package dev.recsuite.trainer.internal;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.FactorModel;
import dev.recsuite.recall.cf.ImplicitAls;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses ALS hyper-parameters on a validation split that never touches the test items: for each
 * point of a small grid it trains on the fit interactions and ranks every item the user has not
 * seen for each validation user, by the factor score; the point with the best NDCG@10 of the
 * validation item wins (ties: the earlier point of the grid).
 */
public final class AlsTuner {

  private static final Logger log = LoggerFactory.getLogger(AlsTuner.class);
  private static final int CUTOFF = 10;

  /**
   * One evaluated grid point.
   *
   * @param parameters the ALS parameters
   * @param ndcg NDCG@10 of the validation items
   * @param hitRate HR@10 of the validation items
   */
  public record Trial(AlsParameters parameters, double ndcg, double hitRate) {}

  /** The grid around {@code base}: factors × regularisation × alpha, other settings kept. */
  public static List<AlsParameters> grid(AlsParameters base) {
    List<AlsParameters> grid = new ArrayList<>();
    for (int factors : new int[] {32, 64, 128}) {
      for (double regularization : new double[] {0.1, 1, 10}) {
        for (double alpha : new double[] {1, 2, 5}) {
          grid.add(base.withFactors(factors).withRegularization(regularization).withAlpha(alpha));
        }
      }
    }
    return grid;
  }

  /** Evaluates every point and returns the trials, best first. */
  public List<Trial> tune(Dataset fit, Interactions validation, List<AlsParameters> grid) {
    List<Trial> trials = new ArrayList<>();
    for (int i = 0; i < grid.size(); i++) {
      AlsParameters parameters = grid.get(i);
      Trial trial = evaluate(fit, validation, parameters);
      trials.add(trial);
      log.info(
          "tune ALS {}/{}: factors {}, lambda {}, alpha {} -> NDCG@10 {}, HR@10 {}",
          i + 1, grid.size(), parameters.factors(), parameters.regularization(), parameters.alpha(),
          fmt(trial.ndcg()), fmt(trial.hitRate()));
    }
    List<Trial> ranked = new ArrayList<>(trials);
    // Stable sort: among equal scores the earlier grid point stays first.
    ranked.sort(Comparator.comparingDouble(Trial::ndcg).reversed());
    return ranked;
  }

  /** Trains with {@code parameters} on {@code fit} and measures the validation items. */
  public Trial evaluate(Dataset fit, Interactions validation, AlsParameters parameters) {
    Interactions history = fit.interactions();
    int items = fit.items().size();
    FactorModel model = ImplicitAls.train(history, items, parameters);
    double ndcg = 0;
    double hits = 0;
    BitSet seen = new BitSet(items);
    float[] scores = new float[items];
    for (int row = 0; row < validation.size(); row++) {
      int user = validation.user(row);
      int target = validation.item(row);
      seen.clear();
      for (int i = history.start(user); i < history.end(user); i++) {
        seen.set(history.item(i));
      }
      float[] vector = model.userVector(user);
      for (int item = 0; item < items; item++) {
        scores[item] = model.score(vector, item);
      }
      float targetScore = scores[target];
      int position = 0;
      for (int item = 0; item < items && position < CUTOFF; item++) {
        // Ties count against the target, so a degenerate model cannot look good.
        if (item != target && !seen.get(item) && scores[item] >= targetScore) {
          position++;
        }
      }
      if (position < CUTOFF) {
        hits++;
        ndcg += 1 / (Math.log(position + 2) / Math.log(2));
      }
    }
    int n = Math.max(1, validation.size());
    return new Trial(parameters, ndcg / n, hits / n);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
