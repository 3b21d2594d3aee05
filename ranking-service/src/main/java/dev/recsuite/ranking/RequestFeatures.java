package dev.recsuite.ranking;

import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import java.util.List;
import java.util.Objects;

/**
 * The {@link RankingFeatures} of one request's candidates sent as {@code RankCandidate} messages,
 * each scored with its own {@code features} when it carries them, else with its item's static
 * features from the bundle ({@link StaticItemFeatures}). The user's part is resolved once
 * per request and a bundle item's part was computed when its bundle version loaded ({@link
 * StaticItemFeatures}), so a candidate sent without features costs one map lookup by id; the values
 * are the ones {@link RankingFeatures#extract(UserFeatures, dev.recsuite.feature.v1.ItemFeatures,
 * java.util.List, float[])} computes, bit for bit. Not thread-safe: one per request.
 */
final class RequestFeatures implements CandidateBatch {

  private final UserFeatures user;
  private final List<RankCandidate> candidates;
  private final StaticItemFeatures items;
  private final RankingFeatures.RequestUser requestUser;

  /**
   * @throws NullPointerException if an argument is null
   */
  RequestFeatures(UserFeatures user, List<RankCandidate> candidates, StaticItemFeatures items) {
    this.user = Objects.requireNonNull(user, "user");
    this.candidates = Objects.requireNonNull(candidates, "candidates");
    this.items = Objects.requireNonNull(items, "items");
    this.requestUser = items.requestUser(user);
  }

  @Override
  public int size() {
    return candidates.size();
  }

  @Override
  public void extract(int candidate, float[] out) {
    extract(candidates.get(candidate), out);
  }

  /** Writes {@code candidate}'s features into {@code out[0 .. RankingFeatures.SIZE)}. */
  void extract(RankCandidate candidate, float[] out) {
    if (candidate.hasFeatures()) {
      RankingFeatures.extract(user, candidate.getFeatures(), candidate.getSourcesList(), out);
    } else {
      RankingFeatures.extract(requestUser, items.features(candidate.getItemId()), candidate.getSourcesList(), out);
    }
  }
}
