package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option checks of {@code evaluate} that fail before anything is trained or started. */
class EvaluateCommandTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = new CommandLine(new EvaluateCommand());
    command.setErr(new PrintWriter(err));
    command.setOut(new PrintWriter(new StringWriter()));
    return command.execute(args);
  }

  @Test
  void unknownProtocol_failsNamingTheValue() {
    assertThat(run("--protocol", "random")).isEqualTo(2);
    assertThat(err.toString()).contains("--protocol: 'random' (expected: full, sampled or both)");
  }

  @Test
  void trainWithoutTest_fails() {
    assertThat(run("--train", "train.rating")).isEqualTo(2);
    assertThat(err.toString()).contains("--train needs --test");
  }

  @Test
  void bundleAndData_excludeEachOther() {
    assertThat(run("--bundle", "b", "--data", "d")).isEqualTo(2);
    assertThat(err.toString()).contains("--bundle excludes --data and --train");
  }

  @Test
  void tooManyNegatives_failsNamingTheGatewayLimit() {
    assertThat(run("--sampled-negatives", "1000")).isEqualTo(2);
    assertThat(err.toString()).contains("--sampled-negatives: 1000 (expected: 1 to 999;");
  }

  @Test
  void recallTargetWithoutTarget_fails() {
    assertThat(run("--recall-target", "127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString()).contains("--recall-target needs --target");
  }
}
