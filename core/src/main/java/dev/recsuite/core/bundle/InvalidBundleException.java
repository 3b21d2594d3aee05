package dev.recsuite.core.bundle;

/** A model bundle is missing, incomplete, corrupt or of an unknown format; the message says which. */
public final class InvalidBundleException extends RuntimeException {

  public InvalidBundleException(String message) {
    super(message);
  }

  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
