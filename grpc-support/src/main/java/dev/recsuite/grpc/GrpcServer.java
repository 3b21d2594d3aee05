package dev.recsuite.grpc;

import dev.recsuite.grpc.internal.ClientAccessInterceptor;
import dev.recsuite.grpc.internal.ConcurrencyLimitInterceptor;
import dev.recsuite.grpc.internal.ExceptionMappingInterceptor;
import dev.recsuite.grpc.internal.InFlightCalls;
import dev.recsuite.grpc.internal.OffloadingInterceptor;
import dev.recsuite.grpc.internal.RequestScreening;
import dev.recsuite.grpc.internal.ReloadingClientTokens;
import dev.recsuite.grpc.internal.ServerInstruments;
import dev.recsuite.grpc.security.ReloadingCredentials;
import dev.recsuite.grpc.security.ServerSecurity;
import dev.recsuite.grpc.telemetry.Telemetry;
import io.grpc.Attributes;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of one gRPC server process: the service's own services plus, always, {@code
 * grpc.health.v1.Health}, server reflection ({@code grpc.reflection.v1}) and the
 * exception-to-status mapping ({@code UNKNOWN} never reaches a client; see {@link
 * InvalidArgumentException} and its siblings).
 *
 * <p>In a service's Guice module (Netty on the configured address):
 *
 * <pre>{@code
 * @Provides @Singleton
 * GrpcServer server(ServerSettings settings, RecallGrpcService recall) {
 *   return GrpcServer.builder("recall-service", settings).addService(recall).build();
 * }
 * }</pre>
 *
 * <p>In a test, the same services over the in-process transport:
 *
 * <pre>{@code
 * GrpcServer server =
 *     GrpcServer.builder("recall-service", InProcessServerBuilder.forName(name))
 *         .addService(recall)
 *         .build();
 * server.start();
 * }</pre>
 *
 * <p>Health: once started, {@code ""} and every registered service name are {@code SERVING}; when
 * {@link #shutdownGracefully()} begins they all become {@code NOT_SERVING}.
 *
 * <p>Handlers run on virtual threads named {@code <service>-handler-N}, so they may block (on
 * downstream calls, on a store); {@link Builder#nonBlockingHandlers} runs those that never block on
 * the transport's event loop instead, {@link Builder#handlerExecutor} replaces the executor.
 *
 * <p>Load shedding: when more than {@link ServerSettings#maxConcurrentCalls()} calls of the
 * registered services are in flight, a new one is answered {@code RESOURCE_EXHAUSTED} at once
 * (before its request is read) rather than queueing until its deadline; {@link #stats()} counts
 * them. Health and reflection are never shed.
 *
 * <p>Telemetry: with {@link Builder#telemetry}, every call of the registered services gets a server
 * span (its parent the caller's span, from the {@code traceparent} header) and a {@code
 * rpc.server.duration} measurement, shed calls included; the server's load is exported as {@code
 * recsuite.server.calls_in_flight}, {@code recsuite.server.shed_calls} and {@code
 * recsuite.server.max_concurrent_calls}.
 *
 * <p>Security ({@link ServerSettings#security()}): TLS from PEM files that are reloaded when they
 * change; callers are known by their client certificate (mutual TLS) or bearer token ({@code
 * --client-tokens}, reloaded too) and admitted by name ({@code --allowed-clients}); the methods
 * declared with {@link Builder#adminMethods} (or {@link Builder#addAdminService}) only from {@code
 * --admin-clients}, never from anonymous callers; {@link Builder#writeMethods} never from anonymous
 * callers where credentials are configured; each client within its quota ({@code --client-quota},
 * else {@code RESOURCE_EXHAUSTED}, counted as {@code recsuite.server.throttled_calls}). Plaintext
 * without tokens is the local-development default (callers are anonymous); serving it on an
 * address other than loopback logs a warning. Every request message is screened before its handler
 * sees it: bytes that are not a message of the request type, and NaN or infinite numbers ({@link
 * FiniteNumbers}), are answered {@code INVALID_ARGUMENT}.
 *
 * <p>Limits per connection ({@link ConnectionPolicy}): concurrent calls (HTTP/2 streams),
 * keep-alive pings, idle time and age, and a cap on stream resets (the HTTP/2 "rapid reset"
 * flood).
 *
 * <p>With {@link ServerSettings#healthPort()}, {@code grpc.health.v1.Health} alone is also served
 * in plaintext on that port, for probes that cannot speak TLS (the Kubernetes kubelet's).
 */
public final class GrpcServer implements Managed, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

  /** How long to wait for termination after cancelling whatever is left. */
  private static final Duration FORCED_TERMINATION_WAIT = Duration.ofSeconds(5);

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final String name;
  private final String address;
  private final Server server;
  private final Server healthServer;
  private final ReloadingCredentials credentials;
  private final ReloadingClientTokens tokens;
  private final String plaintextWarning;
  private final String adminWarning;
  private final HealthStatusManager health;
  private final Set<String> serviceNames;
  private final InFlightCalls inFlight;
  private final ConcurrencyLimitInterceptor limiter;
  private final Duration shutdownGrace;
  private final Duration drainDelay;
  private final AtomicInteger connections = new AtomicInteger();
  private final ExecutorService ownedExecutor;
  private final ServerInstruments instruments;
  private final Object lock = new Object();
  private State state = State.NEW;

  private GrpcServer(Builder builder) {
    this.name = builder.name;
    this.address = builder.address;
    this.shutdownGrace = builder.shutdownGrace;
    this.drainDelay = builder.drainDelay;
    this.health = new HealthStatusManager();
    this.serviceNames = Collections.unmodifiableSet(builder.serviceNames());
    this.inFlight = new InFlightCalls(serviceNames);
    this.limiter =
        builder.maxConcurrentCalls > 0
            ? new ConcurrencyLimitInterceptor(name, builder.maxConcurrentCalls, inFlight)
            : null;

    // Outermost first. Telemetry sees every call, so that a shed call shows in the caller's trace
    // and in the error rate (a span and a histogram record: microseconds). Load shedding comes
    // next, before anything that costs more. The inner mapper sits next to the handler so that the
    // caller's interceptors (and telemetry) see mapped statuses; the outer one catches what those
    // interceptors throw.
    ExceptionMappingInterceptor mapper = new ExceptionMappingInterceptor();
    List<ServerInterceptor> chain = new ArrayList<>();
    if (builder.telemetry != null) {
      chain.addAll(builder.telemetry.serverInterceptors());
    }
    if (limiter != null) {
      chain.add(limiter);
    }
    // Who may call comes before anything that reads the request. Always installed: even in local
    // development, admin methods stay shut and the handler learns its (anonymous) caller.
    this.tokens = builder.tokens;
    Consumer<String> throttledCalls =
        builder.telemetry == null
            ? client -> {}
            : ServerInstruments.throttledCalls(builder.telemetry.meter("dev.recsuite.grpc"), name);
    chain.add(
        new ClientAccessInterceptor(
            name,
            builder.security,
            tokens == null ? null : tokens::current,
            builder.adminMethods,
            builder.writeMethods,
            throttledCalls));
    RequestScreening screening = new RequestScreening(builder.services);
    chain.add(screening);
    if (!builder.interceptors.isEmpty()) {
      chain.add(new ExceptionMappingInterceptor());
      chain.addAll(builder.interceptors);
    }
    chain.add(mapper);

    ServerBuilder<?> transport = builder.transport;
    if (builder.handlerExecutor != null) {
      this.ownedExecutor = null;
      transport.executor(builder.handlerExecutor);
    } else {
      this.ownedExecutor =
          Executors.newThreadPerTaskExecutor(
              Thread.ofVirtual().name(name + "-handler-", 0).factory());
      if (builder.nonBlockingHandlers) {
        transport.directExecutor();
      } else {
        transport.executor(ownedExecutor);
      }
    }
    Set<String> blockingMethods = Set.copyOf(builder.blockingMethods);
    Set<String> adminServices = Set.copyOf(builder.adminServices);
    OffloadingInterceptor offloading =
        builder.nonBlockingHandlers
            ? new OffloadingInterceptor(
                ownedExecutor,
                method ->
                    blockingMethods.contains(method)
                        || adminServices.contains(MethodDescriptor.extractFullServiceName(method)))
            : null;
    for (ServerServiceDefinition service : screening.services()) {
      ServerServiceDefinition intercepted = ServerInterceptors.interceptForward(service, chain);
      boolean mayBlock =
          offloading != null
              && service.getMethods().stream()
                  .anyMatch(method -> offloading.offloads(method.getMethodDescriptor().getFullMethodName()));
      transport.addService(mayBlock ? ServerInterceptors.intercept(intercepted, offloading) : intercepted);
    }
    transport.addService(health.getHealthService());
    transport.addService(ProtoReflectionServiceV1.newInstance());
    transport.addStreamTracerFactory(inFlight);
    transport.addTransportFilter(new ConnectionCounter(connections));
    this.server = transport.build();
    this.credentials = builder.credentials;
    this.healthServer =
        builder.healthPort.isPresent()
            ? connectionPolicy(
                    NettyServerBuilder.forAddress(
                        new InetSocketAddress(builder.host, builder.healthPort.getAsInt())),
                    builder.connections)
                .addService(health.getHealthService())
                .executor(ownedExecutor != null ? ownedExecutor : builder.handlerExecutor)
                .build()
            : null;
    this.plaintextWarning =
        builder.address != null && builder.security.tls().isEmpty() && !isLoopback(builder.host)
            ? name + " serves PLAINTEXT on " + builder.address
                + (builder.security.clientTokens().isPresent()
                    ? ": bearer tokens and data travel unencrypted."
                    : ": anyone who reaches it can call its (non-admin) methods.")
                + " Plaintext is for local development (see docs/SECURITY.md); set --tls-cert, --tls-key"
                + " and --tls-client-ca"
            : null;
    this.adminWarning =
        !builder.adminMethods.isEmpty() && builder.security.adminClients().isEmpty()
            ? name + ": no client may call the admin methods " + builder.adminMethods + " (no --admin-clients)"
            : null;
    this.instruments =
        builder.telemetry == null
            ? null
            : new ServerInstruments(
                builder.telemetry.meter("dev.recsuite.grpc"),
                name,
                inFlight::count,
                () -> limiter == null ? 0 : limiter.shedCalls(),
                limiter == null ? 0 : limiter.limit());
  }

  /**
   * Starts building a server that listens with Netty on {@code settings}' address, with its message
   * and metadata limits and its shutdown grace.
   *
   * @param name the service name for logs and messages, e.g. {@code recall-service}
   * @param settings where to listen and the limits
   */
  public static Builder builder(String name, ServerSettings settings) {
    InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
    ReloadingCredentials credentials =
        settings.security().tls().map(tls -> ReloadingCredentials.forServer(name, tls)).orElse(null);
    NettyServerBuilder netty =
        credentials == null
            ? NettyServerBuilder.forAddress(address)
            : NettyServerBuilder.forAddress(address, credentials.serverCredentials());
    netty
        .maxInboundMessageSize(settings.maxInboundMessageBytes())
        .maxInboundMetadataSize(settings.maxInboundMetadataBytes());
    connectionPolicy(netty, settings.connections());
    Builder builder =
        new Builder(name, netty, settings.address())
            .shutdownGrace(settings.shutdownGrace())
            .drainDelay(settings.drainDelay())
            .maxConcurrentCalls(settings.maxConcurrentCalls());
    builder.security = settings.security();
    builder.credentials = credentials;
    // A malformed token file fails here, at startup, naming its line.
    builder.tokens =
        settings
            .security()
            .clientTokens()
            .map(file -> new ReloadingClientTokens(name, file, ReloadingClientTokens.DEFAULT_RELOAD_INTERVAL))
            .orElse(null);
    builder.healthPort = settings.healthPort();
    builder.host = settings.host();
    builder.connections = settings.connections();
    return builder;
  }

  /** Applies the per-connection limits to a Netty server builder. */
  private static NettyServerBuilder connectionPolicy(NettyServerBuilder netty, ConnectionPolicy policy) {
    netty
        .maxConcurrentCallsPerConnection(policy.maxConcurrentCallsPerConnection())
        .permitKeepAliveTime(policy.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(false)
        .maxRstFramesPerWindow(ConnectionPolicy.MAX_RST_FRAMES_PER_WINDOW, ConnectionPolicy.RST_WINDOW_SECONDS);
    if (!policy.maxConnectionIdle().isZero()) {
      netty.maxConnectionIdle(policy.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS);
    }
    if (!policy.maxConnectionAge().isZero()) {
      netty
          .maxConnectionAge(policy.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
          .maxConnectionAgeGrace(policy.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS);
    }
    return netty;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Expert: starts building a server on any transport, e.g. {@code
   * InProcessServerBuilder.forName(name)} in tests. The builder is configured and built by {@link
   * Builder#build()}; do not reuse it.
   *
   * @param name the service name for logs and messages, e.g. {@code recall-service}
   * @param transport the transport's server builder, with its address and limits set
   */
  public static Builder builder(String name, ServerBuilder<?> transport) {
    return new Builder(name, transport, null);
  }

  /**
   * Starts listening and marks every service {@code SERVING}.
   *
   * @throws IOException if the server cannot listen, e.g. {@code "cannot listen on 127.0.0.1:50052:
   *     Address already in use"}
   * @throws IllegalStateException if the server was started or shut down before
   */
  @Override
  public void start() throws IOException {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException(name + ": start: server is " + state + " (expected: NEW)");
      }
      try {
        server.start();
      } catch (IOException e) {
        state = State.STOPPED;
        server.shutdownNow();
        shutdownOwnedExecutor();
        String where = address != null ? "listen on " + address : "start";
        throw new IOException("cannot " + where + ": " + rootMessage(e), e);
      }
      if (healthServer != null) {
        try {
          healthServer.start();
        } catch (IOException e) {
          state = State.STOPPED;
          server.shutdownNow();
          healthServer.shutdownNow();
          shutdownOwnedExecutor();
          throw new IOException("cannot listen for health checks: " + rootMessage(e), e);
        }
      }
      if (credentials != null) {
        credentials.start();
      }
      if (tokens != null) {
        tokens.start();
      }
      state = State.RUNNING;
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    for (String service : serviceNames) {
      health.setStatus(service, ServingStatus.SERVING);
    }
    log.info(
        "{} listening on {} ({}) with {}{}",
        name,
        listenAddresses(),
        credentials == null ? "plaintext" : "TLS",
        serviceNames,
        healthServer == null ? "" : "; health checks in plaintext on port " + healthServer.getPort());
    if (plaintextWarning != null) {
      log.warn(plaintextWarning);
    }
    if (adminWarning != null) {
      log.warn(adminWarning);
    }
  }

  /**
   * Returns the port of the plaintext health-check server, {@code -1} without one.
   *
   * @throws IllegalStateException if the server is not started
   */
  public int healthPort() {
    return healthServer == null ? -1 : healthServer.getPort();
  }

  /**
   * Returns the port the server listens on, useful after binding port 0; {@code -1} on a transport
   * without ports (in-process).
   *
   * @throws IllegalStateException if the server is not started
   */
  public int port() {
    return server.getPort();
  }

  /**
   * Drains and stops the server: marks every service {@code NOT_SERVING}, stops accepting calls,
   * lets in-flight calls run for up to the shutdown grace, then cancels whatever is left (including
   * health watches and reflection streams) and waits for termination. Returns as soon as the
   * in-flight calls are done, not after the whole grace. Idempotent: a second caller waits for the
   * first one's shutdown to finish.
   */
  public void shutdownGracefully() {
    boolean drain;
    synchronized (lock) {
      switch (state) {
        case NEW -> {
          state = State.STOPPED;
          server.shutdownNow();
          shutdownOwnedExecutor();
          return;
        }
        case RUNNING -> {
          state = State.STOPPING;
          drain = true;
        }
        default -> drain = false;
      }
    }
    if (!drain) {
      awaitQuietly(); // another caller drains
      return;
    }
    log.info(
        "{} draining: {} calls in flight, grace {}",
        name,
        inFlight.count(),
        DurationConverter.format(shutdownGrace));
    health.enterTerminalState();
    try {
      if (!drainDelay.isZero() && connections.get() > 0) {
        // Clients watching health (the gateway's load balancer does) now stop sending new calls
        // here; keep serving the ones already on their way until they have.
        log.info(
            "{} reports NOT_SERVING; serving {} more before it stops accepting calls",
            name,
            DurationConverter.format(drainDelay));
        Thread.sleep(drainDelay);
      }
      server.shutdown();
      if (!inFlight.awaitIdle(shutdownGrace)) {
        log.warn(
            "{}: {} calls still running after the {} grace; cancelling them",
            name,
            inFlight.count(),
            DurationConverter.format(shutdownGrace));
      }
      server.shutdownNow();
      if (!server.awaitTermination(FORCED_TERMINATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} did not terminate within {} of being cancelled", name, FORCED_TERMINATION_WAIT);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      shutdownOwnedExecutor();
      synchronized (lock) {
        state = State.STOPPED;
      }
    }
    log.info("{} stopped", name);
  }

  /**
   * Expert: stops at once, as a crash would, without draining: in-flight calls are cancelled and
   * health is not turned to {@code NOT_SERVING} first (clients learn it from the broken
   * connections). For fault-injection tests; {@link #shutdownGracefully()} is the normal way.
   * Idempotent; a graceful shutdown in progress is cut short.
   */
  public void shutdownNow() {
    synchronized (lock) {
      if (state == State.STOPPED) {
        return;
      }
      state = State.STOPPED;
    }
    server.shutdownNow();
    try {
      if (!server.awaitTermination(FORCED_TERMINATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} did not terminate within {} of being cancelled", name, FORCED_TERMINATION_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutdownOwnedExecutor();
    }
    log.info("{} stopped at once", name);
  }

  /**
   * Expert: reads the TLS files now (as the periodic check does) and uses them for new connections
   * if they changed and are valid together.
   *
   * @return whether new credentials are in use; {@code false} for plaintext
   */
  public boolean reloadTls() {
    return credentials != null && credentials.reload();
  }

  /**
   * Expert: reads the {@code --client-tokens} file now (as the periodic check does) and uses it if
   * it changed and parses.
   *
   * @return whether new tokens are in use; {@code false} without a token file
   */
  public boolean reloadClientTokens() {
    return tokens != null && tokens.reload();
  }

  /** Returns the calls in flight, the calls shed so far and the concurrency limit. */
  public ServerStats stats() {
    return new ServerStats(
        inFlight.count(),
        limiter == null ? 0 : limiter.shedCalls(),
        limiter == null ? 0 : limiter.limit());
  }

  /** Same as {@link #shutdownGracefully()}, for {@link Lifecycle}. */
  @Override
  public void stop() {
    shutdownGracefully();
  }

  /** Same as {@link #shutdownGracefully()}, for try-with-resources and test cleanup. */
  @Override
  public void close() {
    shutdownGracefully();
  }

  /**
   * Blocks until the server has terminated.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Returns whether the server has terminated. */
  public boolean isTerminated() {
    return server.isTerminated();
  }

  /** Returns the service name used in logs, e.g. {@code recall-service}. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "GrpcServer[" + name + "]";
  }

  private void awaitQuietly() {
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void shutdownOwnedExecutor() {
    if (credentials != null) {
      credentials.stop();
    }
    if (tokens != null) {
      tokens.stop();
    }
    if (healthServer != null) {
      healthServer.shutdownNow();
    }
    if (instruments != null) {
      instruments.close();
    }
    if (ownedExecutor != null) {
      // No waiting: a handler still running after termination is past its call's end.
      ownedExecutor.shutdown();
    }
  }

  private String listenAddresses() {
    return server.getListenSockets().stream()
        .map(a -> a instanceof InetSocketAddress inet ? hostPort(inet) : String.valueOf(a))
        .collect(Collectors.joining(", "));
  }

  private static String hostPort(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null) {
      return root.getClass().getSimpleName();
    }
    // Netty's native transport says "bind(..) failed with error(-98): Address already in use".
    int last = message.lastIndexOf(": ");
    return last >= 0 ? message.substring(last + 2) : message;
  }

  /** Counts the client connections that became ready and have not terminated yet. */
  private static final class ConnectionCounter extends ServerTransportFilter {
    private static final Attributes.Key<Boolean> COUNTED = Attributes.Key.create("recsuite.counted");
    private final AtomicInteger connections;

    ConnectionCounter(AtomicInteger connections) {
      this.connections = connections;
    }

    @Override
    public Attributes transportReady(Attributes attributes) {
      connections.incrementAndGet();
      return attributes.toBuilder().set(COUNTED, Boolean.TRUE).build();
    }

    @Override
    public void transportTerminated(Attributes attributes) {
      if (Boolean.TRUE.equals(attributes.get(COUNTED))) {
        connections.decrementAndGet();
      }
    }
  }

  /** Builds a {@link GrpcServer}. Not thread-safe; build once. */
  public static final class Builder {

    private final String name;
    private final ServerBuilder<?> transport;
    private final String address;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private Duration shutdownGrace = ServerSettings.DEFAULT_SHUTDOWN_GRACE;
    private Duration drainDelay = Duration.ZERO;
    private int maxConcurrentCalls = ServerSettings.DEFAULT_MAX_CONCURRENT_CALLS;
    private Executor handlerExecutor;
    private Telemetry telemetry;
    private boolean built;
    private ServerSecurity security = ServerSecurity.plaintext();
    private ReloadingCredentials credentials;
    private ReloadingClientTokens tokens;
    private final Set<String> writeMethods = new LinkedHashSet<>();
    private final Set<String> blockingMethods = new LinkedHashSet<>();
    private OptionalInt healthPort = OptionalInt.empty();
    private String host = ServerSettings.DEFAULT_HOST;
    private ConnectionPolicy connections = ConnectionPolicy.defaults();
    private final Set<String> adminMethods = new LinkedHashSet<>();
    private final Set<String> adminServices = new LinkedHashSet<>();
    private boolean nonBlockingHandlers;

    private Builder(String name, ServerBuilder<?> transport, String address) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name: \"" + name + "\" (expected: not blank)");
      }
      this.name = name;
      this.transport = Objects.requireNonNull(transport, "transport");
      this.address = address;
    }

    /** Adds a service, e.g. the service's {@code *ImplBase} subclass. */
    public Builder addService(BindableService service) {
      return addService(service.bindService());
    }

    /** Adds a service definition, e.g. one already wrapped with its own interceptors. */
    public Builder addService(ServerServiceDefinition service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Adds interceptors for the registered services (not for health and reflection), the first one
     * outermost: it sees a call first and its final status last. Statuses they observe are already
     * mapped.
     */
    public Builder intercept(ServerInterceptor... interceptors) {
      for (ServerInterceptor interceptor : interceptors) {
        this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      }
      return this;
    }

    /**
     * Declares admin methods: only callers named in {@code --admin-clients} (by certificate or
     * token) may call them; other callers get {@code PERMISSION_DENIED}, anonymous ones {@code
     * UNAUTHENTICATED} where credentials can be presented. Without admin clients (always so in
     * plaintext without tokens) they are refused to everyone.
     */
    public Builder adminMethods(MethodDescriptor<?, ?>... methods) {
      for (MethodDescriptor<?, ?> method : methods) {
        adminMethods.add(method.getFullMethodName());
      }
      return this;
    }

    /**
     * Adds a service whose every method is an admin method (see {@link #adminMethods}), e.g. {@code
     * BundleAdminService}.
     */
    public Builder addAdminService(BindableService service) {
      ServerServiceDefinition definition = service.bindService();
      for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
        adminMethods.add(method.getMethodDescriptor().getFullMethodName());
      }
      adminServices.add(definition.getServiceDescriptor().getName());
      return addService(definition);
    }

    /**
     * Declares write methods (e.g. feature-service's {@code RecordEvents}): where credentials are
     * configured (mutual TLS or tokens), an anonymous caller is refused them even with {@code
     * --allow-anonymous}; like every method they admit only {@code --allowed-clients} (and admins)
     * when that list is set.
     */
    public Builder writeMethods(MethodDescriptor<?, ?>... methods) {
      for (MethodDescriptor<?, ?> method : methods) {
        writeMethods.add(method.getFullMethodName());
      }
      return this;
    }

    /**
     * Traces and measures every call of the registered services with {@code telemetry}'s server
     * interceptors (outermost, so shed calls count too) and exports the server's load. Nothing is
     * added for {@link Telemetry#noop()}.
     */
    public Builder telemetry(Telemetry telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
      return this;
    }

    /**
     * Sets how long in-flight calls may run once {@link GrpcServer#shutdownGracefully()} begins;
     * default 20 s.
     *
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public Builder shutdownGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace: " + grace + " (expected: >= 0)");
      }
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * Sets how long a graceful shutdown keeps serving after reporting {@code NOT_SERVING} while
     * clients are connected (see {@link ServerSettings#drainDelay()}). Default zero here; {@link
     * GrpcServer#builder(String, ServerSettings)} applies the settings' value.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Builder drainDelay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("drainDelay: " + delay + " (expected: >= 0)");
      }
      this.drainDelay = delay;
      return this;
    }

    /**
     * Sets the load-shedding limit: how many calls of the registered services may be in flight
     * before a new one is answered {@code RESOURCE_EXHAUSTED} at once; {@code 0} turns it off.
     * Default {@value ServerSettings#DEFAULT_MAX_CONCURRENT_CALLS}.
     *
     * @throws IllegalArgumentException if {@code calls} is negative
     */
    public Builder maxConcurrentCalls(int calls) {
      if (calls < 0) {
        throw new IllegalArgumentException(
            "maxConcurrentCalls: " + calls + " (expected: >= 0, 0 = no limit)");
      }
      this.maxConcurrentCalls = calls;
      return this;
    }

    /**
     * Expert: runs handlers on {@code executor} instead of the default named virtual threads. The
     * caller owns it and shuts it down. A direct executor is only for tests whose handlers never
     * block.
     */
    public Builder handlerExecutor(Executor executor) {
      this.handlerExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Declares that the handlers of the services added with {@link #addService} never block (CPU
     * work on data in memory): they then run on the transport's event-loop threads, which saves a
     * thread hand-off per call (measured: the largest single cost of a short call on a small
     * machine). Admin services ({@link #addAdminService}) and {@link #blockingMethods} still run
     * on virtual threads, since a bundle reload reads files for seconds. Not with {@link
     * #handlerExecutor}.
     */
    public Builder nonBlockingHandlers() {
      this.nonBlockingHandlers = true;
      return this;
    }

    /**
     * Declares methods that may block (e.g. a feedback write waiting for its store) on a server
     * with {@link #nonBlockingHandlers}: they still run on virtual threads, the server's other
     * methods on the transport threads. Without {@code nonBlockingHandlers} every method runs on
     * virtual threads anyway.
     */
    public Builder blockingMethods(MethodDescriptor<?, ?>... methods) {
      for (MethodDescriptor<?, ?> method : methods) {
        blockingMethods.add(method.getFullMethodName());
      }
      return this;
    }

    /**
     * Builds the server, not yet started.
     *
     * @throws IllegalStateException if no service was added, or {@code build} was called before
     * @throws IllegalArgumentException if two services have the same name
     */
    public GrpcServer build() {
      if (built) {
        throw new IllegalStateException(name + ": build: already built (a builder builds once)");
      }
      if (services.isEmpty()) {
        throw new IllegalStateException(name + ": build: no service added");
      }
      if (nonBlockingHandlers && handlerExecutor != null) {
        throw new IllegalStateException(
            name + ": build: nonBlockingHandlers and handlerExecutor exclude each other");
      }
      serviceNames();
      built = true;
      return new GrpcServer(this);
    }

    private Set<String> serviceNames() {
      Set<String> names = new LinkedHashSet<>();
      for (ServerServiceDefinition service : services) {
        String serviceName = service.getServiceDescriptor().getName();
        if (!names.add(serviceName)) {
          throw new IllegalArgumentException("service added twice: " + serviceName);
        }
      }
      return names;
    }
  }
}
