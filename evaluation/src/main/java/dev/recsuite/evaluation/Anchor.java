package dev.recsuite.evaluation;

import java.util.List;

/**
 * A published figure to compare with, printed beside the harness's own.
 *
 * @param dataset the data set it was measured on
 * @param method the method
 * @param hr10 HR@10
 * @param ndcg10 NDCG@10
 * @param source where it is published
 * @param approximate whether the figure is given as "about" (not a table entry)
 */
public record Anchor(String dataset, String method, double hr10, double ndcg10, String source, boolean approximate) {

  /**
   * The sampled-protocol anchors on MovieLens 1M: NeuMF and MLP as the Neural Collaborative
   * Filtering paper reports them (He et al., 2017), and a well-tuned dot-product matrix
   * factorisation, which Rendle et al. (2020) show reaches about the same as NeuMF (given here as
   * about 0.73 / 0.45, not as a table entry).
   */
  public static List<Anchor> ncfMovieLens1m() {
    return List.of(
        new Anchor("MovieLens 1M", "NeuMF", 0.726, 0.445, "He et al. 2017 (NCF)", false),
        new Anchor("MovieLens 1M", "MLP", 0.692, 0.425, "He et al. 2017 (NCF)", false),
        new Anchor("MovieLens 1M", "dot-product MF, tuned", 0.73, 0.45, "Rendle et al. 2020 (about)", true));
  }
}
