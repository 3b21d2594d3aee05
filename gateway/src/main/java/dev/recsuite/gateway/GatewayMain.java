package dev.recsuite.gateway;

import com.google.inject.Guice;
import dev.recsuite.grpc.DefaultPorts;
import dev.recsuite.grpc.DurationConverter;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerOptions;
import dev.recsuite.grpc.ServiceCommand;
import dev.recsuite.grpc.ServiceMain;
import java.time.Duration;
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

  @Option(
      names = "--recall-target",
      defaultValue = "127.0.0.1:" + DefaultPorts.RECALL,
      description = "gRPC target of the recall tier (host:port, or dns:///name:port for several replicas).")
  String recallTarget;

  @Option(
      names = "--feature-target",
      defaultValue = "127.0.0.1:" + DefaultPorts.FEATURE,
      description = "gRPC target of the feature tier.")
  String featureTarget;

  @Option(
      names = "--ranking-target",
      defaultValue = "127.0.0.1:" + DefaultPorts.RANKING,
      description = "gRPC target of the ranking tier.")
  String rankingTarget;

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

  /** The validated configuration of the parsed options. */
  public GatewayConfig config() {
    return new GatewayConfig(
        server.toSettings(),
        recallTarget,
        featureTarget,
        rankingTarget,
        recallCandidates,
        maxK,
        defaultDeadline);
  }

  @Override
  public Lifecycle assemble() {
    return Guice.createInjector(new GatewayModule(config())).getInstance(Lifecycle.class);
  }

  public static void main(String[] args) {
    System.exit(ServiceMain.forProcess(ENV_PREFIX).run(new GatewayMain(), args));
  }
}
