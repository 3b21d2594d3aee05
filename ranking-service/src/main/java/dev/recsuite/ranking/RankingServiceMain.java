package dev.recsuite.ranking;

import com.google.inject.Guice;
import dev.recsuite.grpc.DefaultPorts;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerOptions;
import dev.recsuite.grpc.ServiceCommand;
import dev.recsuite.grpc.ServiceMain;
import dev.recsuite.grpc.bundles.BundleOptions;
import picocli.CommandLine.Command;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.telemetry.TelemetryOptions;
import dev.recsuite.grpc.security.AccessOptions;
import dev.recsuite.grpc.security.AdminOptions;
import dev.recsuite.grpc.security.QuotaOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code ranking-service} process: loads the ranking model of the newest bundle under {@code
 * --bundle-dir} and serves {@code dev.recsuite.ranking.v1.RankingService} on port {@value
 * DefaultPorts#RANKING} by default. Every option can also be set with an environment variable
 * {@code RANKING_<OPTION>} ({@code --bundle-dir}: {@code RANKING_BUNDLE_DIR}).
 *
 * <p>Exit codes are {@link ServiceMain}'s: 0 after a clean stop, 2 for bad arguments or a failed
 * start (one line on stderr, e.g. a bundle without {@code ranker.pb}).
 */
@Command(
    name = "ranking-service",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Scores candidate batches with the ranking model of the newest model bundle.")
public final class RankingServiceMain implements ServiceCommand {

  /** The prefix of the environment variables: {@code RANKING_BUNDLE_DIR}... */
  public static final String ENV_PREFIX = "RANKING";

  @Mixin private final ServerOptions server = new ServerOptions(DefaultPorts.RANKING);

  @Mixin private final BundleOptions bundles = new BundleOptions();

  @Mixin private final TelemetryOptions telemetry = new TelemetryOptions();

  @Mixin private final AccessOptions access = new AccessOptions();

  @Mixin private final AdminOptions admin = new AdminOptions();

  @Mixin private final QuotaOptions quotas = new QuotaOptions();

  @Option(
      names = "--max-batch",
      paramLabel = "<n>",
      defaultValue = "" + RankingServiceConfig.DEFAULT_MAX_BATCH,
      description = "Most candidates one Rank request may carry (1.." + RankingServiceConfig.MAX_MAX_BATCH + ").")
  private int maxBatch = RankingServiceConfig.DEFAULT_MAX_BATCH;

  /** Creates the command with its defaults; picocli fills in the options. */
  public RankingServiceMain() {}

  /**
   * The parsed options as a validated configuration.
   *
   * @throws IllegalArgumentException if an option is out of range, naming it
   */
  public RankingServiceConfig config() {
    ServerSettings serverSettings = quotas.applyTo(admin.applyTo(access.applyTo(server.toSettings())));
    return new RankingServiceConfig(
        serverSettings, bundles.toSettings(), maxBatch, telemetry.toSettings(serverSettings));
  }

  /**
   * Builds the service; the model is loaded when the lifecycle starts (a missing or bad bundle
   * fails the start with one line naming the bundle and file).
   *
   * @throws IllegalArgumentException if an option is out of range
   */
  @Override
  public Lifecycle assemble() {
    return Guice.createInjector(new RankingServiceModule(config())).getInstance(Lifecycle.class);
  }

  /** Runs the process; exits with {@link ServiceMain}'s code. */
  public static void main(String[] args) {
    System.exit(ServiceMain.forProcess(ENV_PREFIX).run(new RankingServiceMain(), args));
  }
}
