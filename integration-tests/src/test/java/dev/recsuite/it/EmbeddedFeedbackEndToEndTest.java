package dev.recsuite.it;

import java.nio.file.Path;
import java.util.List;

/** {@link FeedbackEndToEndTest} with the embedded (RocksDB) store in a temporary directory. */
class EmbeddedFeedbackEndToEndTest extends FeedbackEndToEndTest {

  @Override
  List<String> feedbackArgs(Path root) {
    return List.of("--feedback-store", "embedded", "--feedback-dir", root.resolve("feedback").toString());
  }
}
