package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Provides;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Timeout(30)
class ServiceMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<Thread> hooks = new CopyOnWriteArrayList<>();

  /** A service command as a real one looks, with a pluggable assembly. */
  @Command(name = "test-service", mixinStandardHelpOptions = true, description = "A test service.")
  static final class TestCommand implements ServiceCommand {

    @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.RECALL);

    @Option(names = "--bundle-dir", required = true, description = "Model bundle root.")
    Path bundleDir;

    final Assembly assembly;

    TestCommand(Assembly assembly) {
      this.assembly = assembly;
    }

    @Override
    public Lifecycle assemble() throws Exception {
      return assembly.assemble(this);
    }
  }

  interface Assembly {
    Lifecycle assemble(TestCommand command) throws Exception;
  }

  @Test
  void run_help_printsUsageWithTheEnvironmentRuleAndReturnsZero() {
    int code = main(Map.of()).run(new TestCommand(c -> Lifecycle.of()), "--help");

    assertThat(code).isZero();
    assertThat(out()).contains("Usage: test-service", "--bundle-dir", "--shutdown-grace");
    assertThat(out()).contains("TEST_SHUTDOWN_GRACE");
    assertThat(err()).isEmpty();
  }

  @Test
  void run_missingRequiredOption_printsOneLineAndReturnsTwo() {
    int code = main(Map.of()).run(new TestCommand(c -> Lifecycle.of()));

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err())
        .isEqualTo(
            "test-service: Missing required option: '--bundle-dir=<bundleDir>' (see --help)\n");
  }

  @Test
  void run_assemblyFails_printsOneLineWithoutStackTraceAndReturnsTwo() {
    TestCommand command =
        new TestCommand(
            c -> {
              throw new IllegalStateException(
                  "bundle directory " + c.bundleDir + " does not exist");
            });

    int code = main(Map.of()).run(command, "--bundle-dir", "/x");

    assertThat(code).isEqualTo(2);
    assertThat(err()).isEqualTo("test-service: cannot start: bundle directory /x does not exist\n");
    assertThat(hooks).isEmpty();
  }

  @Test
  void run_withoutTheLeakDetectionProperty_turnsNettysLeakSamplingOff() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    assertThat(System.getProperty(ServiceMain.LEAK_DETECTION_PROPERTY)).isNull();

    // Assembly fails at once: the setting is made before assembly, and the test need not stop a
    // running lifecycle.
    main(Map.of())
        .run(
            new TestCommand(
                c -> {
                  throw new IllegalStateException("not needed");
                }),
            "--bundle-dir",
            "/x");

    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
  }

  @Test
  void run_guiceProviderFails_printsTheProvidersMessage() {
    TestCommand command =
        new TestCommand(
            c ->
                Guice.createInjector(
                        new AbstractModule() {
                          @Provides
                          Lifecycle lifecycle() throws java.io.IOException {
                            Files.readString(c.bundleDir.resolve("manifest.json"));
                            return Lifecycle.of();
                          }
                        })
                    .getInstance(Lifecycle.class));

    int code = main(Map.of()).run(command, "--bundle-dir", "/nonexistent-bundle");

    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "test-service: cannot start: no such file or directory:"
                + " /nonexistent-bundle/manifest.json\n");
  }

  @Test
  void run_invalidSettings_printsTheBadValue() {
    TestCommand command =
        new TestCommand(
            c -> {
              c.server.toSettings();
              return Lifecycle.of();
            });

    int code = main(Map.of()).run(command, "--bundle-dir", "/b", "--port", "70000");

    assertThat(code).isEqualTo(2);
    assertThat(err()).isEqualTo("test-service: cannot start: port: 70000 (expected: 0..65535)\n");
  }

  @Test
  void run_componentFailsToStart_stopsTheOthersAndReturnsTwo() {
    List<String> events = new CopyOnWriteArrayList<>();
    TestCommand command =
        new TestCommand(
            c ->
                Lifecycle.of(
                    recording("cache", events, null),
                    recording(
                        "server",
                        events,
                        new java.io.IOException("cannot listen on 127.0.0.1:1"))));

    int code = main(Map.of()).run(command, "--bundle-dir", "/b");

    assertThat(code).isEqualTo(2);
    assertThat(err()).isEqualTo("test-service: cannot start: cannot listen on 127.0.0.1:1\n");
    assertThat(events).containsExactly("start cache", "stop cache");
    assertThat(hooks).as("the hook of a process that never ran is removed").isEmpty();
  }

  @Test
  void run_started_servesUntilTheShutdownHookStopsTheLifecycle() throws Exception {
    String serverName = InProcessServerBuilder.generateName();
    CountDownLatch started = new CountDownLatch(1);
    List<String> events = new CopyOnWriteArrayList<>();
    TestCommand command =
        new TestCommand(
            c -> {
              GrpcServer server =
                  GrpcServer.builder("test-service", InProcessServerBuilder.forName(serverName))
                      .shutdownGrace(c.server.toSettings().shutdownGrace())
                      .addService(TestService.answering("v1"))
                      .build();
              return Lifecycle.of(recording("bundle", events, null), server, signalling(started));
            });
    ServiceMain main = main(Map.of());

    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> main.run(command, "--bundle-dir", "/b"));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(exit).isNotDone();
    assertThat(hooks).hasSize(1);
    hooks.getFirst().run(); // what the JVM does on SIGTERM

    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(events).containsExactly("start bundle", "stop bundle");
    assertThat(hooks.getFirst().getName()).isEqualTo("test-service-shutdown");
    assertThat(err()).isEmpty();
  }

  @Test
  void run_optionsFromTheEnvironment_reachTheCommand() throws Exception {
    CompletableFuture<ServerSettings> seen = new CompletableFuture<>();
    TestCommand command =
        new TestCommand(
            c -> {
              seen.complete(c.server.toSettings());
              throw new IllegalStateException("stop here");
            });
    Map<String, String> env =
        Map.of("TEST_SHUTDOWN_GRACE", "500ms", "TEST_HOST", "0.0.0.0", "TEST_BUNDLE_DIR", "/env");

    main(env).run(command, "--port", "7000");

    assertThat(seen.get())
        .isEqualTo(
            new ServerSettings(
                "0.0.0.0",
                7000,
                ServerSettings.DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
                ServerSettings.DEFAULT_MAX_INBOUND_METADATA_BYTES,
                Duration.ofMillis(500)));
    assertThat(command.bundleDir).isEqualTo(Path.of("/env"));
  }

  @Test
  void run_badValueFromTheEnvironment_namesTheVariable() {
    int code =
        main(Map.of("TEST_SHUTDOWN_GRACE", "soon"))
            .run(new TestCommand(c -> Lifecycle.of()), "--bundle-dir", "/b");

    assertThat(code).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "test-service: Invalid value for option '--shutdown-grace': 'soon' is not a duration"
                + " (expected: e.g. 500ms, 20s, 5m, 1h or PT20S) (from TEST_SHUTDOWN_GRACE) (see"
                + " --help)\n");
  }

  private ServiceMain main(Map<String, String> env) {
    return new ServiceMain(
        "TEST",
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        new ServiceMain.ShutdownHooks() {
          @Override
          public void add(Thread hook) {
            hooks.add(hook);
          }

          @Override
          public void remove(Thread hook) {
            hooks.remove(hook);
          }
        });
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  private static Managed recording(String name, List<String> events, Exception onStart) {
    return new Managed() {
      @Override
      public void start() throws Exception {
        if (onStart != null) {
          throw onStart;
        }
        events.add("start " + name);
      }

      @Override
      public void stop() {
        events.add("stop " + name);
      }
    };
  }

  private static Managed signalling(CountDownLatch started) {
    return new Managed() {
      @Override
      public void start() {
        started.countDown();
      }

      @Override
      public void stop() {}
    };
  }
}
