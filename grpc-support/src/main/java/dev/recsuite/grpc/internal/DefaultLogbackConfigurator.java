package dev.recsuite.grpc.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.URL;
import java.util.function.UnaryOperator;

/**
 * Gives every service the same default logging (one concise line per event on stderr; INFO for
 * {@code dev.recsuite}, WARN for everything else; {@code RECSUITE_LOG_LEVEL} overrides the former)
 * without shipping a {@code logback.xml} that would clash with an application's or a test's own.
 *
 * <p>Logback runs {@link Configurator}s found by the {@code ServiceLoader} before it looks for its
 * files, so this one steps aside whenever {@code logback.configurationFile}, {@code
 * logback-test.xml} or {@code logback.xml} is present, and otherwise loads {@value #RESOURCE}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class DefaultLogbackConfigurator extends ContextAwareBase implements Configurator {

  /** The bundled configuration. */
  public static final String RESOURCE = "dev/recsuite/grpc/internal/logback-defaults.xml";

  private final UnaryOperator<String> systemProperties;

  /** Creates the configurator; the {@code ServiceLoader} calls this. */
  public DefaultLogbackConfigurator() {
    this(System::getProperty);
  }

  DefaultLogbackConfigurator(UnaryOperator<String> systemProperties) {
    this.systemProperties = systemProperties;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, DefaultLogbackConfigurator.class.getClassLoader());
  }

  ExecutionStatus configure(LoggerContext context, ClassLoader loader) {
    if (hasUserConfiguration(loader)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    URL defaults = loader.getResource(RESOURCE);
    if (defaults == null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    try {
      joran.doConfigure(defaults);
      return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    } catch (JoranException e) {
      addError("Cannot load " + RESOURCE, e);
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
  }

  /** Whether the application or the test brings its own configuration, which then wins. */
  boolean hasUserConfiguration(ClassLoader loader) {
    return systemProperties.apply("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }
}
