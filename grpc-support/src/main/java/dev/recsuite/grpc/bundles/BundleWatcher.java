package dev.recsuite.grpc.bundles;

import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.grpc.Managed;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the newest bundle (and the one before it, for the retention period) at start and then
 * watches the bundle directory: when the trainer
 * publishes a newer version, it is opened (checksums verified), turned into the tier's model and
 * published to {@link ServedBundles} while requests keep flowing. A bundle that fails to load is
 * logged and skipped until a newer one appears; the tier keeps serving what it has.
 *
 * @param <T> the model built from a bundle
 */
public final class BundleWatcher<T> implements Managed {

  private static final Logger log = LoggerFactory.getLogger(BundleWatcher.class);

  private final String service;
  private final BundleRepository repository;
  private final Function<Bundle, T> loader;
  private final ServedBundles<T> served;
  private final Duration pollInterval;
  private ScheduledExecutorService scheduler;
  private volatile String failedVersion = "";

  /**
   * @param service the tier's name, for logs and the watcher thread's name
   * @param loader builds the tier's model from an opened bundle; may throw {@code
   *     InvalidBundleException} or any runtime exception for a bundle it cannot serve
   * @param pollInterval how often the directory is checked; zero turns watching off
   * @throws IllegalArgumentException if {@code pollInterval} is negative
   */
  public BundleWatcher(
      String service,
      BundleRepository repository,
      Function<Bundle, T> loader,
      ServedBundles<T> served,
      Duration pollInterval) {
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: >= 0)");
    }
    this.service = Objects.requireNonNull(service, "service");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.served = Objects.requireNonNull(served, "served");
    this.pollInterval = pollInterval;
  }

  /**
   * Loads the newest bundle (so a service without a valid bundle fails to start) and starts
   * watching.
   *
   * @throws dev.recsuite.core.bundle.InvalidBundleException if there is no valid bundle
   */
  @Override
  public synchronized void start() {
    Bundle bundle = repository.openLatest();
    List<String> versions = repository.versions();
    if (versions.size() >= 2) {
      // Also the previous version, for its retention period: a tier restarted during a roll-out
      // still serves requests the gateway pins to the version the other tiers are on.
      String previous = versions.get(versions.size() - 2);
      try {
        served.publish(previous, loader.apply(repository.open(previous)));
      } catch (RuntimeException e) {
        log.warn("{} cannot load the previous bundle {}: {}", service, previous, e.getMessage());
      }
    }
    served.publish(bundle.version(), loader.apply(bundle));
    if (!pollInterval.isZero()) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name(service + "-bundle-watcher").daemon().factory());
      scheduler.scheduleWithFixedDelay(
          this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Checks once for a newer bundle and serves it; also retires expired versions. Called by the
   * watcher thread; public for tests and admin tooling.
   *
   * @return whether a newer version is now served
   */
  public boolean poll() {
    try {
      served.evictExpired();
      Optional<String> latest = repository.latestVersion();
      if (latest.isEmpty()
          || latest.get().compareTo(served.newestVersion()) <= 0
          || latest.get().equals(failedVersion)) {
        return false;
      }
      long started = System.nanoTime();
      Bundle bundle = repository.open(latest.get());
      served.publish(bundle.version(), loader.apply(bundle));
      log.info(
          "{} loaded bundle {} in {} ms", service, bundle.version(), (System.nanoTime() - started) / 1_000_000);
      return true;
    } catch (RuntimeException e) {
      repository.latestVersion().ifPresent(version -> failedVersion = version);
      log.error(
          "{} cannot load bundle {}; still serving {}: {}",
          service, failedVersion, served.newestVersion(), e.getMessage(), e);
      return false;
    }
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
