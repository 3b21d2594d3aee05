package dev.recsuite.grpc.bundles;

import dev.recsuite.grpc.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The bundle options every tier shares, as a picocli mixin: {@code --bundle-dir}, {@code
 * --bundle-poll-interval} and {@code --bundle-retention}.
 */
public final class BundleOptions {

  @Option(
      names = "--bundle-dir",
      paramLabel = "<dir>",
      defaultValue = BundleSettings.DEFAULT_DIRECTORY,
      description = "Bundle root holding one directory per version; the newest is served.")
  private Path directory = Path.of(BundleSettings.DEFAULT_DIRECTORY);

  @Option(
      names = "--bundle-poll-interval",
      paramLabel = "<duration>",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How often the bundle root is checked for a newer version (hot swap); 0 turns it off.")
  private Duration pollInterval = BundleSettings.DEFAULT_POLL_INTERVAL;

  @Option(
      names = "--bundle-retention",
      paramLabel = "<duration>",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "How long a replaced bundle version stays loaded for requests pinned to it.")
  private Duration retention = BundleSettings.DEFAULT_RETENTION;

  /**
   * The parsed options.
   *
   * @throws IllegalArgumentException naming a negative duration
   */
  public BundleSettings toSettings() {
    return new BundleSettings(directory, pollInterval, retention);
  }
}
