package dev.recsuite.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.core.bundle.BundleRepository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

  @TempDir Path out;

  @Test
  void train_syntheticData_publishesABundleAndPrintsItsMetrics() {
    StringWriter printed = new StringWriter();
    CommandLine command = TrainerMain.commandLine();
    command.setOut(new PrintWriter(printed, true));

    int exit =
        command.execute(
            "--out", out.toString(), "--synthetic-users", "200", "--synthetic-items", "300",
            "--synthetic-interactions-per-user", "25", "--cf-factors", "16", "--cf-iterations", "5",
            "--label", "cmd", "--ranker", "logistic");

    assertThat(exit).isZero();
    assertThat(new BundleRepository(out).versions()).singleElement().asString().endsWith("-cmd");
    assertThat(printed.toString()).contains("Published bundle", "validation.ranked.ndcg@10");
    assertThat(new BundleRepository(out).openLatest().manifest().getParametersMap())
        .containsEntry("cf.factors", "16")
        .containsEntry("cf.iterations", "5")
        .containsEntry("ranker.kind", "logistic");
  }

  @Test
  void train_missingDataDirectory_failsWithoutAStackTrace() {
    StringWriter errors = new StringWriter();
    CommandLine command = TrainerMain.commandLine();
    command.setErr(new PrintWriter(errors, true));

    int exit = command.execute("--out", out.toString(), "--data", out.resolve("nope").toString());

    assertThat(exit).isNotZero();
    assertThat(errors.toString()).contains("nope").doesNotContain("\tat ");
  }
}
