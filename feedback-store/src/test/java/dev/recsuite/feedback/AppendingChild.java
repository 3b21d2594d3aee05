package dev.recsuite.feedback;

import java.nio.file.Path;
import java.util.List;

/**
 * The process the kill tests kill: opens a store, appends events one at a time and prints {@code
 * ACK <eventId>} on stdout after each append returned, until it is killed (or after a bound, so
 * that a parent that died cannot leave it running for long).
 *
 * <pre>
 * AppendingChild embedded PATH
 * AppendingChild redis URI PREFIX
 * </pre>
 */
final class AppendingChild {

  static final String ACK = "ACK ";
  static final int USERS = 10;

  /** The id of the child's {@code i}-th event (0-based). */
  static String eventId(int i) {
    return "kill-" + i;
  }
  private static final int MAX_EVENTS = 200_000;

  private AppendingChild() {}

  public static void main(String[] args) {
    FeedbackStoreConfig config =
        switch (args[0]) {
          case "embedded" -> FeedbackStoreConfig.embedded(Path.of(args[1]));
          case "redis" -> FeedbackStoreConfig.redis(args[1]).withRedisKeyPrefix(args[2]);
          default -> throw new IllegalArgumentException("store: " + args[0] + " (expected: embedded or redis)");
        };
    // The store is deliberately never closed: the parent kills this process mid-append.
    FeedbackStore store = FeedbackStores.open(config);
    for (int i = 0; i < MAX_EVENTS; i++) {
      String eventId = eventId(i);
      store.append(List.of(FeedbackEvent.of(eventId, "u" + (i % USERS), "m" + (i % 50), EventType.CLICK, System.currentTimeMillis())));
      // stdout is this process's protocol with the parent test, not logging.
      System.out.println(ACK + eventId);
      System.out.flush();
    }
  }
}
