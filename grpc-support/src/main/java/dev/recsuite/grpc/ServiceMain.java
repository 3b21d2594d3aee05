package dev.recsuite.grpc;

import dev.recsuite.grpc.internal.StartupFailures;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs a service process: parses the arguments (with {@link EnvironmentDefaults}), assembles the
 * service, starts its {@link Lifecycle}, stops it on SIGTERM (draining in-flight calls) and returns
 * the exit code.
 *
 * <pre>{@code
 * @Command(name = "recall-service", mixinStandardHelpOptions = true, showDefaultValues = true,
 *     description = "Candidate generation over the item index.")
 * public final class RecallServiceMain implements ServiceCommand {
 *   @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.RECALL);
 *   @Option(names = "--bundle-dir", required = true, description = "Model bundle root.")
 *   Path bundleDir;
 *
 *   @Override
 *   public Lifecycle assemble() {
 *     return Guice.createInjector(new RecallModule(server.toSettings(), bundleDir))
 *         .getInstance(Lifecycle.class);
 *   }
 *
 *   public static void main(String[] args) {
 *     System.exit(ServiceMain.forProcess("RECALL").run(new RecallServiceMain(), args));
 *   }
 * }
 * }</pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} after a clean stop or {@code --help}; {@value #EXIT_USAGE} for
 * bad arguments or a failed start (one line on stderr, e.g. {@code "recall-service: cannot start:
 * bundle directory /x does not exist"}; the stack trace is logged at DEBUG only).
 */
public final class ServiceMain {

  /** Exit code after a clean stop, {@code --help} or {@code --version}. */
  public static final int EXIT_OK = 0;

  /** Exit code for invalid arguments or a service that could not start. */
  public static final int EXIT_USAGE = 2;

  /** The system property with which an operator sets Netty's buffer leak detection level. */
  public static final String LEAK_DETECTION_PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

  private final String envPrefix;
  private final Map<String, String> environment;
  private final PrintStream out;
  private final PrintStream err;
  private final ShutdownHooks hooks;

  /**
   * Creates a runner; {@link #forProcess} is the usual way.
   *
   * @param envPrefix the environment variable prefix, e.g. {@code RECALL}
   * @param environment the environment the options are read from
   * @param out where {@code --help} and {@code --version} are printed
   * @param err where the one-line error of a failed start is printed
   * @throws IllegalArgumentException if {@code envPrefix} is not a valid prefix
   */
  public ServiceMain(
      String envPrefix, Map<String, String> environment, PrintStream out, PrintStream err) {
    this(envPrefix, environment, out, err, ShutdownHooks.RUNTIME);
  }

  ServiceMain(
      String envPrefix,
      Map<String, String> environment,
      PrintStream out,
      PrintStream err,
      ShutdownHooks hooks) {
    new EnvironmentDefaults(envPrefix, Map.of()); // validates the prefix early
    this.envPrefix = envPrefix;
    this.environment = Map.copyOf(environment);
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.hooks = hooks;
  }

  /**
   * Returns a runner for this process: {@code System.getenv()}, {@code System.out} and {@code
   * System.err}.
   *
   * @param envPrefix the environment variable prefix, e.g. {@code RECALL}
   */
  public static ServiceMain forProcess(String envPrefix) {
    return new ServiceMain(envPrefix, System.getenv(), System.out, System.err);
  }

  /**
   * Parses {@code args} into {@code command}, assembles and starts it, and blocks until the
   * lifecycle has stopped (on SIGTERM or SIGINT, through a JVM shutdown hook).
   *
   * @param command the service's picocli command, annotated with {@code @Command(name = ...)}
   * @return the process exit code: {@link #EXIT_OK} or {@link #EXIT_USAGE}
   */
  public int run(ServiceCommand command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    CommandSpec spec = commandLine.getCommandSpec();
    commandLine.setDefaultValueProvider(new EnvironmentDefaults(envPrefix, environment));
    if (spec.usageMessage().footer().length == 0) {
      spec.usageMessage()
          .footer(
              "%nEvery option can also be set with an environment variable: "
                  + envPrefix
                  + "_ and the option name in upper case with '-' as '_' (--shutdown-grace: "
                  + envPrefix
                  + "_SHUTDOWN_GRACE).");
    }
    String name = spec.name();
    PrintWriter help = new PrintWriter(out, true);
    commandLine.setOut(help);
    try {
      commandLine.parseArgs(args);
      if (CommandLine.printHelpIfRequested(commandLine.getParseResult())) {
        help.flush();
        return EXIT_OK;
      }
    } catch (ParameterException e) {
      err.println(name + ": " + e.getMessage() + fromEnvironment(e, args) + " (see --help)");
      return EXIT_USAGE;
    }

    Lifecycle lifecycle;
    try {
      stopLeakSamplingUnlessAsked();
      lifecycle = command.assemble();
      Thread hook = Thread.ofPlatform().name(name + "-shutdown").unstarted(lifecycle::stop);
      hooks.add(hook);
      try {
        lifecycle.start();
      } catch (Exception | Error e) {
        hooks.remove(hook);
        throw e;
      }
    } catch (Exception | LinkageError | AssertionError e) {
      // Linkage errors include a failed static initialiser; worth one line, not a stack trace.
      return failedToStart(name, e);
    }

    try {
      lifecycle.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lifecycle.stop();
    }
    return EXIT_OK;
  }

  /**
   * Netty's buffer leak detector, at its default level, records a stack trace for a sample of
   * buffer allocations and releases: measured, about one {@code Throwable} per {@code Recommend}
   * in the gateway under load. A service process turns it off unless the property asks for a level
   * (e.g. {@code -Dio.grpc.netty.shaded.io.netty.leakDetection.level=paranoid} to hunt a leak).
   */
  private static void stopLeakSamplingUnlessAsked() {
    if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  /** Names the variable when a bad value came from the environment, not from the arguments. */
  private String fromEnvironment(ParameterException e, String[] args) {
    if (!(e.getArgSpec() instanceof OptionSpec option)) {
      return "";
    }
    String variable = new EnvironmentDefaults(envPrefix, Map.of()).variableName(option);
    String value = environment.get(variable);
    boolean onCommandLine =
        Arrays.stream(args)
            .anyMatch(
                arg ->
                    Arrays.stream(option.names())
                        .anyMatch(n -> arg.equals(n) || arg.startsWith(n + "=")));
    return value == null || value.isEmpty() || onCommandLine ? "" : " (from " + variable + ")";
  }

  private int failedToStart(String name, Throwable e) {
    log.debug("{} could not start", name, e);
    err.println(name + ": cannot start: " + StartupFailures.describe(e));
    return EXIT_USAGE;
  }

  /** Where shutdown hooks go; a seam so that tests need not touch the JVM's hooks. */
  interface ShutdownHooks {

    ShutdownHooks RUNTIME =
        new ShutdownHooks() {
          @Override
          public void add(Thread hook) {
            Runtime.getRuntime().addShutdownHook(hook);
          }

          @Override
          public void remove(Thread hook) {
            try {
              Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
              // The JVM is already shutting down; the hook runs anyway.
            }
          }
        };

    void add(Thread hook);

    void remove(Thread hook);
  }
}
