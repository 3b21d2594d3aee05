package dev.recsuite.datasets.internal;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the rows read from one file and logs at INFO: every {@value #REPORT_EVERY} rows, since the
 * ratings of MovieLens 10M and 25M take seconds, and once at the end.
 */
public final class ReadProgress {

  private static final Logger log = LoggerFactory.getLogger(ReadProgress.class);
  private static final long REPORT_EVERY = 5_000_000;

  private final Path file;
  private final long start = System.nanoTime();
  private long rows;

  public ReadProgress(Path file) {
    this.file = file;
  }

  /** Counts one row. */
  public void row() {
    rows++;
    if (rows % REPORT_EVERY == 0) {
      log.info("{}: {} rows so far, {} ms", file.getFileName(), rows, elapsedMillis());
    }
  }

  /** Number of rows counted. */
  public long rows() {
    return rows;
  }

  /** Logs the total. */
  public void done() {
    log.info("Read {}: {} rows in {} ms", file.getFileName(), rows, elapsedMillis());
  }

  private long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
