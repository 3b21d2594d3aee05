package dev.recsuite.feature;

import com.google.inject.Guice;
import dev.recsuite.grpc.DefaultPorts;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerOptions;
import dev.recsuite.grpc.ServiceCommand;
import dev.recsuite.grpc.ServiceMain;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.bundles.BundleOptions;
import dev.recsuite.grpc.bundles.BundleSettings;
import dev.recsuite.grpc.telemetry.TelemetryOptions;
import dev.recsuite.grpc.security.AccessOptions;
import dev.recsuite.grpc.security.AdminOptions;
import dev.recsuite.grpc.security.QuotaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code feature-service} process: serves the user and item features of the newest bundle
 * under {@code --bundle-dir} merged with the online activity of the feedback store, and records
 * feedback events into that store. Every option can also be set through an environment variable
 * named {@code FEATURE_} plus the option name (e.g. {@code FEATURE_BUNDLE_DIR}).
 */
@Command(
    name = "feature-service",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Serves user and item features of the newest model bundle, merged with real-time feedback,"
            + " over gRPC.")
public final class FeatureServiceMain implements ServiceCommand {

  /** The prefix of the environment variables that set the options. */
  public static final String ENV_PREFIX = "FEATURE";

  @Mixin private final ServerOptions server = new ServerOptions(DefaultPorts.FEATURE);

  @Mixin private final BundleOptions bundles = new BundleOptions();

  @Mixin private final TelemetryOptions telemetry = new TelemetryOptions();

  @Mixin private final AccessOptions access = new AccessOptions();

  @Mixin private final AdminOptions admin = new AdminOptions();

  @Mixin private final QuotaOptions quotas = new QuotaOptions();

  @Mixin private final FeedbackOptions feedback = new FeedbackOptions();

  @Option(
      names = "--max-batch",
      paramLabel = "<ids>",
      defaultValue = "" + FeatureServiceConfig.DEFAULT_MAX_BATCH,
      description =
          "Most item ids one GetItemFeatures call may ask for (1.."
              + FeatureServiceConfig.MAX_MAX_BATCH
              + "); more fail with INVALID_ARGUMENT.")
  private int maxBatch;

  /** Creates the command; picocli fills in the options. */
  public FeatureServiceMain() {}

  /**
   * The parsed options as the validated configuration.
   *
   * @throws IllegalArgumentException if a value is out of range; the message names it
   */
  public FeatureServiceConfig config() {
    ServerSettings serverSettings = quotas.applyTo(admin.applyTo(access.applyTo(server.toSettings())));
    BundleSettings bundleSettings = bundles.toSettings();
    return new FeatureServiceConfig(
        bundleSettings,
        maxBatch,
        serverSettings,
        telemetry.toSettings(serverSettings),
        feedback.toConfig(bundleSettings.directory()));
  }

  /**
   * Builds the service; the bundle is loaded when the lifecycle starts (a missing or bad one fails
   * the start with one line).
   *
   * @throws IllegalArgumentException if an option is out of range
   */
  @Override
  public Lifecycle assemble() {
    return Guice.createInjector(new FeatureServiceModule(config())).getInstance(Lifecycle.class);
  }

  /** Runs the service until SIGTERM; exits 2 with one line on stderr if it cannot start. */
  public static void main(String[] args) {
    System.exit(ServiceMain.forProcess(ENV_PREFIX).run(new FeatureServiceMain(), args));
  }
}
