package dev.recsuite.grpc;

/**
 * A requested entity does not exist and the client should not retry as is, e.g. an unknown bundle
 * version. Reaches the client as {@code NOT_FOUND} with this exception's message as the
 * description.
 */
public final class NotFoundException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param message the missing entity, e.g. {@code "bundle version v7 not found"}; sent to the
   *     client
   */
  public NotFoundException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause, kept for server-side diagnostics (debug log), never sent.
   *
   * @param message the missing entity, e.g. {@code "bundle version v7 not found"}; sent to the
   *     client
   * @param cause the underlying failure
   */
  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
