package dev.recsuite.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
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
  void train_feedbackStore_addsItsEventsToTheTrainingData() {
    long now = System.currentTimeMillis();
    Path feedback = out.resolve("feedback");
    try (FeedbackStore store = FeedbackStores.open(FeedbackStoreConfig.embedded(feedback))) {
      store.append(
          List.of(
              FeedbackEvent.of("e1", "1", "5", EventType.PURCHASE, now - 60_000),
              FeedbackEvent.of("e2", "someone-new", "5", EventType.LIKE, now - 30_000),
              FeedbackEvent.of("e3", "someone-new", "7", EventType.CLICK, now),
              FeedbackEvent.of("e4", "1", "6", EventType.DISLIKE, now)));
    }
    StringWriter printed = new StringWriter();
    CommandLine command = TrainerMain.commandLine();
    command.setOut(new PrintWriter(printed, true));

    int exit =
        command.execute(
            "--out", out.resolve("bundles").toString(), "--synthetic-users", "200", "--synthetic-items", "300",
            "--synthetic-interactions-per-user", "25", "--cf-factors", "8", "--cf-iterations", "3",
            "--ranker", "logistic", "--feedback", "embedded:" + feedback);

    assertThat(exit).isZero();
    assertThat(printed.toString())
        .contains("Added 3 interactions from 4 feedback events of " + feedback.toAbsolutePath() + " (1 dislikes left out; 1 new users, 0 new items)");
    BundleManifest manifest = new BundleRepository(out.resolve("bundles")).openLatest().manifest();
    // 200 users × 25 interactions, plus 3; the new user's latest event is held out (2 interactions).
    assertThat(manifest.getCounts().getUsers()).isEqualTo(201);
    assertThat(manifest.getCounts().getInteractions() + manifest.getSplit().getHoldoutInteractions()).isEqualTo(5_003);
    assertThat(manifest.getDataSource().getLocation()).endsWith(" + feedback " + feedback.toAbsolutePath());
  }

  @Test
  void train_feedbackNotAStore_failsWithOneLine() {
    StringWriter errors = new StringWriter();
    CommandLine command = TrainerMain.commandLine();
    command.setErr(new PrintWriter(errors, true));

    int exit = command.execute("--out", out.toString(), "--feedback", "embedded:" + out.resolve("nope"));

    assertThat(exit).isEqualTo(1);
    assertThat(errors.toString()).startsWith("train: feedback: embedded store ").doesNotContain("\tat ");
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
