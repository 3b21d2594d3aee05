package dev.recsuite.evaluation;

import dev.recsuite.trainer.CommandErrors;
import picocli.CommandLine;

/**
 * Runs {@link EvaluateCommand} as its own process: {@code java ... EvaluationMain --data DIR}. The
 * same command is {@code recsuite evaluate}.
 */
public final class EvaluationMain {

  private EvaluationMain() {}

  /** The {@code evaluate} command line, printing errors as one line. */
  public static CommandLine commandLine() {
    return new CommandLine(new EvaluateCommand()).setExecutionExceptionHandler(new CommandErrors());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
