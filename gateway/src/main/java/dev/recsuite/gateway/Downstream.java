package dev.recsuite.gateway;

/** The internal tiers the gateway calls, each with its own resilience policy. */
public enum Downstream {
  /** {@code RecallService/Recall}. */
  RECALL("recall"),
  /** {@code FeatureService/GetUserFeatures} and {@code GetItemFeatures}. */
  FEATURES("features"),
  /** {@code RankingService/Rank}. */
  RANKING("ranking"),
  /**
   * {@code FeatureService/RecordEvents}: feedback writes, with a breaker and bulkhead of their own
   * so that a slow or failing feedback store never degrades recommendations, and the other way
   * round.
   */
  FEEDBACK("feedback");

  private final String label;

  Downstream(String label) {
    this.label = label;
  }

  /** The lower-case name used in logs, metrics and status descriptions, e.g. {@code recall}. */
  public String label() {
    return label;
  }
}
