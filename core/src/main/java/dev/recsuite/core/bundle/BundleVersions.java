package dev.recsuite.core.bundle;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Bundle version names: {@code yyyyMMdd-HHmmss-<label>} in UTC, so that lexical order is creation
 * order for bundles of one trainer.
 */
public final class BundleVersions {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Pattern VALID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,99}");

  private BundleVersions() {}

  /**
   * A new version name stamped with {@code clock}'s current time.
   *
   * @param label short description of the data, e.g. {@code ml-100k}; sanitised to {@code [a-z0-9-]}
   */
  public static String next(Clock clock, String label) {
    String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    String stamp = STAMP.format(clock.instant());
    return clean.isEmpty() ? stamp : stamp + "-" + (clean.length() > 40 ? clean.substring(0, 40) : clean);
  }

  /**
   * Checks that {@code version} is a safe directory name.
   *
   * @throws IllegalArgumentException naming the bad value otherwise
   */
  public static String requireValid(String version) {
    if (version == null || !VALID.matcher(version).matches()) {
      throw new IllegalArgumentException(
          "version: '" + version + "' (expected: 1-100 of [0-9A-Za-z._-], not starting with '.', '_' or '-')");
    }
    return version;
  }
}
