package dev.recsuite.datasets.internal;

import dev.recsuite.datasets.internal.LineReader.Decoding;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the non-blank lines of a delimited text file, splits each into fields and hands them to a
 * handler with their 1-based line number, logging progress and how many lines fell back to
 * ISO-8859-1.
 */
final class DelimitedRows {

  private static final Logger log = LoggerFactory.getLogger(DelimitedRows.class);

  /** Splits one line into fields. */
  @FunctionalInterface
  interface Splitter {
    String[] split(String line);
  }

  /** Handles one row; throws {@link dev.recsuite.datasets.InvalidDataException} for a bad one. */
  @FunctionalInterface
  interface RowHandler {
    void row(long line, String[] fields) throws IOException;
  }

  private DelimitedRows() {}

  /**
   * Reads every non-blank line of {@code file}.
   *
   * @return the number of the last line read (0 for an empty file), for messages about the file as
   *     a whole
   * @throws IOException if the file cannot be read or the handler rejects a row
   */
  static long forEach(Path file, Decoding decoding, Splitter splitter, RowHandler handler)
      throws IOException {
    ReadProgress progress = new ReadProgress(file);
    long lastLine;
    try (LineReader reader = LineReader.open(file, decoding)) {
      String line;
      while ((line = reader.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        handler.row(reader.lineNumber(), splitter.split(line));
        progress.row();
      }
      lastLine = reader.lineNumber();
      if (reader.latin1Lines() > 0) {
        log.info(
            "{}: {} lines are not valid UTF-8 and were read as ISO-8859-1 (first: line {})",
            file, reader.latin1Lines(), reader.firstLatin1Line());
      }
    }
    progress.done();
    return lastLine;
  }
}
