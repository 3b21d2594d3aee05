package dev.recsuite.grpc;

import java.util.Objects;

/**
 * A request field is invalid; the client must change the request. Reaches the client as {@code
 * INVALID_ARGUMENT} with the description {@code "<field>: <problem>"}, e.g. {@code "k: 0 (expected:
 * 1..100)"}.
 *
 * <p>Name the field as in the proto (snake_case), with an index for repeated fields: {@code
 * exclude_item_ids[3]}. {@link RequestValidation} throws it for the common checks.
 */
public final class InvalidArgumentException extends RuntimeException {

  private final String field;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param field the proto field name, e.g. {@code user_id} or {@code exclude_item_ids[3]}
   * @param problem what is wrong, showing the offending value, e.g. {@code "0 (expected: 1..100)"}
   */
  public InvalidArgumentException(String field, String problem) {
    super(
        Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(problem, "problem"));
    this.field = field;
    this.problem = problem;
  }

  /** Returns the proto field name, e.g. {@code user_id}. */
  public String field() {
    return field;
  }

  /** Returns what is wrong with the field. */
  public String problem() {
    return problem;
  }
}
