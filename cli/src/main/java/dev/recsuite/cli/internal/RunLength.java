package dev.recsuite.cli.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a load run lasts: a number of requests, or a wall-clock duration.
 *
 * @param requests the number of requests, or 0 when the run is timed
 * @param duration how long requests are started, or {@link Duration#ZERO} when the run is counted
 */
public record RunLength(long requests, Duration duration) {

  /**
   * @throws IllegalArgumentException unless exactly one of the two is positive
   */
  public RunLength {
    Objects.requireNonNull(duration, "duration");
    if ((requests > 0) == (duration.compareTo(Duration.ZERO) > 0)) {
      throw new IllegalArgumentException(
          "run length: " + requests + " requests, " + duration + " (expected: a positive count or a positive duration)");
    }
    if (requests < 0) {
      throw new IllegalArgumentException("requests: " + requests + " (expected: > 0)");
    }
  }

  /**
   * A run of {@code requests} requests.
   *
   * @throws IllegalArgumentException if {@code requests} is not positive
   */
  public static RunLength requests(long requests) {
    return new RunLength(requests, Duration.ZERO);
  }

  /**
   * A run that starts requests for {@code duration}.
   *
   * @throws IllegalArgumentException if {@code duration} is not positive
   */
  public static RunLength duration(Duration duration) {
    return new RunLength(0, duration);
  }

  /** Whether the run lasts a duration rather than a number of requests. */
  public boolean timed() {
    return requests == 0;
  }

  /** The requests an open-loop run at {@code ratePerSecond} sends: the count, or rate × duration. */
  public long requestsAt(double ratePerSecond) {
    return timed() ? OpenLoopSchedule.requestsIn(ratePerSecond, duration.toNanos() / 1e9) : requests;
  }

  @Override
  public String toString() {
    return timed() ? "for " + duration.toMillis() / 1000.0 + " s" : requests + " requests";
  }
}
