package dev.recsuite.recall.internal;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.UserFolder;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vector the COLLABORATIVE source searches with:
 *
 * <ul>
 *   <li>a known user with a trained vector and no request recent items: the trained vector;
 *   <li>otherwise the exact least-squares fold-in ({@link UserFolder}) of the user's most recent
 *       {@code foldInItems} interactions: the request's recent items first (one event each), then
 *       the training events from the latest back. For a known user whose request names no recent
 *       item (only when the model has no user vectors) that is the training history alone; for an
 *       unknown user, the request's recent items alone;
 *   <li>no vector when there are no item factors or nothing to fold in.
 * </ul>
 *
 * Immutable and thread-safe; the folder's {@code YᵀY + λI} is computed once.
 */
public final class UserVectors {

  private static final Logger log = LoggerFactory.getLogger(UserVectors.class);

  private final Factors factors;
  private final UserFolder folder;
  private final Interactions history;
  private final int foldInItems;

  private UserVectors(Factors factors, UserFolder folder, Interactions history, int foldInItems) {
    this.factors = factors;
    this.folder = folder;
    this.history = history;
    this.foldInItems = foldInItems;
  }

  /**
   * @param factors the factors; without item vectors no user gets a vector
   * @param parameters regularisation and confidence to fold in with (the model's)
   * @param history the training interactions, sorted by user then time
   * @param foldInItems most recent interactions folded in, {@code > 0}
   */
  public static UserVectors of(
      Factors factors, AlsParameters parameters, Interactions history, int foldInItems) {
    UserFolder folder = factors.hasItemVectors() ? factors.folder(parameters) : null;
    return new UserVectors(factors, folder, history, foldInItems);
  }

  /**
   * The fold-in parameters of a bundle's {@code cf.pb}: its regularisation and alpha with {@code
   * scaling}. A model without a regularisation (written before it was recorded, or by hand) folds
   * in with the {@link AlsParameters#defaults() ALS defaults}, with a warning.
   *
   * @throws IllegalArgumentException if the alpha is negative or not finite, or the regularisation
   *     is not finite
   */
  public static AlsParameters foldInParameters(FactorModel cf, AlsParameters.ConfidenceScaling scaling) {
    AlsParameters defaults = AlsParameters.defaults().withScaling(scaling);
    if (cf.getFactors() == 0) {
      return defaults;
    }
    float regularization = cf.getRegularization();
    if (regularization == 0) {
      log.warn(
          "cf factors carry no regularization: folding in with the ALS defaults (regularization {}, alpha {})",
          defaults.regularization(),
          defaults.alpha());
      return defaults;
    }
    if (!(regularization > 0) || !Float.isFinite(regularization)) {
      throw new IllegalArgumentException(
          "cf regularization: " + regularization + " (expected: finite and > 0)");
    }
    float alpha = cf.getAlpha();
    if (!(alpha >= 0) || !Float.isFinite(alpha)) {
      throw new IllegalArgumentException("cf alpha: " + alpha + " (expected: finite and >= 0)");
    }
    return defaults.withRegularization(regularization).withAlpha(alpha);
  }

  /**
   * The search vector of {@code user} ({@code -1} when unknown) given the request's known recent
   * items (most recent first), or {@code null} when there is none.
   */
  public float[] vector(int user, int[] requestRecent) {
    if (folder == null) {
      return null;
    }
    boolean trained = user >= 0 && factors.hasUserVectors();
    if (trained && requestRecent.length == 0) {
      return factors.userVector(user);
    }
    int[] items = recentEvents(user, requestRecent);
    if (items.length == 0) {
      return null;
    }
    return folder.foldIn(items);
  }

  /** The user's most recent interactions (request first), at most {@code foldInItems}. */
  int[] recentEvents(int user, int[] requestRecent) {
    int fromRequest = Math.min(requestRecent.length, foldInItems);
    int fromHistory =
        user < 0 ? 0 : Math.min(history.countOf(user), foldInItems - fromRequest);
    int[] items = Arrays.copyOf(requestRecent, fromRequest + fromHistory);
    int end = user < 0 ? 0 : history.end(user);
    for (int i = 0; i < fromHistory; i++) {
      items[fromRequest + i] = history.item(end - 1 - i);
    }
    return items;
  }
}
