package dev.recsuite.datasets.internal;

import dev.recsuite.datasets.InvalidDataException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a text file line by line, counting lines, without a {@code Reader}: lines are split on
 * bytes and decoded one at a time. That is what allows {@link Decoding#UTF_8_OR_LATIN_1}: the
 * MovieLens .dat files exist in UTF-8 and in ISO-8859-1 (ML-1M) and nothing in them says which, so
 * each line is decoded as UTF-8 and, when that fails, as ISO-8859-1 — which never fails. Pure ASCII
 * lines, nearly all of them, take a fast path. {@code \n} and {@code \r\n} both end lines. Decoding
 * per line also lets {@link Decoding#UTF_8} name the line with the bad bytes.
 */
public final class LineReader implements Closeable {

  /** How bytes become characters. */
  public enum Decoding {
    /** Every byte is one ISO-8859-1 character. */
    LATIN_1,
    /** Strict UTF-8 per line, ISO-8859-1 for lines that are not valid UTF-8. */
    UTF_8_OR_LATIN_1,
    /** Strict UTF-8; a line that is not valid UTF-8 is an {@link InvalidDataException}. */
    UTF_8
  }

  private final Path file;
  private final InputStream in;
  private final Decoding decoding;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private boolean endOfInput;
  private byte[] line = new byte[256];
  private int lineLength;
  private long lineNumber;
  private long latin1Lines;
  private long firstLatin1Line;

  private LineReader(Path file, InputStream in, Decoding decoding) {
    this.file = file;
    this.in = in;
    this.decoding = decoding;
  }

  /**
   * Opens {@code file}.
   *
   * @throws IOException if it cannot be opened
   */
  public static LineReader open(Path file, Decoding decoding) throws IOException {
    return new LineReader(file, Files.newInputStream(file), decoding);
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  /** The 1-based number of the line last returned by {@link #next()}. */
  public long lineNumber() {
    return lineNumber;
  }

  /** How many lines were not valid UTF-8 and were decoded as ISO-8859-1. */
  public long latin1Lines() {
    return latin1Lines;
  }

  /** The first line decoded as ISO-8859-1 after failing as UTF-8, 0 if none. */
  public long firstLatin1Line() {
    return firstLatin1Line;
  }

  /**
   * The next line without its terminator, or {@code null} at the end of the file.
   *
   * @throws InvalidDataException if the line is not valid UTF-8 and the decoding is {@link
   *     Decoding#UTF_8}
   * @throws IOException if reading fails
   */
  public String next() throws IOException {
    lineLength = 0;
    boolean sawAnything = false;
    while (true) {
      if (position == limit) {
        if (!fill()) {
          if (!sawAnything) {
            return null;
          }
          break;
        }
      }
      sawAnything = true;
      int newline = position;
      while (newline < limit && buffer[newline] != '\n') {
        newline++;
      }
      append(position, newline - position);
      if (newline < limit) {
        position = newline + 1;
        break;
      }
      position = limit;
    }
    lineNumber++;
    int length = lineLength;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    int offset = 0;
    if (lineNumber == 1
        && decoding != Decoding.LATIN_1
        && length >= 3
        && line[0] == (byte) 0xEF
        && line[1] == (byte) 0xBB
        && line[2] == (byte) 0xBF) {
      offset = 3;
    }
    return decode(offset, length - offset);
  }

  private boolean fill() throws IOException {
    if (endOfInput) {
      return false;
    }
    int read = in.read(buffer);
    if (read <= 0) {
      endOfInput = true;
      position = 0;
      limit = 0;
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }

  private void append(int from, int length) {
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    System.arraycopy(buffer, from, line, lineLength, length);
    lineLength += length;
  }

  private String decode(int offset, int length) throws InvalidDataException {
    if (decoding == Decoding.LATIN_1 || isAscii(offset, length)) {
      // ASCII is a subset of ISO-8859-1, whose decoder is a plain byte copy.
      return new String(line, offset, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.decode(ByteBuffer.wrap(line, offset, length)).toString();
    } catch (CharacterCodingException notUtf8) {
      if (decoding == Decoding.UTF_8) {
        throw new InvalidDataException(file, lineNumber, "not valid UTF-8 text", notUtf8);
      }
      latin1Lines++;
      if (firstLatin1Line == 0) {
        firstLatin1Line = lineNumber;
      }
      return new String(line, offset, length, StandardCharsets.ISO_8859_1);
    }
  }

  private boolean isAscii(int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (line[i] < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
