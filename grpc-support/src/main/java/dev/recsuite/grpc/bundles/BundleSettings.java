package dev.recsuite.grpc.bundles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a tier finds its bundles and how it follows new ones.
 *
 * @param directory the root holding one directory per bundle version
 * @param pollInterval how often the root is checked for a newer version; zero turns hot swap off
 * @param retention how long a replaced version stays loaded for requests pinned to it
 */
public record BundleSettings(Path directory, Duration pollInterval, Duration retention) {

  /** Default {@link #directory()}, relative to the working directory. */
  public static final String DEFAULT_DIRECTORY = "bundles";
  /** Default {@link #pollInterval()}. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
  /** Default {@link #retention()}: long enough for every tier to load a new version. */
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);

  /**
   * @throws IllegalArgumentException naming a negative duration
   */
  public BundleSettings {
    Objects.requireNonNull(directory, "directory");
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("bundle-poll-interval: " + pollInterval + " (expected: >= 0)");
    }
    if (retention.isNegative()) {
      throw new IllegalArgumentException("bundle-retention: " + retention + " (expected: >= 0)");
    }
  }

  /** Settings for {@code directory} with the default poll interval and retention. */
  public static BundleSettings of(Path directory) {
    return new BundleSettings(directory, DEFAULT_POLL_INTERVAL, DEFAULT_RETENTION);
  }
}
