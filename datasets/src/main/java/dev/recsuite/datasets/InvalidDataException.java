package dev.recsuite.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file that cannot be read as its layout prescribes. The message has the form {@code
 * <file>:<line>: <problem>}, for example {@code /data/ml-100k/u.data:17: rating 'x' is not a
 * number}, so editors and terminals can jump to the offending line.
 */
public final class InvalidDataException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String problem;

  /**
   * Creates an exception for a problem on a line of a file.
   *
   * @param file the file as it was opened
   * @param line 1-based line number; the header is line 1 of a CSV file
   * @param problem what is wrong, naming the offending value
   * @throws NullPointerException if {@code file} or {@code problem} is null
   */
  public InvalidDataException(Path file, long line, String problem) {
    this(file, line, problem, null);
  }

  /**
   * Creates an exception for a problem on a line of a file, caused by {@code cause}.
   *
   * @throws NullPointerException if {@code file} or {@code problem} is null
   */
  public InvalidDataException(Path file, long line, String problem, Throwable cause) {
    super(
        Objects.requireNonNull(file, "file")
            + ":"
            + line
            + ": "
            + Objects.requireNonNull(problem, "problem"),
        cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** The file that holds the bad line. */
  public Path file() {
    return file;
  }

  /** The 1-based number of the bad line. */
  public long line() {
    return line;
  }

  /** What is wrong with the line, without the file and line prefix. */
  public String problem() {
    return problem;
  }
}
