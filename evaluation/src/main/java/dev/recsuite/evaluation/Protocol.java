package dev.recsuite.evaluation;

/** The two evaluation protocols of the harness. */
public enum Protocol {
  /**
   * Leave-last-out, full ranking: each user's latest interaction is the held-out item and a method
   * recommends from the whole catalogue minus the user's training history; lists are cut at
   * {@link #FULL_RANKING_LIST_LENGTH}.
   */
  FULL_RANKING("full", "leave-last-out, full ranking"),
  /**
   * Sampled, as in the Neural Collaborative Filtering paper (He et al., 2017): the held-out item is
   * ranked against (by default 99) items the user never interacted with, sampled uniformly or read
   * from a {@code test.negative} file; every candidate is ranked.
   */
  SAMPLED("sampled", "sampled (held-out item + unseen negatives, He et al. 2017)");

  /** Length of the lists asked for in the full-ranking protocol: the largest K of the metrics. */
  public static final int FULL_RANKING_LIST_LENGTH = 20;

  private final String id;
  private final String description;

  Protocol(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** Short id used in options and JSON: {@code full} or {@code sampled}. */
  public String id() {
    return id;
  }

  /** One-line human description. */
  public String description() {
    return description;
  }
}
