package dev.recsuite.feedback.internal;

/**
 * Exponentially decayed popularity kept as one (score, reference time) pair, so that it needs no
 * background job: {@code score} is the popularity at {@code refMillis}, and the popularity at any
 * time t is {@code score × 2^(−(t − refMillis) / halfLife)}. Adding an event of weight w at time
 * ts keeps it equal to Σ w·2^(−(t − ts)/halfLife) whatever the order events arrive in: a later
 * event moves the reference forward, an earlier one is added already decayed to the reference.
 * The Redis script computes the same formula in Lua.
 */
public record Popularity(double score, long refMillis) {

  private static final double LN2 = Math.log(2.0);

  /** No events yet. */
  public static final Popularity NONE = new Popularity(0.0, 0);

  /** This popularity with an event of {@code weight} at {@code timestampMillis} added. */
  public Popularity plus(double weight, long timestampMillis, long halfLifeMillis) {
    if (weight == 0.0) {
      return this;
    }
    if (refMillis == 0) {
      return new Popularity(weight, timestampMillis);
    }
    if (timestampMillis >= refMillis) {
      return new Popularity(
          score * decay(timestampMillis - refMillis, halfLifeMillis) + weight, timestampMillis);
    }
    return new Popularity(score + weight * decay(refMillis - timestampMillis, halfLifeMillis), refMillis);
  }

  /** The popularity at {@code nowMillis}. */
  public double at(long nowMillis, long halfLifeMillis) {
    return refMillis == 0 ? 0.0 : score * decay(nowMillis - refMillis, halfLifeMillis);
  }

  private static double decay(long elapsedMillis, long halfLifeMillis) {
    return Math.exp(-LN2 * elapsedMillis / halfLifeMillis);
  }
}
