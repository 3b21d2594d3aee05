package dev.recsuite.grpc.security;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per-client rate limits: how many calls per second each client (a {@link Caller} name) may make;
 * a call beyond it is answered {@code RESOURCE_EXHAUSTED} naming the client and the quota.
 * Anonymous callers share one quota, under the name {@value Caller#ANONYMOUS}.
 *
 * @param perClient calls per second of named clients; {@code 0} = unlimited for that client
 * @param defaultRate calls per second of every other client; {@code 0} = unlimited
 */
public record ClientQuotas(Map<String, Double> perClient, double defaultRate) {

  /**
   * @throws IllegalArgumentException if a rate is negative, NaN or infinite, or a name is blank
   * @throws NullPointerException if {@code perClient} is null
   */
  public ClientQuotas {
    perClient = Map.copyOf(new TreeMap<>(Objects.requireNonNull(perClient, "perClient")));
    requireRate("default-client-quota", defaultRate);
    for (Map.Entry<String, Double> entry : perClient.entrySet()) {
      if (entry.getKey().isBlank()) {
        throw new IllegalArgumentException("client-quota: a blank client name (expected: name=RATE)");
      }
      requireRate("client-quota " + entry.getKey(), entry.getValue());
    }
  }

  /** No quota for anyone: the default. */
  public static ClientQuotas none() {
    return new ClientQuotas(Map.of(), 0);
  }

  /** The calls per second {@code client} may make; {@code 0} = unlimited. */
  public double rateOf(String client) {
    return perClient.getOrDefault(client, defaultRate);
  }

  /** Whether any client has a quota. */
  public boolean any() {
    return defaultRate > 0 || perClient.values().stream().anyMatch(rate -> rate > 0);
  }

  private static void requireRate(String what, double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(what + ": " + rate + " (expected: calls per second >= 0, 0 = unlimited)");
    }
  }
}
