package dev.recsuite.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class InProcessGrpcExtensionTest {

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  @Test
  void startServer_bindableService_servesCallsOnItsChannel() {
    String server = grpc.startServer(() -> Echo.service("echo: "));

    assertThat(Echo.call(grpc.channel(server), "hi")).isEqualTo("echo: hi");
  }

  @Test
  void startServer_givesEachServerItsOwnName() {
    String first = grpc.startServer(() -> Echo.service("1:"));
    String second = grpc.startServer(() -> Echo.service("2:"));

    assertThat(first).isNotEqualTo(second);
    assertThat(Echo.call(grpc.channel(first), "x")).isEqualTo("1:x");
    assertThat(Echo.call(grpc.channel(second), "x")).isEqualTo("2:x");
  }

  @Test
  void startServer_withInterceptors_runsTheFirstOneOutermost() {
    List<String> order = new CopyOnWriteArrayList<>();
    String server =
        grpc.startServer(Echo.service(""), recording("outer", order), recording("inner", order));

    Echo.call(grpc.channel(server), "x");

    assertThat(order).containsExactly("outer", "inner");
  }

  @Test
  void startServer_configurer_seesTheBuilder() {
    String server = grpc.startServer(builder -> builder.addService(Echo.service("custom:")));

    assertThat(Echo.call(grpc.channel(server), "x")).isEqualTo("custom:x");
  }

  @Test
  void register_closeable_isClosedAtCleanup() throws Exception {
    InProcessGrpcExtension extension = new InProcessGrpcExtension();
    List<String> closed = new CopyOnWriteArrayList<>();
    extension.beforeEach(null);
    extension.register((AutoCloseable) () -> closed.add("closed"));

    extension.afterEach(null);

    assertThat(closed).containsExactly("closed");
  }

  @Test
  void instanceField_shutsDownServersAndChannelsAfterEachTest() {
    InstanceFieldScenario.channels.clear();
    InstanceFieldScenario.servers.clear();

    TestExecutionSummary summary = run(InstanceFieldScenario.class);

    assertThat(summary.getTotalFailureCount()).as(failures(summary)).isZero();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(InstanceFieldScenario.channels).hasSize(2).allMatch(ManagedChannel::isTerminated);
    assertThat(InstanceFieldScenario.servers).hasSize(4).allSatisfy(this::assertGone);
  }

  @Test
  void staticField_keepsBeforeAllResourcesUntilAfterAll() {
    TestExecutionSummary summary = run(StaticFieldScenario.class);

    assertThat(summary.getTotalFailureCount()).as(failures(summary)).isZero();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(StaticFieldScenario.sharedChannel.isTerminated()).isTrue();
    assertGone(StaticFieldScenario.shared);
  }

  /** Runs as a nested test class through the launcher; Surefire skips nested classes itself. */
  static final class InstanceFieldScenario {
    static final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    static final List<String> servers = new CopyOnWriteArrayList<>();

    @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

    // Created before beforeEach: must be cleaned after the test all the same.
    final String fromFieldInitialiser = grpc.startServer(() -> Echo.service("field:"));

    @Test
    void first() {
      exercise();
    }

    @Test
    void second() {
      exercise();
    }

    private void exercise() {
      String server = grpc.startServer(() -> Echo.service(""));
      ManagedChannel channel = grpc.channel(server);
      assertThat(Echo.call(channel, "x")).isEqualTo("x");
      channels.add(channel);
      servers.add(server);
      servers.add(fromFieldInitialiser);
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static final class StaticFieldScenario {
    @RegisterExtension static final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

    static String shared;
    static ManagedChannel sharedChannel;
    static ManagedChannel perTestChannel;

    @BeforeAll
    static void startShared() {
      shared = grpc.startServer(() -> Echo.service("shared:"));
      sharedChannel = grpc.channel(shared);
    }

    @Test
    @Order(1)
    void first() {
      perTestChannel = grpc.channel(shared);
      assertThat(Echo.call(perTestChannel, "1")).isEqualTo("shared:1");
    }

    @Test
    @Order(2)
    void second() {
      assertThat(perTestChannel.isTerminated()).as("closed after the first test").isTrue();
      assertThat(Echo.call(sharedChannel, "2")).isEqualTo("shared:2");
    }
  }

  private void assertGone(String serverName) {
    ManagedChannel probe = InProcessChannelBuilder.forName(serverName).build();
    try {
      assertThatThrownBy(() -> Echo.call(probe, "x"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      probe.shutdownNow();
    }
  }

  private static TestExecutionSummary run(Class<?> testClass) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    return listener.getSummary();
  }

  private static String failures(TestExecutionSummary summary) {
    return summary.getFailures().stream()
        .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
        .toList()
        .toString();
  }

  private static ServerInterceptor recording(String name, List<String> order) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        order.add(name);
        return next.startCall(call, headers);
      }
    };
  }
}
