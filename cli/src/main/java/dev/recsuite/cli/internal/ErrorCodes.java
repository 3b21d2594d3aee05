package dev.recsuite.cli.internal;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Names a failed call for the error counts: its gRPC status code, else the exception's class. */
final class ErrorCodes {

  private ErrorCodes() {}

  /** {@code DEADLINE_EXCEEDED} for a gRPC failure with that status; {@code IllegalStateException} otherwise. */
  static String of(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    Status status = Status.fromThrowable(cause);
    // fromThrowable answers UNKNOWN for anything that carries no status: name the exception then.
    if (status.getCode() == Status.Code.UNKNOWN && status.getCause() == cause) {
      return cause.getClass().getSimpleName();
    }
    return status.getCode().name();
  }
}
