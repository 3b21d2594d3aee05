package dev.recsuite.k8s;

import dev.recsuite.feature.FeatureServiceMain;
import dev.recsuite.gateway.GatewayMain;
import dev.recsuite.grpc.EnvironmentDefaults;
import dev.recsuite.ranking.RankingServiceMain;
import dev.recsuite.recall.RecallServiceMain;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The four services as the manifests deploy them, tied to their real picocli commands: the option
 * variables, ports and durations the tests check come from the commands (through {@link
 * EnvironmentDefaults}, the rule the services use), so renaming an option or changing a default
 * breaks these tests rather than a cluster.
 */
enum Tier {
  GATEWAY("gateway", "gateway", GatewayMain.ENV_PREFIX, GatewayMain.class, GatewayMain::new,
      command -> ((GatewayMain) command).config()),
  RECALL("recall", "recall-service", RecallServiceMain.ENV_PREFIX, RecallServiceMain.class, RecallServiceMain::new,
      command -> ((RecallServiceMain) command).config()),
  FEATURE("feature", "feature-service", FeatureServiceMain.ENV_PREFIX, FeatureServiceMain.class, FeatureServiceMain::new,
      command -> ((FeatureServiceMain) command).config()),
  RANKING("ranking", "ranking-service", RankingServiceMain.ENV_PREFIX, RankingServiceMain.class, RankingServiceMain::new,
      command -> ((RankingServiceMain) command).config());

  static final List<Tier> INTERNAL = List.of(RECALL, FEATURE, RANKING);

  private final String resourceName;
  private final String serviceName;
  private final String envPrefix;
  private final Class<?> mainClass;
  private final Supplier<Object> command;
  private final Consumer<Object> validation;

  Tier(
      String resourceName,
      String serviceName,
      String envPrefix,
      Class<?> mainClass,
      Supplier<Object> command,
      Consumer<Object> validation) {
    this.resourceName = resourceName;
    this.serviceName = serviceName;
    this.envPrefix = envPrefix;
    this.mainClass = mainClass;
    this.command = command;
    this.validation = validation;
  }

  /** The name of the Deployment, Service, container and image target, e.g. {@code recall}. */
  String resourceName() {
    return resourceName;
  }

  /** The service's own name ({@code @Command(name)}), e.g. {@code recall-service}. */
  String serviceName() {
    return serviceName;
  }

  String envPrefix() {
    return envPrefix;
  }

  Class<?> mainClass() {
    return mainClass;
  }

  /** The variable of every option (hidden ones included), by the services' own naming rule. */
  Set<String> optionVariables() {
    EnvironmentDefaults naming = new EnvironmentDefaults(envPrefix, Map.of());
    Set<String> names = new LinkedHashSet<>();
    for (OptionSpec option : new CommandLine(command.get()).getCommandSpec().options()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        names.add(naming.variableName(option));
      }
    }
    return names;
  }

  /**
   * Parses the options as the service process would from this environment and these arguments.
   *
   * @throws CommandLine.ParameterException if a value does not parse
   */
  Parsed parse(Map<String, String> environment, List<String> args) {
    Object instance = command.get();
    CommandLine commandLine = new CommandLine(instance);
    // Variables set from the downward API have no value here; none of them is an option.
    Map<String, String> known = new java.util.HashMap<>();
    environment.forEach((name, value) -> {
      if (value != null) {
        known.put(name, value);
      }
    });
    commandLine.setDefaultValueProvider(new EnvironmentDefaults(envPrefix, known));
    commandLine.parseArgs(args.toArray(String[]::new));
    return new Parsed(this, instance, commandLine);
  }

  /** A parsed command: option values by name, and the service's own validation. */
  record Parsed(Tier tier, Object command, CommandLine commandLine) {

    <T> T value(String option) {
      OptionSpec spec = commandLine.getCommandSpec().findOption(option);
      if (spec == null) {
        throw new AssertionError(tier.serviceName + " has no option " + option);
      }
      return spec.getValue();
    }

    /** The option's value, or null when the service has no such option or it is unset. */
    <T> T valueIfOption(String option) {
      OptionSpec spec = commandLine.getCommandSpec().findOption(option);
      return spec == null ? null : spec.getValue();
    }

    int port() {
      return value("--port");
    }

    String host() {
      return value("--host");
    }

    Duration shutdownGrace() {
      return value("--shutdown-grace");
    }

    /**
     * Runs the service's config validation ({@code config()}).
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    void validate() {
      tier.validation.accept(command);
    }
  }
}
