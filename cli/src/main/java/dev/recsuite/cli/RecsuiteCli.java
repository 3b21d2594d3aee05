package dev.recsuite.cli;

import dev.recsuite.evaluation.EvaluateCommand;
import dev.recsuite.trainer.CommandErrors;
import dev.recsuite.trainer.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code recsuite} command line: {@code up}, {@code recommend}, {@code train}, {@code bench} and {@code evaluate}. */
@Command(
    name = "recsuite",
    mixinStandardHelpOptions = true,
    version = "recsuite 0.1.0",
    description = "Recommendation serving suite: bring it up locally, ask it, train bundles.",
    subcommands = {
      UpCommand.class,
      RecommendCommand.class,
      FeedbackCommand.class,
      ReloadCommand.class,
      TrainCommand.class,
      BenchCommand.class,
      EvaluateCommand.class
    })
public final class RecsuiteCli implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private RecsuiteCli() {}

  /** Without a sub-command: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with every sub-command, ready to {@code execute}. */
  public static CommandLine commandLine() {
    return new CommandLine(new RecsuiteCli()).setExecutionExceptionHandler(new CommandErrors());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
