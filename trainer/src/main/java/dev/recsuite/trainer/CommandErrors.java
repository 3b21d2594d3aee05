package dev.recsuite.trainer;

import dev.recsuite.core.bundle.InvalidBundleException;
import dev.recsuite.feedback.FeedbackStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's error as one line ({@code train: no such file: /data/u.data}) instead of
 * a stack trace, and exits with code 1. Unexpected exceptions (bugs) keep their stack trace.
 */
public final class CommandErrors implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    String name = command.getCommandName();
    if (e instanceof NoSuchFileException missing) {
      command.getErr().println(name + ": no such file or directory: " + missing.getFile());
    } else if (e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof InvalidBundleException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof FeedbackStoreException) {
      command.getErr().println(name + ": " + e.getMessage());
    } else {
      command.getErr().println(name + ": unexpected error:");
      e.printStackTrace(command.getErr());
    }
    command.getErr().flush();
    return 1;
  }
}
