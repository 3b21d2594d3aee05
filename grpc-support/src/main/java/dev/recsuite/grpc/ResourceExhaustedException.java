package dev.recsuite.grpc;

/**
 * This server is overloaded or a quota is used up (load shedding); the client may retry later with
 * backoff. Reaches the client as {@code RESOURCE_EXHAUSTED} with this exception's message as the
 * description.
 */
public final class ResourceExhaustedException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param message what is exhausted, e.g. {@code "128 calls in flight (limit: 128)"}; sent to the
   *     client
   */
  public ResourceExhaustedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause, kept for server-side diagnostics (debug log), never sent.
   *
   * @param message what is exhausted, e.g. {@code "128 calls in flight (limit: 128)"}; sent to the
   *     client
   * @param cause the underlying failure
   */
  public ResourceExhaustedException(String message, Throwable cause) {
    super(message, cause);
  }
}
