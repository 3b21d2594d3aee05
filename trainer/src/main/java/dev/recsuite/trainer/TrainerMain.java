package dev.recsuite.trainer;

import picocli.CommandLine;

/** Runs {@link TrainCommand} as its own process: {@code java -jar trainer.jar --data DIR --out DIR}. */
public final class TrainerMain {

  private TrainerMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainCommand()).execute(args));
  }
}
