package dev.recsuite.feedback;

import java.util.OptionalInt;

/**
 * A feedback event, a batch or a lookup argument is invalid. The message names the field, and for
 * an event in a batch its index, then the problem with the offending value:
 *
 * <pre>
 * batch[3].timestampMillis: 1800000600000 (2027-01-15T08:10:00Z) is 600000 ms ahead of the store's clock ... (expected: at most 300000 ms ahead)
 * userId: must not be empty
 * batch: 1001 events (expected: at most 1000)
 * </pre>
 *
 * <p>Nothing was written when a store throws it: a batch is validated whole before any write. A
 * service maps it to {@code INVALID_ARGUMENT}.
 */
public final class InvalidFeedbackException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;
  private final int index;

  /**
   * Creates the exception for a field outside a batch.
   *
   * @param field the field, as named in {@link FeedbackEvent} or the method's parameter
   * @param problem what is wrong, showing the offending value
   */
  public InvalidFeedbackException(String field, String problem) {
    this(-1, field, problem);
  }

  /**
   * Creates the exception for a field of the event at {@code index} of a batch.
   *
   * @param index the event's position in the batch, or -1 when the problem is not one event's
   * @param field the field; the message shows {@code batch[index].field}
   * @param problem what is wrong, showing the offending value
   */
  public InvalidFeedbackException(int index, String field, String problem) {
    super((index >= 0 ? "batch[" + index + "]" + (field.isEmpty() ? "" : ".") : "")
        + field + ": " + problem);
    this.field = field;
    this.problem = problem;
    this.index = index;
  }

  /** The invalid field, without the batch index: {@code timestampMillis}, {@code userId}. */
  public String field() {
    return field;
  }

  /** What is wrong, without the field. */
  public String problem() {
    return problem;
  }

  /** The position of the invalid event in its batch, when the problem is one event's. */
  public OptionalInt index() {
    return index >= 0 ? OptionalInt.of(index) : OptionalInt.empty();
  }
}
