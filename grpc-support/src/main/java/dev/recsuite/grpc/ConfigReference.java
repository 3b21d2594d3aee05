package dev.recsuite.grpc;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Renders a command's configuration reference (option, environment variable, default, description)
 * as a Markdown table, so that a module's README and its options cannot drift apart: a test
 * compares the README with {@link #markdown}.
 *
 * <pre>{@code
 * String table = ConfigReference.markdown(new CommandLine(new RecallServiceMain()), "RECALL");
 * }</pre>
 */
public final class ConfigReference {

  private ConfigReference() {}

  /**
   * Returns a Markdown table of the command's visible options, in declaration order, with the
   * declared defaults (never values from the environment). Help options are left out.
   *
   * @param commandLine the command; a default value provider it carries is ignored while rendering
   * @param envPrefix the {@link EnvironmentDefaults} prefix, e.g. {@code RECALL}
   * @throws IllegalArgumentException if {@code envPrefix} is not a valid prefix
   */
  public static String markdown(CommandLine commandLine, String envPrefix) {
    EnvironmentDefaults naming = new EnvironmentDefaults(envPrefix, Map.of());
    CommandSpec spec = commandLine.getCommandSpec();
    // Descriptions interpolate ${DEFAULT-VALUE} through the provider: detach it so the reference
    // shows declared defaults, not this machine's environment.
    IDefaultValueProvider provider = spec.defaultValueProvider();
    spec.defaultValueProvider(null);
    try {
      StringBuilder out = new StringBuilder();
      out.append("| Option | Environment variable | Default | Description |\n");
      out.append("|---|---|---|---|\n");
      for (OptionSpec option : spec.options()) {
        if (option.hidden() || option.usageHelp() || option.versionHelp()) {
          continue;
        }
        out.append("| ")
            .append(
                Stream.of(option.names()).map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
            .append(" | `")
            .append(naming.variableName(option))
            .append("` | ")
            .append(defaultCell(option))
            .append(" | ")
            .append(cell(String.join(" ", option.description())))
            .append(" |\n");
      }
      return out.toString();
    } finally {
      spec.defaultValueProvider(provider);
    }
  }

  private static String defaultCell(OptionSpec option) {
    if (option.required()) {
      return "(required)";
    }
    String value = option.defaultValue();
    if (value == null && option.hasInitialValue() && option.initialValue() != null) {
      value = String.valueOf(option.initialValue());
    }
    return value == null || value.isEmpty() ? "" : "`" + cell(value) + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
