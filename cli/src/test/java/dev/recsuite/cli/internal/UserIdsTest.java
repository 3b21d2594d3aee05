package dev.recsuite.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserIdsTest {

  @TempDir Path dir;

  @Test
  void fromFile_skipsBlankLinesAndCommentsAndTrims() throws Exception {
    Path file = Files.writeString(dir.resolve("users.txt"), "# sampled\n 1\n\n42 \nu-7\n");

    assertThat(UserIds.fromFile(file)).containsExactly("1", "42", "u-7");
  }

  @Test
  void fromFile_idWithAControlCharacter_failsNamingFileAndLine() throws Exception {
    Path file = Files.writeString(dir.resolve("users.txt"), "1\nbad\u0007id\n");

    assertThatThrownBy(() -> UserIds.fromFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + ":2: user id");
  }

  @Test
  void fromFile_noIds_fails() throws Exception {
    Path file = Files.writeString(dir.resolve("users.txt"), "# nothing\n\n");

    assertThatThrownBy(() -> UserIds.fromFile(file)).hasMessageContaining("no user ids");
  }

  @Test
  void shuffled_sameSeed_sameOrder_andKeepsEveryId() {
    List<String> ids = List.of("1", "2", "3", "4", "5", "6", "7", "8");

    List<String> once = UserIds.shuffled(ids, 42);

    assertThat(once).isEqualTo(UserIds.shuffled(ids, 42)).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(once).isNotEqualTo(ids);
  }

  @Test
  void write_json_writesAGhzDataArrayThatReadsBackAsRequests() throws Exception {
    Path file = dir.resolve("users.json");

    UserIds.write(file, List.of("1", "say \"hi\""), 10);

    assertThat(Files.readString(file))
        .isEqualTo("[\n  {\"user_id\": \"1\", \"k\": 10},\n  {\"user_id\": \"say \\\"hi\\\"\", \"k\": 10}\n]\n");
  }

  @Test
  void write_text_roundTripsThroughFromFile() throws Exception {
    Path file = dir.resolve("users.txt");

    UserIds.write(file, List.of("3", "1", "2"), 10);

    assertThat(UserIds.fromFile(file)).containsExactly("3", "1", "2");
  }
}
