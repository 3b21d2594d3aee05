package dev.recsuite.grpc.security;

import dev.recsuite.grpc.ServerSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Per-client rate limits, as a picocli mixin: {@code --client-quota name=RATE} (repeatable, or
 * comma-separated) and {@code --default-client-quota RATE}, in calls per second; {@code 0} =
 * unlimited. A call over its client's quota is answered {@code RESOURCE_EXHAUSTED} naming the
 * client and the quota.
 */
public final class QuotaOptions {

  @Option(
      names = "--client-quota",
      paramLabel = "<name=rate>",
      split = ",",
      description =
          "Calls per second one client (certificate name, token client, or 'anonymous') may make,"
              + " e.g. web-frontend=200; repeatable or comma-separated; 0 = unlimited. Calls over it"
              + " get RESOURCE_EXHAUSTED.")
  private List<String> quotas = List.of();

  @Option(
      names = "--default-client-quota",
      paramLabel = "<rate>",
      defaultValue = "0",
      description = "Calls per second of each client without a --client-quota; 0 = unlimited.")
  private double defaultQuota;

  /**
   * {@code settings} with these quotas.
   *
   * @throws IllegalArgumentException naming a value that is not {@code name=RATE} with a rate >= 0
   */
  public ServerSettings applyTo(ServerSettings settings) {
    return settings.withSecurity(settings.security().withQuotas(toQuotas()));
  }

  /**
   * The parsed quotas.
   *
   * @throws IllegalArgumentException as {@link #applyTo}
   */
  public ClientQuotas toQuotas() {
    Map<String, Double> perClient = new LinkedHashMap<>();
    for (String quota : quotas) {
      String entry = quota.strip();
      int equals = entry.lastIndexOf('=');
      if (equals <= 0 || equals == entry.length() - 1) {
        throw new IllegalArgumentException(
            "client-quota: \"" + entry + "\" (expected: name=RATE, e.g. web-frontend=200)");
      }
      String name = entry.substring(0, equals).strip();
      double rate;
      try {
        rate = Double.parseDouble(entry.substring(equals + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "client-quota: \"" + entry + "\" (expected: name=RATE with RATE calls per second, e.g. web-frontend=200)");
      }
      if (perClient.put(name, rate) != null) {
        throw new IllegalArgumentException("client-quota: " + name + " given twice (expected: one quota per client)");
      }
    }
    return new ClientQuotas(perClient, defaultQuota);
  }
}
