package dev.recsuite.gateway;

import com.google.inject.Guice;
import dev.recsuite.grpc.DefaultPorts;
import dev.recsuite.grpc.DurationConverter;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerOptions;
import dev.recsuite.grpc.ServiceCommand;
import dev.recsuite.grpc.ServiceMain;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.telemetry.TelemetryOptions;
import dev.recsuite.grpc.security.AccessOptions;
import dev.recsuite.grpc.security.QuotaOptions;
import dev.recsuite.grpc.security.ClientTlsSettings;
import dev.recsuite.grpc.security.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The gateway process: the public {@code Recommend} API in front of the internal tiers. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "The public Recommend API; fans out to recall, features and ranking.")
public final class GatewayMain implements ServiceCommand {

  /** Environment variable prefix of every option: GATEWAY_PORT, GATEWAY_RECALL_TARGET... */
  public static final String ENV_PREFIX = "GATEWAY";

  @Mixin final ServerOptions server = new ServerOptions(DefaultPorts.GATEWAY);

  @Mixin final TelemetryOptions telemetry = new TelemetryOptions();

  @Mixin final AccessOptions access = new AccessOptions();

  @Mixin final QuotaOptions quotas = new QuotaOptions();

  @Option(
      names = "--recall-target",
      defaultValue = "127.0.0.1:" + DefaultPorts.RECALL,
      description =
          "The recall tier: host:port, a list host:port,host:port of replicas, or dns:///name:port"
              + " (every address of the name is a replica).")
  String recallTarget;

  @Option(
      names = "--feature-target",
      defaultValue = "127.0.0.1:" + DefaultPorts.FEATURE,
      description = "The feature tier, in the same forms as --recall-target.")
  String featureTarget;

  @Option(
      names = "--ranking-target",
      defaultValue = "127.0.0.1:" + DefaultPorts.RANKING,
      description = "The ranking tier, in the same forms as --recall-target.")
  String rankingTarget;

  @Option(
      names = "--downstream-tls-ca",
      paramLabel = "<file>",
      description =
          "Call recall, feature and ranking over TLS, verifying their certificates (and host names) against"
              + " these CAs (PEM). Unset = plaintext, for local development only.")
  Path downstreamTlsCa;

  @Option(
      names = "--downstream-tls-cert",
      paramLabel = "<file>",
      description =
          "The gateway's client certificate chain (PEM) for mutual TLS to the tiers (their"
              + " --tls-client-ca and --allowed-clients); needs --downstream-tls-key and --downstream-tls-ca.")
  Path downstreamTlsCert;

  @Option(
      names = "--downstream-tls-key",
      paramLabel = "<file>",
      description = "Private key of --downstream-tls-cert (PEM, PKCS #8: BEGIN PRIVATE KEY).")
  Path downstreamTlsKey;

  @Option(
      names = "--downstream-tls-reload-interval",
      paramLabel = "<duration>",
      defaultValue = "1m",
      converter = DurationConverter.class,
      description =
          "How often the --downstream-tls-* files are checked for changes; changed ones are used for new"
              + " connections. 0 = never.")
  Duration downstreamTlsReloadInterval;

  @Option(
      names = "--recall-candidates",
      defaultValue = "" + GatewayConfig.DEFAULT_RECALL_CANDIDATES,
      description = "Candidates asked from recall per request (1..2000).")
  int recallCandidates;

  @Option(
      names = "--max-k",
      defaultValue = "" + GatewayConfig.DEFAULT_MAX_K,
      description = "Largest k a request may ask for (1..1000).")
  int maxK;

