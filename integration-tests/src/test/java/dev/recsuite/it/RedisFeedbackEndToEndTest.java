package dev.recsuite.it;

import java.nio.file.Path;
import java.util.List;

/**
 * {@link FeedbackEndToEndTest} with the Redis store: {@link RedisServer#uri()} (skipped with a
 * message when no server answers, failed under {@code CI=true}), keys under a prefix of this run,
 * deleted afterwards.
 */
class RedisFeedbackEndToEndTest extends FeedbackEndToEndTest {

  private final String prefix = RedisServer.newPrefix();
  private String uri;

  @Override
  List<String> feedbackArgs(Path root) {
    uri = RedisServer.uri();
    return List.of("--feedback-store", "redis", "--redis-uri", uri, "--redis-key-prefix", prefix);
  }

  @Override
  void cleanUp() {
    if (uri != null) {
      RedisServer.deleteKeys(uri, prefix);
    }
  }
}
