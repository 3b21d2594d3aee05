package dev.recsuite.feedback;

/** What {@link FeedbackStore#append} did with one event of a batch. */
public enum AppendOutcome {
  /** The event is new: it is now stored, durably, and counted in every aggregate. */
  STORED,
  /**
   * An event with the same id was stored before (by an earlier append, or earlier in the same
   * batch): nothing was written or counted for this one. The first event with an id wins, even if
   * a later one with that id differs in content.
   */
  DUPLICATE
}
