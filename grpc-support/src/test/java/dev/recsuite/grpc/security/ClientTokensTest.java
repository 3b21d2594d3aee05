package dev.recsuite.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The token file format: what it accepts, how it names a bad line, and token matching. */
class ClientTokensTest {

  private static final Path FILE = Path.of("/etc/recsuite/tokens");

  @Test
  void authenticate_knownToken_namesItsClient_andUnknownTokenNoOne() {
    ClientTokens tokens =
        ClientTokens.parse(
            FILE,
            "# comment\n\n" + ClientTokens.line("web-frontend", "s3cret-web") + "\n"
                + ClientTokens.line("batch-eval", "s3cret-batch") + "\r\n");

    assertThat(tokens.authenticate("s3cret-web")).contains("web-frontend");
    assertThat(tokens.authenticate("s3cret-batch")).contains("batch-eval");
    assertThat(tokens.authenticate("s3cret-web ")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.clients()).containsExactly("batch-eval", "web-frontend");
  }

  @Test
  void line_isTheSha256OfTheToken_asSha256sumPrintsIt() {
    // printf %s test | sha256sum
    assertThat(ClientTokens.line("ops", "test"))
        .isEqualTo("ops sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  }

  @Test
  void parse_upperCaseHexAndTwoTokensOfOneClient_bothAccepted() {
    String upper = "ops sha256:" + ClientTokens.line("ops", "old").substring("ops sha256:".length()).toUpperCase();
    ClientTokens tokens = ClientTokens.parse(FILE, upper + "\n" + ClientTokens.line("ops", "new"));

    assertThat(tokens.authenticate("old")).contains("ops");
    assertThat(tokens.authenticate("new")).contains("ops");
    assertThat(tokens.size()).isEqualTo(2);
  }

  @Test
  void parse_plaintextTokenInsteadOfHash_failsNamingFileAndLineWithoutEchoingIt() {
    String text = ClientTokens.line("ops", "a") + "\n# rotated\nweb-frontend hunter2-plaintext\n";

    assertThatThrownBy(() -> ClientTokens.parse(FILE, text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("client-tokens /etc/recsuite/tokens line 3: not a SHA-256 hash for client web-frontend")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void parse_lineWithThreeFields_failsNamingTheLine() {
    assertThatThrownBy(() -> ClientTokens.parse(FILE, "web frontend sha256:00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("client-tokens /etc/recsuite/tokens line 1: 3 fields");
  }

  @Test
  void parse_reservedOrBadName_fails() {
    String hash = ClientTokens.line("x", "t").substring(2);

    assertThatThrownBy(() -> ClientTokens.parse(FILE, "anonymous " + hash))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1: client name \"anonymous\" is reserved");
    assertThatThrownBy(() -> ClientTokens.parse(FILE, "-ops " + hash))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1: client name \"-ops\"");
  }

  @Test
  void parse_sameHashTwice_failsNamingBothLines() {
    String text = ClientTokens.line("a", "same") + "\n" + ClientTokens.line("b", "same");

    assertThatThrownBy(() -> ClientTokens.parse(FILE, text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("client-tokens /etc/recsuite/tokens line 2: the same hash as line 1");
  }

  @Test
  void parse_noToken_fails() {
    assertThatThrownBy(() -> ClientTokens.parse(FILE, "# nothing yet\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("client-tokens /etc/recsuite/tokens: no token");
  }

  @Test
  void read_missingFile_failsNamingIt(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path missing = dir.resolve("tokens");

    assertThatThrownBy(() -> ClientTokens.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client-tokens " + missing + ": no such file");
  }
}
