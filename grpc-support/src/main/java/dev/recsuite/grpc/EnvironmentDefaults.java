package dev.recsuite.grpc;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives every option of a command an environment variable, by one rule: the prefix, an underscore,
 * then the option's longest name without dashes, upper-cased, with {@code -} replaced by {@code _}.
 * With prefix {@code RECALL}, {@code --bundle-dir} reads {@code RECALL_BUNDLE_DIR}.
 *
 * <p>Precedence: the command-line argument, then the environment variable, then the option's
 * declared default. A variable that is set but empty counts as unset. Positional parameters and
 * help options have no variable.
 *
 * <pre>{@code
 * new CommandLine(command)
 *     .setDefaultValueProvider(new EnvironmentDefaults("RECALL", System.getenv()));
 * }</pre>
 *
 * <p>{@link ServiceMain} installs it for you; {@link ConfigReference} documents the variables.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

  private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]*");

  private final String prefix;
  private final Map<String, String> environment;

  /**
   * Creates the provider.
   *
   * @param prefix the variable prefix, e.g. {@code RECALL}; upper-case letters, digits and {@code
   *     _}
   * @param environment the environment, {@code System.getenv()} in a main, a map in tests; it is
   *     copied
   * @throws IllegalArgumentException if {@code prefix} is not upper-case letters, digits and {@code
   *     _}
   */
  public EnvironmentDefaults(String prefix, Map<String, String> environment) {
    Objects.requireNonNull(prefix, "prefix");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix: \"" + prefix + "\" (expected: upper-case letters, digits and '_', e.g. RECALL)");
    }
    this.prefix = prefix;
    this.environment = Map.copyOf(environment);
  }

  /** Returns the variable prefix, e.g. {@code RECALL}. */
  public String prefix() {
    return prefix;
  }

  /**
   * Returns the environment variable of an option, e.g. {@code RECALL_BUNDLE_DIR} for {@code
   * --bundle-dir}.
   */
  public String variableName(OptionSpec option) {
    String name = option.longestName().replaceFirst("^-+", "");
    return prefix + "_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * Returns the value of the option's environment variable, or {@code null} so that picocli uses
   * the option's declared default.
   */
  @Override
  public String defaultValue(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value = environment.get(variableName(option));
    return value == null || value.isEmpty() ? null : value;
  }

  @Override
  public String toString() {
    return "EnvironmentDefaults[" + prefix + "_*]";
  }
}