  @Option(
      names = "--default-deadline",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Time budget of a request whose caller set no deadline, e.g. 2s or 800ms.")
  Duration defaultDeadline;

  @Option(
      names = "--answer-reserve",
      defaultValue = "10ms",
      converter = DurationConverter.class,
      description = "Time the gateway keeps for itself to assemble the answer; downstream calls share the rest of the deadline.")
  Duration answerReserve;

  @Option(
      names = "--min-call-time",
      defaultValue = "5ms",
      converter = DurationConverter.class,
      description = "A downstream call, retry or hedge starts only with at least this much of its budget left; a request with less gets the cached popular list at once.")
  Duration minCallTime;

  @Option(
      names = "--recall-share",
      defaultValue = "0.5",
      description = "Share of the request's remaining time a recall call may use (0..1].")
  double recallShare;

  @Option(
      names = "--recall-timeout",
      defaultValue = "800ms",
      converter = DurationConverter.class,
      description = "Longest a recall call may take, whatever the deadline.")
  Duration recallTimeout;

  @Option(
      names = "--recall-slow-call",
      defaultValue = "400ms",
      converter = DurationConverter.class,
      description = "Recall calls slower than this count as slow for the recall circuit breaker.")
  Duration recallSlowCall;

  @Option(
      names = "--recall-bulkhead",
      defaultValue = "128",
      description = "Most recall calls in flight at once; beyond it requests use the popular list at once.")
  int recallBulkhead;

  @Option(
      names = "--recall-hedge-delay",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description = "Send a second recall attempt to another replica when the first has not answered after this long; 0 = no hedging.")
  Duration recallHedgeDelay;

  @Option(
      names = "--feature-share",
      defaultValue = "0.25",
      description = "Share of the request's remaining time a feature call may use (0..1].")
  double featureShare;

  @Option(
      names = "--feature-timeout",
      defaultValue = "300ms",
      converter = DurationConverter.class,
      description = "Longest a feature call (user or item features) may take, whatever the deadline.")
  Duration featureTimeout;

  @Option(
      names = "--feature-slow-call",
      defaultValue = "150ms",
      converter = DurationConverter.class,
      description = "Feature calls slower than this count as slow for the feature circuit breaker.")
  Duration featureSlowCall;

  @Option(
      names = "--feature-bulkhead",
      defaultValue = "256",
      description = "Most feature calls in flight at once; beyond it requests use the default features at once.")
  int featureBulkhead;

  @Option(
      names = "--ranking-timeout",
      defaultValue = "800ms",
      converter = DurationConverter.class,
      description = "Longest a ranking call may take; it gets the rest of the deadline minus the answer reserve, at most this.")
  Duration rankingTimeout;

  @Option(
      names = "--ranking-slow-call",
      defaultValue = "400ms",
      converter = DurationConverter.class,
      description = "Ranking calls slower than this count as slow for the ranking circuit breaker.")
  Duration rankingSlowCall;

  @Option(
      names = "--ranking-bulkhead",
      defaultValue = "128",
      description = "Most ranking calls in flight at once; beyond it requests are answered in recall order at once.")
  int rankingBulkhead;

  @Option(
      names = "--ranking-hedge-delay",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description = "Send a second ranking attempt to another replica when the first has not answered after this long; 0 = no hedging.")
  Duration rankingHedgeDelay;

  @Option(
      names = "--feedback-timeout",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "Longest a feedback write (RecordEvents on the feature tier) may take; a shorter caller deadline wins.")
  Duration feedbackTimeout;

  @Option(
      names = "--feedback-slow-call",
      defaultValue = "500ms",
      converter = DurationConverter.class,
      description = "Feedback writes slower than this count as slow for the feedback circuit breaker.")
  Duration feedbackSlowCall;

  @Option(
      names = "--feedback-bulkhead",
      defaultValue = "64",
      description = "Most feedback writes in flight at once; beyond it RecordFeedback answers RESOURCE_EXHAUSTED at once.")
  int feedbackBulkhead;

  @Option(
      names = "--recall-fresh-history",
      arity = "1",
      defaultValue = "true",
      description = "Ask the feature tier for the user's features before recall and pass the user's fresh (recorded feedback) items and dislikes to recall; false calls both at once, and recall sees only the bundle's history.")
  boolean freshHistory;

  @Option(
      names = "--breaker-failure-rate",
      defaultValue = "" + BreakerSettings.DEFAULT_FAILURE_RATE_PERCENT,
      description = "A tier's circuit breaker opens when this percentage of its recent calls failed (1..100).")
  int breakerFailureRate;

  @Option(
      names = "--breaker-slow-call-rate",
      defaultValue = "" + BreakerSettings.DEFAULT_SLOW_CALL_RATE_PERCENT,
      description = "A tier's circuit breaker opens when this percentage of its recent calls were slow (1..100).")
  int breakerSlowCallRate;

  @Option(
      names = "--breaker-window",
      defaultValue = "" + BreakerSettings.DEFAULT_WINDOW,
      description = "Number of recent calls the breaker's rates are computed over.")
  int breakerWindow;

  @Option(
      names = "--breaker-minimum-calls",
      defaultValue = "" + BreakerSettings.DEFAULT_MINIMUM_CALLS,
      description = "Calls in the window before a breaker may open (1..breaker-window).")
  int breakerMinimumCalls;

  @Option(
      names = "--breaker-open-time",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long an open breaker refuses calls before it lets probe calls through.")
  Duration breakerOpenTime;

  @Option(
      names = "--breaker-half-open-calls",
      defaultValue = "" + BreakerSettings.DEFAULT_HALF_OPEN_CALLS,
      description = "Probe calls a half-open breaker lets through; it closes if they are healthy, else opens again.")
  int breakerHalfOpenCalls;

  @Option(
      names = "--retry-max-attempts",
      defaultValue = "" + RetrySettings.DEFAULT_MAX_ATTEMPTS,
      description = "Attempts per downstream call, retries and hedges included (1..5; 1 = never retry).")
  int retryMaxAttempts;

  @Option(
      names = "--retry-budget-ratio",
      defaultValue = "" + RetrySettings.DEFAULT_BUDGET_RATIO,
      description = "Retries and hedges to a tier stay below this fraction of its calls (0..1), plus --retry-budget-floor a second.")
  double retryBudgetRatio;

  @Option(
      names = "--retry-budget-floor",
      defaultValue = "" + RetrySettings.DEFAULT_BUDGET_FLOOR_PER_SECOND,
      description = "Retries and hedges per second each tier may get whatever its traffic.")
  int retryBudgetFloor;

  @Option(
      names = "--popular-refresh",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How often the cached popular list (the fallback when recall fails) is refreshed from recall.")
  Duration popularRefresh;

  @Option(
      names = "--popular-size",
      defaultValue = "" + GatewayConfig.DEFAULT_POPULAR_SIZE,
      description = "Most items in the cached popular list (1..2000); recall's popular source may give fewer.")
  int popularSize;

  @Option(
      names = "--outlier-failure-rate",
      defaultValue = "" + GatewayConfig.DEFAULT_OUTLIER_FAILURE_RATE_PERCENT,
      description = "A replica failing this percentage of its calls (20 calls at least, two replicas at least) is ejected from the balancing for a while; 0 = never.")
  int outlierFailureRate;

  @Option(
      names = "--outlier-ejection",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long an ejected replica gets no calls (longer if it is ejected again, up to 5 times this).")
  Duration outlierEjection;

  /**
   * The validated configuration of the parsed options.
   *
   * @throws IllegalArgumentException naming the first invalid option value
   */
  public GatewayConfig config() {
    BreakerSettings breaker =
        new BreakerSettings(
            breakerFailureRate,
            breakerSlowCallRate,
            breakerWindow,
            breakerMinimumCalls,
            breakerOpenTime,
            breakerHalfOpenCalls);
    RetrySettings retry = new RetrySettings(retryMaxAttempts, retryBudgetRatio, retryBudgetFloor);
    ServerSettings serverSettings = quotas.applyTo(access.applyTo(server.toSettings()));
    return new GatewayConfig(
        serverSettings,
        recallTarget,
        featureTarget,
        rankingTarget,
        recallCandidates,
        maxK,
        defaultDeadline,
        answerReserve,
        minCallTime,
        new DownstreamPolicy(
            Downstream.RECALL, recallShare, recallTimeout, recallSlowCall, recallBulkhead, recallHedgeDelay,
            breaker, retry),
        new DownstreamPolicy(
            Downstream.FEATURES, featureShare, featureTimeout, featureSlowCall, featureBulkhead, Duration.ZERO,
            breaker, retry),
        new DownstreamPolicy(
            Downstream.RANKING, 1.0, rankingTimeout, rankingSlowCall, rankingBulkhead, rankingHedgeDelay,
            breaker, retry),
        new DownstreamPolicy(
            Downstream.FEEDBACK, 1.0, feedbackTimeout, feedbackSlowCall, feedbackBulkhead, Duration.ZERO,
            breaker, retry),
        freshHistory,
        popularRefresh,
        popularSize,
        outlierFailureRate,
        outlierEjection,
        telemetry.toSettings(serverSettings));
  }

  /**
   * The TLS of the gateway's channels to the tiers; empty for plaintext.
   *
   * @throws IllegalArgumentException if a certificate or key is given without the CA, or one of
   *     them without the other
   */
  public Optional<ClientTlsSettings> downstreamTls() {
    if (downstreamTlsCa == null) {
      if (downstreamTlsCert != null || downstreamTlsKey != null) {
        throw new IllegalArgumentException(
            "downstream-tls-cert/-key: " + (downstreamTlsCert != null ? downstreamTlsCert : downstreamTlsKey)
                + " without --downstream-tls-ca (expected: the CA that signed the tiers' certificates too)");
      }
      return Optional.empty();
    }
    return Optional.of(
        new ClientTlsSettings(
            downstreamTlsCa,
            Optional.ofNullable(downstreamTlsCert),
            Optional.ofNullable(downstreamTlsKey),
            downstreamTlsReloadInterval == null ? TlsSettings.DEFAULT_RELOAD_INTERVAL : downstreamTlsReloadInterval));
  }

  /**
   * The gateway's Guice module for the parsed options.
   *
   * @throws IllegalArgumentException naming the first invalid option value
   */
  public GatewayModule module() {
    return new GatewayModule(config(), downstreamTls());
  }

  @Override
  public Lifecycle assemble() {
    return Guice.createInjector(module()).getInstance(Lifecycle.class);
  }

  public static void main(String[] args) {
    System.exit(ServiceMain.forProcess(ENV_PREFIX).run(new GatewayMain(), args));
  }
}
