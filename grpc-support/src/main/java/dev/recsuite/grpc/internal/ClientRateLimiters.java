package dev.recsuite.grpc.internal;

import dev.recsuite.grpc.security.ClientQuotas;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Resilience4j {@link RateLimiter} per client with a quota, made on its first call. A rate
 * {@code r} becomes {@code ceil(r)} permits per {@code ceil(r)/r} seconds (5/s: 5 permits a
 * second; 0.5/s: 1 permit every 2 s), so a client may burst up to one period's permits. A call
 * never waits for a permit: it is refused at once.
 */
public final class ClientRateLimiters {

  private final String service;
  private final ClientQuotas quotas;
  private final Map<String, Optional<RateLimiter>> limiters = new ConcurrentHashMap<>();

  /**
   * @param service the server's name, for the limiters' names
   */
  public ClientRateLimiters(String service, ClientQuotas quotas) {
    this.service = Objects.requireNonNull(service, "service");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
  }

  /** Takes a permit for one call of {@code client}; {@code false} when it is over its quota. */
  public boolean tryAcquire(String client) {
    if (!quotas.any()) {
      return true;
    }
    // Client names come from the token file, certificates the client CA signed, or "anonymous":
    // a bounded set, so one limiter per name is kept for the server's lifetime.
    Optional<RateLimiter> limiter = limiters.computeIfAbsent(client, this::create);
    return limiter.map(RateLimiter::acquirePermission).orElse(true);
  }

  /** The quota of {@code client}, calls per second; 0 = unlimited. */
  public double rateOf(String client) {
    return quotas.rateOf(client);
  }

  private Optional<RateLimiter> create(String client) {
    double rate = quotas.rateOf(client);
    if (rate <= 0) {
      return Optional.empty();
    }
    int permits = (int) Math.min(Integer.MAX_VALUE, Math.ceil(rate));
    long periodNanos = Math.max(1, Math.round(permits / rate * 1e9));
    RateLimiterConfig config =
        RateLimiterConfig.custom()
            .limitForPeriod(permits)
            .limitRefreshPeriod(Duration.ofNanos(periodNanos))
            .timeoutDuration(Duration.ZERO)
            .build();
    return Optional.of(RateLimiter.of(service + "/" + client, config));
  }
}
