package dev.recsuite.feedback;

import dev.recsuite.feedback.internal.Text;
import java.util.Locale;

/** Which implementation of {@link FeedbackStore} to open. */
public enum StoreType {
  /** An embedded RocksDB database in a local directory: one process, no server. The default. */
  EMBEDDED,
  /** A Redis server shared by several replicas. */
  REDIS;

  /**
   * Parses {@code embedded} or {@code redis}, ignoring case.
   *
   * @throws IllegalArgumentException naming the value otherwise
   */
  public static StoreType parse(String name) {
    for (StoreType type : values()) {
      if (type.name().equalsIgnoreCase(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "type: " + (name == null ? "null" : Text.quote(name)) + " (expected: embedded or redis)");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
