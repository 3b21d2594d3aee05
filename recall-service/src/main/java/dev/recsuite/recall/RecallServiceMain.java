package dev.recsuite.recall;

import com.google.inject.Guice;
import dev.recsuite.grpc.DefaultPorts;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerOptions;
import dev.recsuite.grpc.ServiceCommand;
import dev.recsuite.grpc.ServiceMain;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleOptions;
import dev.recsuite.grpc.telemetry.TelemetryOptions;
import dev.recsuite.grpc.security.AccessOptions;
import dev.recsuite.grpc.security.AdminOptions;
import dev.recsuite.grpc.security.QuotaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code recall-service} process: loads the newest bundle under {@code --bundle-dir} and serves
 * {@code RecallService} on port {@value DefaultPorts#RECALL} by default. Every option also reads
 * an environment variable {@code RECALL_<OPTION>} ({@code --bundle-dir}: {@code RECALL_BUNDLE_DIR}).
 * Exit code 2 with one line on stderr when the arguments are invalid or the bundle cannot be
 * loaded.
 */
@Command(
    name = "recall-service",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Candidate generation over the item index (collaborative KNN, BM25 content and query, popularity, item co-occurrence).")
public final class RecallServiceMain implements ServiceCommand {

  /** Prefix of the environment variables of the options. */
  public static final String ENV_PREFIX = "RECALL";

  @Mixin private final ServerOptions server = new ServerOptions(DefaultPorts.RECALL);

  @Mixin private final BundleOptions bundles = new BundleOptions();

  @Mixin private final TelemetryOptions telemetry = new TelemetryOptions();

  @Mixin private final AccessOptions access = new AccessOptions();

  @Mixin private final AdminOptions admin = new AdminOptions();

  @Mixin private final QuotaOptions quotas = new QuotaOptions();

  @Option(
      names = "--max-candidates",
      paramLabel = "<n>",
      defaultValue = "" + RecallServiceConfig.DEFAULT_MAX_CANDIDATES,
      description = "Largest max_candidates a request may ask for (1 to 100000).")
  private int maxCandidates;

  @Option(
      names = "--collaborative-quota",
      paramLabel = "<n>",
      defaultValue = "" + RecallSettings.DEFAULT_COLLABORATIVE_QUOTA,
      description = "Most candidates of the COLLABORATIVE source (0 turns it off).")
  private int collaborativeQuota;

  @Option(
      names = "--content-quota",
      paramLabel = "<n>",
      defaultValue = "" + RecallSettings.DEFAULT_CONTENT_QUOTA,
      description = "Most candidates of the CONTENT source (0 turns it off).")
  private int contentQuota;

  @Option(
      names = "--query-quota",
      paramLabel = "<n>",
      defaultValue = "" + RecallSettings.DEFAULT_QUERY_QUOTA,
      description = "Most candidates of the QUERY source (0 turns it off).")
  private int queryQuota;

  @Option(
      names = "--popular-quota",
      paramLabel = "<n>",
      defaultValue = "" + RecallSettings.DEFAULT_POPULAR_QUOTA,
      description = "Most candidates of the POPULAR source (0 turns it off).")
  private int popularQuota;

  @Option(
      names = "--co-occurrence-quota",
      paramLabel = "<n>",
      defaultValue = "" + RecallSettings.DEFAULT_CO_OCCURRENCE_QUOTA,
      description = "Most candidates of the CO_OCCURRENCE source (0 turns it off; off anyway when the bundle has no cooccurrence.pb).")
  private int coOccurrenceQuota;

  /**
   * The parsed options as a validated config.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public RecallServiceConfig config() {
    ServerSettings serverSettings = quotas.applyTo(admin.applyTo(access.applyTo(server.toSettings())));
    return new RecallServiceConfig(
        bundles.toSettings(),
        maxCandidates,
        RecallSettings.defaults()
            .withQuotas(collaborativeQuota, contentQuota, queryQuota, popularQuota, coOccurrenceQuota),
        serverSettings,
        telemetry.toSettings(serverSettings));
  }

  /**
   * Builds the service graph, loading the newest bundle.
   *
   * @throws Exception if the config is invalid or the bundle cannot be loaded; the message names it
   */
  @Override
  public Lifecycle assemble() {
    return Guice.createInjector(new RecallServiceModule(config())).getInstance(Lifecycle.class);
  }

  /** Runs the service until SIGTERM; exits 2 with one line on stderr if it cannot start. */
  public static void main(String[] args) {
    System.exit(ServiceMain.forProcess(ENV_PREFIX).run(new RecallServiceMain(), args));
  }
}
