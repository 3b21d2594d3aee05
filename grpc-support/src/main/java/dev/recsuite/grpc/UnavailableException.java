package dev.recsuite.grpc;

/**
 * The service cannot answer now but may soon (no model loaded yet, a dependency is down); safe for
 * the client to retry. Reaches the client as {@code UNAVAILABLE} with this exception's message as
 * the description.
 */
public final class UnavailableException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param message why, e.g. {@code "no model bundle loaded yet"}; sent to the client
   */
  public UnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause, kept for server-side diagnostics (debug log), never sent.
   *
   * @param message why, e.g. {@code "no model bundle loaded yet"}; sent to the client
   * @param cause the underlying failure
   */
  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
