package dev.recsuite.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service running as a child JVM on the launcher's own class path, its output appended to a
 * log file.
 */
public final class ServiceProcess {

  private final String name;
  private final int port;
  private final Path logFile;
  private final Process process;

  private ServiceProcess(String name, int port, Path logFile, Process process) {
    this.name = name;
    this.port = port;
    this.logFile = logFile;
    this.process = process;
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM.
   *
   * @param jvmOptions options for the child JVM (heap, GC...)
   * @throws IOException if the process cannot be started
   */
  public static ServiceProcess start(
      String name, int port, String mainClass, List<String> jvmOptions, List<String> args, Path logDir)
      throws IOException {
    Files.createDirectories(logDir);
    Path logFile = logDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    return new ServiceProcess(name, port, logFile, process);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** The exit code, or -1 while running. */
  public int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /**
   * Sends SIGTERM (the service drains in-flight calls) and waits up to {@code grace}, then kills it.
   *
   * @return whether it stopped within the grace
   */
  public boolean stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
    return false;
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile);
      return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
