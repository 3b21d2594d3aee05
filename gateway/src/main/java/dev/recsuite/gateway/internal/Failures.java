package dev.recsuite.gateway.internal;

import io.grpc.Status;

/**
 * How the gateway reads a downstream status: whether it is the tier's failure (for the circuit
 * breaker and outlier ejection) and whether another attempt, on another replica, may help.
 */
final class Failures {

  private Failures() {}

  /**
   * Whether a call that ended with {@code error} counts as a failure of the tier. A {@code
   * CANCELLED} reaching here was not the gateway's doing (its own cancellations are filtered out
   * before): the replica went away mid-call. {@code INVALID_ARGUMENT}, {@code NOT_FOUND} and the
   * like mean the tier answered.
   */
  static boolean isFailure(Throwable error) {
    return switch (Status.fromThrowable(error).getCode()) {
      case UNAVAILABLE,
          DEADLINE_EXCEEDED,
          RESOURCE_EXHAUSTED,
          INTERNAL,
          UNKNOWN,
          DATA_LOSS,
          UNIMPLEMENTED,
          CANCELLED -> true;
      default -> false;
    };
  }

  /**
   * Whether another attempt may succeed where this one failed: {@code UNAVAILABLE} (the replica is
   * gone or unreachable), {@code RESOURCE_EXHAUSTED} (it shed the call), a {@code CANCELLED} the
   * gateway did not ask for (it went away mid-call), and on a call pinned to a bundle version
   * {@code NOT_FOUND} (that replica has not loaded the version yet). Never {@code
   * DEADLINE_EXCEEDED}: the hop's time is spent.
   */
  static boolean isRetryable(Throwable error, boolean pinned) {
    return switch (Status.fromThrowable(error).getCode()) {
      case UNAVAILABLE, RESOURCE_EXHAUSTED, CANCELLED -> true;
      case NOT_FOUND -> pinned;
      default -> false;
    };
  }
}
