package dev.recsuite.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the fault-injection scenarios put their tables: the log, and {@code
 * target/fault-injection.md} (one row per run, appended), so a run's numbers can be read back.
 */
final class ScenarioReport {

  static final String HEADER =
      "| scenario | sent | ok | degraded | failed | p50 ms | p99 ms | max ms | details |\n"
          + "|---|---|---|---|---|---|---|---|---|";

  private static final Logger log = LoggerFactory.getLogger(ScenarioReport.class);

  private final Path file;

  ScenarioReport(Path file) {
    this.file = file;
  }

  /** The report under the module's {@code target} directory. */
  static ScenarioReport inTarget() {
    return new ScenarioReport(Path.of("target", "fault-injection.md"));
  }

  /** Records one run. */
  void add(String scenario, Load.Result result) {
    String row = result.row(scenario);
    log.info("{}\n{}", HEADER, row);
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
      }
      Files.writeString(file, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
