package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import java.util.List;

/**
 * A ranking model: scores a batch of candidates for one user, sent as {@code RankCandidate}
 * messages or in columns ({@code CandidateColumns}). Implementations are immutable and safe for
 * concurrent use.
 */
public interface Ranker {

  /**
   * Scores every candidate with the features it carries ({@code features}; a candidate without
   * them scores as an unknown item); higher is better. The result has one finite score per
   * candidate, in candidate order.
   *
   * @throws NullPointerException if an argument is null
   */
  default float[] score(UserFeatures user, List<RankCandidate> candidates) {
    return score(user, candidates, StaticItemFeatures.empty());
  }

  /**
   * Scores every candidate; higher is better. A candidate with {@code features} is scored with
   * them; one without, with {@code items}' features of its {@code item_id} (the defaults with {@code
   * known = false} for an item the table does not know). The result has one finite score per
   * candidate, in candidate order.
   *
   * @throws NullPointerException if an argument is null
   */
  float[] score(UserFeatures user, List<RankCandidate> candidates, StaticItemFeatures items);

  /**
   * Scores candidates sent in columns; higher is better. Each {@code columns.items[i]} is a dense
   * id of {@code items} (its catalogue position) and is scored with that item's static features,
   * its sources being the entries of {@code columns.sources} that list {@code i} (the first entry
   * of a source wins; unknown sources are ignored); {@code columns.item_ids} is not read. The
   * result has one finite score per item, in {@code columns.items} order, the same bit for bit as
   * {@link #score(UserFeatures, List, StaticItemFeatures)} gives for the same candidates sent as
   * messages by external id without {@code features}.
   *
   * @throws IllegalArgumentException if an item is not in {@code 0 .. items.size())}, a column's
   *     {@code scores} or {@code ranks} are not as many as its {@code candidates}, or a column's
   *     candidate is not an index into {@code columns.items}
   * @throws NullPointerException if an argument is null
   */
  float[] score(UserFeatures user, CandidateColumns columns, StaticItemFeatures items);

  /**
   * The ranker for a stored model, chosen by {@link RankerModel#getKind()}: {@value
   * LinearRanker#KIND} ({@link LinearRanker}) or {@value FactorizationMachineRanker#KIND} ({@link
   * FactorizationMachineRanker}).
   *
   * @throws IllegalArgumentException if the kind is unknown or the model is inconsistent; the
   *     message names the offending field
   */
  static Ranker fromModel(RankerModel model) {
    return switch (model.getKind()) {
      case LinearRanker.KIND -> LinearRanker.fromModel(model);
      case FactorizationMachineRanker.KIND -> FactorizationMachineRanker.fromModel(model);
      default ->
          throw new IllegalArgumentException(
              "kind: '%s' (expected: '%s' or '%s')"
                  .formatted(model.getKind(), LinearRanker.KIND, FactorizationMachineRanker.KIND));
    };
  }
}
