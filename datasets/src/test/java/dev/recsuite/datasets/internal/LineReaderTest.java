package dev.recsuite.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.datasets.internal.LineReader.Decoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {

  @TempDir Path tmp;

  @Test
  void next_mixedTerminatorsAndNoFinalNewline_returnsEveryLine() throws IOException {
    Path file = Files.write(tmp.resolve("f"), "a\r\nb\n\nc".getBytes(StandardCharsets.US_ASCII));

    assertThat(readAll(file, Decoding.UTF_8_OR_LATIN_1)).containsExactly("a", "b", "", "c");
  }

  @Test
  void next_finalNewline_addsNoEmptyLine() throws IOException {
    Path file = Files.write(tmp.resolve("f"), "a\nb\n".getBytes(StandardCharsets.US_ASCII));

    assertThat(readAll(file, Decoding.LATIN_1)).containsExactly("a", "b");
  }

  @Test
  void next_emptyFile_returnsNull() throws IOException {
    Path file = Files.write(tmp.resolve("f"), new byte[0]);

    assertThat(readAll(file, Decoding.LATIN_1)).isEmpty();
  }

  @Test
  void next_linesLongerThanTheBuffer_areWhole() throws IOException {
    String longLine = "x".repeat(200_000);
    Path file = Files.writeString(tmp.resolve("f"), longLine + "\nshort\n" + longLine);

    assertThat(readAll(file, Decoding.UTF_8_OR_LATIN_1))
        .containsExactly(longLine, "short", longLine);
  }

  @Test
  void next_utf8Bom_isDropped() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "\uFEFFid::x\n");

    assertThat(readAll(file, Decoding.UTF_8_OR_LATIN_1)).containsExactly("id::x");
  }

  @Test
  void next_invalidUtf8Line_isReadAsLatin1AndCounted() throws IOException {
    byte[] utf8 = "caf\u00e9\n".getBytes(StandardCharsets.UTF_8);
    byte[] latin1 = "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] both = new byte[utf8.length + latin1.length];
    System.arraycopy(utf8, 0, both, 0, utf8.length);
    System.arraycopy(latin1, 0, both, utf8.length, latin1.length);
    Path file = Files.write(tmp.resolve("f"), both);

    try (LineReader reader = LineReader.open(file, Decoding.UTF_8_OR_LATIN_1)) {
      assertThat(reader.next()).isEqualTo("caf\u00e9");
      assertThat(reader.next()).isEqualTo("caf\u00e9");
      assertThat(reader.next()).isNull();
      assertThat(reader.latin1Lines()).isEqualTo(1);
      assertThat(reader.firstLatin1Line()).isEqualTo(2);
    }
  }

  @Test
  void lineNumber_countsEveryPhysicalLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "a\n\nb\n");

    try (LineReader reader = LineReader.open(file, Decoding.LATIN_1)) {
      reader.next();
      reader.next();
      reader.next();
      assertThat(reader.lineNumber()).isEqualTo(3);
    }
  }

  private static List<String> readAll(Path file, Decoding decoding) throws IOException {
    List<String> lines = new ArrayList<>();
    try (LineReader reader = LineReader.open(file, decoding)) {
      String line;
      while ((line = reader.next()) != null) {
        lines.add(line);
      }
    }
    return lines;
  }
}
