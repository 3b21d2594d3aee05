package dev.recsuite.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract on the embedded RocksDB store, plus what only it has: a directory and its lock. */
class EmbeddedFeedbackStoreTest extends FeedbackStoreContractTest {

  @Override
  FeedbackStoreConfig config() {
    return FeedbackStoreConfig.embedded(tempDir.resolve("feedback"));
  }

  @Override
  List<String> childArguments(FeedbackStoreConfig config) {
    return List.of("embedded", config.path().toString());
  }

  @Test
  void open_missingDirectory_createsIt() {
    Path path = tempDir.resolve("a/b/c");

    open(FeedbackStoreConfig.embedded(path));

    assertThat(Files.isDirectory(path)).isTrue();
  }

  @Test
  void open_directoryInUseByAnotherStore_failsNamingThePath() {
    FeedbackStoreConfig config = config();
    open(config);

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(FeedbackStoreException.class)
        .hasMessageStartingWith("cannot open the embedded feedback store at " + config.path().toAbsolutePath())
        .hasMessageContaining("lock");
  }

  @Test
  void open_pathIsAFile_failsNamingThePath() throws Exception {
    Path file = Files.writeString(tempDir.resolve("plain-file"), "x");

    assertThatThrownBy(() -> open(FeedbackStoreConfig.embedded(file)))
        .isInstanceOf(FeedbackStoreException.class)
        .hasMessageContaining(file.toString());
  }
}
