package dev.recsuite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.cli.RecsuiteCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job as a user runs it: {@code recsuite up} trains a bundle on synthetic data, starts
 * the four services as separate processes, prints an example and, with {@code --exit}, stops them
 * all with SIGTERM.
 */
class SuiteProcessesTest {

  @TempDir Path work;

  @Test
  void up_startsFourProcessesAnswersAndStopsThemCleanly() {
    StringWriter output = new StringWriter();
    CommandLine cli = RecsuiteCli.commandLine();
    cli.setOut(new PrintWriter(output, true));

    int exit =
        cli.execute(
            "up", "--exit", "--base-port", "0", "--work-dir", work.toString(),
            "--synthetic-users", "300", "--synthetic-items", "400", "--synthetic-interactions-per-user", "40");

    String printed = output.toString();
    assertThat(exit).as(printed).isZero();
    assertThat(printed)
        .contains("feature-service  healthy", "recall-service   healthy", "ranking-service  healthy", "gateway          healthy")
        .contains("Top 10 for user")
        .contains("stopped gateway", "stopped ranking-service", "stopped recall-service", "stopped feature-service")
        .doesNotContain("killed after the grace period");
    assertThat(printed.lines().filter(line -> line.matches("\\s+\\d+\\s+\\S+.*\\s-?\\d+\\.\\d{3}\\s+.*")).count())
        .as("ten recommendation rows in:%n%s", printed)
        .isEqualTo(10);
  }
}
