package dev.recsuite.feedback;

/**
 * The storage failed: the embedded database reported an I/O error, or Redis could not be reached
 * or answered with an error. The message names the store (path or Redis address).
 *
 * <p>When {@link FeedbackStore#append} throws it, the batch may or may not have been stored (a
 * timeout can fall after Redis applied it). Retrying the same events is safe: appends are
 * idempotent by event id, so an event already stored is answered {@link AppendOutcome#DUPLICATE}
 * and not counted twice. A service maps it to {@code UNAVAILABLE}.
 */
public final class FeedbackStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the store, and the underlying failure. */
  public FeedbackStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with a message naming the store. */
  public FeedbackStoreException(String message) {
    super(message);
  }
}
