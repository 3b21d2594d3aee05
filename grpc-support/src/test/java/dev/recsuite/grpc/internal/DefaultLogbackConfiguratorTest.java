package dev.recsuite.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class DefaultLogbackConfiguratorTest {

  /** Sees only the bundled defaults, as an application without a logback.xml does. */
  private static final ClassLoader DEFAULTS_ONLY =
      new ClassLoader(null) {
        @Override
        protected URL findResource(String name) {
          return name.equals(DefaultLogbackConfigurator.RESOURCE)
              ? DefaultLogbackConfiguratorTest.class.getClassLoader().getResource(name)
              : null;
        }
      };

  @Test
  void configure_noUserConfiguration_appliesTheDefaults() {
    LoggerContext context = new LoggerContext();
    DefaultLogbackConfigurator configurator = new DefaultLogbackConfigurator(name -> null);
    configurator.setContext(context);

    ExecutionStatus status = configurator.configure(context, DEFAULTS_ONLY);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger("dev.recsuite").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
    // STDERR behind the appender that adds trace ids to each line.
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OTEL")).isNotNull();
  }

  @Test
  void configure_testConfigurationOnTheClasspath_stepsAside() {
    LoggerContext context = new LoggerContext();
    DefaultLogbackConfigurator configurator = new DefaultLogbackConfigurator(name -> null);
    configurator.setContext(context);

    // This module's tests carry a logback-test.xml.
    ExecutionStatus status =
        configurator.configure(context, DefaultLogbackConfiguratorTest.class.getClassLoader());

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }

  @Test
  void configure_configurationFileProperty_stepsAside() {
    LoggerContext context = new LoggerContext();
    DefaultLogbackConfigurator configurator =
        new DefaultLogbackConfigurator(
            name -> name.equals("logback.configurationFile") ? "/etc/logback.xml" : null);
    configurator.setContext(context);

    assertThat(configurator.configure(context, DEFAULTS_ONLY))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }
}
