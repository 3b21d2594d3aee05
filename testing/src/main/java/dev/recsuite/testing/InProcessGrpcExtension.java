package dev.recsuite.testing;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts in-process gRPC servers and channels and shuts all of them down
 * after the test: the JUnit 5 counterpart of grpc-testing's JUnit 4 {@code GrpcCleanupRule}.
 *
 * <pre>{@code
 * @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
 *
 * @Test
 * void recall_unknownUser_returnsPopularCandidates() {
 *   String server = grpc.startServer(new RecallGrpcService(fakeIndex));
 *   var stub = RecallServiceGrpc.newBlockingStub(grpc.channel(server));
 *   ...
 * }
 * }</pre>
 *
 * <p>Server names are unique ({@link InProcessServerBuilder#generateName()}), so tests may run in
 * parallel. Handlers run on gRPC's default executor, not a direct executor, so a handler may block
 * (on a latch, a fake downstream) without stalling the transport; pass a {@code Consumer} to {@link
 * #startServer(Consumer)} to choose another one.
 *
 * <p>Cleanup: in an instance field, everything is shut down after each test. In a static field,
 * what a test creates is shut down after that test, and what {@code @BeforeAll} creates after all
 * tests of the class. Channels and servers are first shut down, then awaited together for up to 10
 * s; whatever is left is forced with {@code shutdownNow()}, and the test fails if even that does
 * not terminate it.
 */
public final class InProcessGrpcExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  /** How long cleanup waits for a graceful termination before forcing it. */
  static final long TERMINATION_SECONDS = 10;

  private static final Duration FORCED_WAIT = Duration.ofSeconds(5);

  private final Object lock = new Object();
  private final List<Resource> classResources = new ArrayList<>();
  private final List<Resource> testResources = new ArrayList<>();
  private boolean classLevel;
  private boolean inTest;

  /** Creates the extension; register it with {@code @RegisterExtension}. */
  public InProcessGrpcExtension() {}

  /**
   * Starts an in-process server with {@code services} and returns its name, for {@link
   * #channel(String)}.
   *
   * @throws UncheckedIOException if the server cannot start
   */
  public String startServer(BindableService... services) {
    return startServer(
        builder -> {
          for (BindableService service : services) {
            builder.addService(service);
          }
        });
  }

  /**
   * Starts an in-process server with {@code service} wrapped in {@code interceptors} and returns
   * its name. The first interceptor is the outermost: it sees a call first.
   *
   * @throws UncheckedIOException if the server cannot start
   */
  public String startServer(ServerServiceDefinition service, ServerInterceptor... interceptors) {
    ServerServiceDefinition intercepted =
        ServerInterceptors.interceptForward(service, List.of(interceptors));
    return startServer(builder -> builder.addService(intercepted));
  }

  /**
   * Expert: starts an in-process server configured by {@code configure} (services, interceptors,
   * executor...) and returns its name.
   *
   * @throws UncheckedIOException if the server cannot start
   */
  public String startServer(Consumer<? super InProcessServerBuilder> configure) {
    String name = newServerName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    configure.accept(builder);
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start in-process server " + name, e);
    }
    register(server);
    return name;
  }

  /**
   * Returns a fresh unique server name, for a server built elsewhere (e.g. a {@code GrpcServer}
   * over {@code InProcessServerBuilder.forName(name)}); {@link #register} it for cleanup.
   */
  public String newServerName() {
    return InProcessServerBuilder.generateName();
  }

  /**
   * Returns a new channel to the in-process server {@code serverName}, shut down after the test.
   */
  public ManagedChannel channel(String serverName) {
    return register(InProcessChannelBuilder.forName(serverName).build());
  }

  /** Registers a server (of any transport) to shut down after the test. */
  public <T extends Server> T register(T server) {
    add(new ServerResource(Objects.requireNonNull(server, "server")));
    return server;
  }

  /** Registers a channel (of any transport) to shut down after the test. */
  public <T extends ManagedChannel> T register(T channel) {
    add(new ChannelResource(Objects.requireNonNull(channel, "channel")));
    return channel;
  }

  /**
   * Registers anything closeable (e.g. a {@code GrpcServer}) to close after the test; it is closed
   * before channels and servers are awaited.
   */
  public <T extends AutoCloseable> T register(T resource) {
    add(new CloseableResource(Objects.requireNonNull(resource, "resource")));
    return resource;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (lock) {
      classLevel = true;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    synchronized (lock) {
      inTest = true;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Resource> toRelease;
    synchronized (lock) {
      inTest = false;
      toRelease = new ArrayList<>(testResources);
      testResources.clear();
      if (!classLevel) {
        // An instance field sees no afterAll: release what its field initialisers created too.
        toRelease.addAll(0, classResources);
        classResources.clear();
      }
    }
    release(toRelease);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<Resource> toRelease;
    synchronized (lock) {
      toRelease = new ArrayList<>(classResources);
      toRelease.addAll(testResources);
      classResources.clear();
      testResources.clear();
    }
    release(toRelease);
  }

  private void add(Resource resource) {
    synchronized (lock) {
      (inTest ? testResources : classResources).add(resource);
    }
  }

  /** Shuts everything down, newest first, then awaits all of it against one deadline. */
  private static void release(List<Resource> resources) {
    List<Resource> newestFirst = new ArrayList<>(resources).reversed();
    List<String> failures = new ArrayList<>();
    for (Resource resource : newestFirst) {
      try {
        resource.shutdown();
      } catch (Exception e) {
        failures.add(resource + " failed to shut down: " + e);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TERMINATION_SECONDS);
    for (Resource resource : newestFirst) {
      try {
        if (!resource.awaitTermination(Math.max(0, deadline - System.nanoTime()))) {
          resource.shutdownNow();
          if (!resource.awaitTermination(FORCED_WAIT.toNanos())) {
            failures.add(resource + " did not terminate, even after shutdownNow()");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        resource.shutdownNow();
        failures.add(resource + ": interrupted while awaiting termination");
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("in-process gRPC cleanup failed: " + String.join("; ", failures));
    }
  }

  private interface Resource {
    void shutdown() throws Exception;

    boolean awaitTermination(long nanos) throws InterruptedException;

    void shutdownNow();
  }

  private record ServerResource(Server server) implements Resource {
    @Override
    public void shutdown() {
      server.shutdown();
    }

    @Override
    public boolean awaitTermination(long nanos) throws InterruptedException {
      return server.awaitTermination(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdownNow() {
      server.shutdownNow();
    }

    @Override
    public String toString() {
      return "server " + server;
    }
  }

  private record ChannelResource(ManagedChannel channel) implements Resource {
    @Override
    public void shutdown() {
      channel.shutdown();
    }

    @Override
    public boolean awaitTermination(long nanos) throws InterruptedException {
      return channel.awaitTermination(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdownNow() {
      channel.shutdownNow();
    }

    @Override
    public String toString() {
      return "channel " + channel;
    }
  }

  private record CloseableResource(AutoCloseable resource) implements Resource {
    @Override
    public void shutdown() throws Exception {
      resource.close();
    }

    @Override
    public boolean awaitTermination(long nanos) {
      return true;
    }

    @Override
    public void shutdownNow() {}

    @Override
    public String toString() {
      return String.valueOf(resource);
    }
  }
}
