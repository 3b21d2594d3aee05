package dev.recsuite.datasets.internal;

import dev.recsuite.datasets.InvalidDataException;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UTF-8, comma-separated file with RFC 4180 quoting and a header row, read record by record with
 * the physical line each record starts on; a leading byte order mark is ignored. Column names match
 * ignoring case and surrounding spaces; every record must have as many fields as the header; empty
 * lines are skipped.
 */
public final class CsvTable implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(CsvTable.class);

  // Empty lines come back as one-field records and are skipped here, not by commons-csv, so that
  // line numbers stay exact.
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

  private final Path file;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final List<String> header;
  private final Map<String, Integer> columns = new HashMap<>();
  private long line;

  private CsvTable(Path file, CSVParser parser) {
    this.file = file;
    this.parser = parser;
    this.records = parser.iterator();
    this.header = new ArrayList<>();
  }

  /**
   * Opens {@code file} and reads its header.
   *
   * @throws InvalidDataException if the file is empty, not valid UTF-8 or its header has blank or
   *     repeated names
   * @throws IOException if the file cannot be read
   */
  public static CsvTable open(Path file) throws IOException {
    Reader reader = new LinesReader(LineReader.open(file, LineReader.Decoding.UTF_8));
    CsvTable table = new CsvTable(file, CSVParser.parse(reader, FORMAT));
    try {
      table.readHeader();
    } catch (IOException | RuntimeException e) {
      table.close();
      throw e;
    }
    return table;
  }

  private void readHeader() throws IOException {
    String[] names = next();
    if (names == null) {
      throw new InvalidDataException(file, 1, "file is empty (expected: a header row)");
    }
    for (int i = 0; i < names.length; i++) {
      String name = names[i].strip();
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1).strip();
      }
      if (name.isEmpty()) {
        throw new InvalidDataException(file, line, "header column %d has no name".formatted(i + 1));
      }
      if (columns.putIfAbsent(name.toLowerCase(Locale.ROOT), i) != null) {
        throw new InvalidDataException(
            file, line, "header names column '%s' twice".formatted(name));
      }
      header.add(name);
    }
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  /** Column names as written in the header, trimmed. */
  public List<String> header() {
    return List.copyOf(header);
  }

  /** Index of the column named {@code name} ignoring case, or -1. */
  public int column(String name) {
    return columns.getOrDefault(name.toLowerCase(Locale.ROOT), -1);
  }

  /**
   * Index of the column named {@code name} ignoring case.
   *
   * @throws InvalidDataException (line 1) if there is no such column
   */
  public int requireColumn(String name) throws InvalidDataException {
    int index = column(name);
    if (index < 0) {
      throw new InvalidDataException(
          file,
          1,
          "header has no column '%s' (columns: %s)".formatted(name, String.join(", ", header)));
    }
    return index;
  }

  /** Logs a WARN naming the columns whose lower-cased names are not in {@code known}. */
  public void warnAboutUnknownColumns(Set<String> known) {
    List<String> unknown =
        header.stream().filter(name -> !known.contains(name.toLowerCase(Locale.ROOT))).toList();
    if (!unknown.isEmpty()) {
      log.warn(
          "{}: ignoring unknown columns {} (known: {})",
          file,
          unknown,
          known.stream().sorted().toList());
    }
  }

  /** The line the record last returned by {@link #nextRecord()} starts on. */
  public long line() {
    return line;
  }

  /**
   * The next record's fields, untrimmed, or {@code null} at the end.
   *
   * @throws InvalidDataException if the record has more or fewer fields than the header, has an
   *     unterminated quote, or the file is not valid UTF-8
   */
  public String[] nextRecord() throws IOException {
    String[] fields = next();
    if (fields != null && fields.length != header.size()) {
      throw new InvalidDataException(
          file,
          line,
          "%d fields (expected: %d, as in the header)".formatted(fields.length, header.size()));
    }
    return fields;
  }

  private String[] next() throws IOException {
    while (true) {
      line = parser.getCurrentLineNumber() + 1;
      CSVRecord record;
      try {
        if (!records.hasNext()) {
          return null;
        }
        record = records.next();
      } catch (UncheckedIOException e) {
        IOException cause = e.getCause();
        if (cause instanceof InvalidDataException invalid) {
          throw invalid;
        }
        throw new InvalidDataException(file, line, "not valid CSV: " + cause.getMessage(), cause);
      }
      if (record.size() == 1 && record.get(0).isEmpty()) {
        continue;
      }
      return record.values();
    }
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }

  /**
   * The lines of a {@link LineReader} as a character stream, each ended by {@code \n}. Decoding
   * line by line, rather than in an {@code InputStreamReader}'s 8 KiB blocks, lets a bad UTF-8
   * sequence be reported on its own line. Line ends inside quoted values become {@code \n}.
   */
  private static final class LinesReader extends Reader {
    private final LineReader lines;
    private String current = "";
    private int position;
    private boolean done;

    LinesReader(LineReader lines) {
      this.lines = lines;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (position == current.length()) {
        if (done) {
          return -1;
        }
        String line = lines.next();
        if (line == null) {
          done = true;
          return -1;
        }
        current = line + "\n";
        position = 0;
      }
      int count = Math.min(length, current.length() - position);
      current.getChars(position, position + count, buffer, offset);
      position += count;
      return count;
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
