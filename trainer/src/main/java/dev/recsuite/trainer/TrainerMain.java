package dev.recsuite.trainer;

import picocli.CommandLine;

/** Runs {@link TrainCommand} as its own process: {@code java ... TrainerMain --data DIR --out DIR}. */
public final class TrainerMain {

  private TrainerMain() {}

  /** The {@code train} command line, printing errors as one line. */
  public static CommandLine commandLine() {
    return new CommandLine(new TrainCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new CommandErrors());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
