package dev.recsuite.grpc.bundles;

import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleRepository;
import com.google.protobuf.Timestamp;
import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>With a {@link Telemetry}, it exports {@code recsuite.bundle.loaded} (1 per loaded version,
 * attributes {@code version} and {@code newest}), {@code recsuite.bundle.age} (seconds since the
 * newest served bundle was trained, from its manifest's {@code created_at}) and {@code
 * recsuite.bundle.loads} (attempts to load a bundle, attribute {@code outcome}: {@code ok} or
 * {@code failed}).
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
  private final Telemetry telemetry;
  private final Clock clock;
  /** The manifests' creation times of the versions published, for the bundle age. */
  private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
  private final List<AutoCloseable> instruments = new ArrayList<>();
  private final LongCounter loads;
  private boolean registered;
  private ScheduledExecutorService scheduler;
  private volatile String failedVersion = "";
  private volatile String failureMessage = "";
  // Serialises checks (the watcher thread's and an admin's ReloadBundles) so one version is never
  // loaded twice. Not this object's monitor: stop() holds it while waiting for the watcher thread.
  private final Object checkLock = new Object();

  /**
   * The outcome of one check of the bundle directory.
   *
   * @param loadedNewVersion whether a version newer than the one served was loaded
   * @param versions the versions served afterwards, oldest first
   * @param failedVersion the newest version in the directory if it could not be loaded, else empty
   * @param failureMessage why it could not be loaded, else empty
   */
  public record Check(boolean loadedNewVersion, List<String> versions, String failedVersion, String failureMessage) {

    /** @throws NullPointerException if a value is null */
    public Check {
      versions = List.copyOf(versions);
      Objects.requireNonNull(failedVersion, "failedVersion");
      Objects.requireNonNull(failureMessage, "failureMessage");
    }
  }

  private static final AttributeKey<String> VERSION = AttributeKey.stringKey("version");
  private static final AttributeKey<Boolean> NEWEST = AttributeKey.booleanKey("newest");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  private static final Attributes LOADED = Attributes.of(OUTCOME, "ok");
  private static final Attributes FAILED = Attributes.of(OUTCOME, "failed");

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
    this(service, repository, loader, served, pollInterval, Telemetry.noop(), Clock.systemUTC());
  }

  /**
   * A watcher that also exports the bundle metrics through {@code telemetry}.
   *
   * @param service the tier's name, for logs and the watcher thread's name
   * @param loader builds the tier's model from an opened bundle; may throw {@code
   *     InvalidBundleException} or any runtime exception for a bundle it cannot serve
   * @param pollInterval how often the directory is checked; zero turns watching off
   * @param clock tells the bundle age
   * @throws IllegalArgumentException if {@code pollInterval} is negative
   */
  public BundleWatcher(
      String service,
      BundleRepository repository,
      Function<Bundle, T> loader,
      ServedBundles<T> served,
      Duration pollInterval,
      Telemetry telemetry,
      Clock clock) {
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: >= 0)");
    }
    this.service = Objects.requireNonNull(service, "service");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.served = Objects.requireNonNull(served, "served");
    this.pollInterval = pollInterval;
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loads =
        telemetry
            .meter("dev.recsuite.bundles")
            .counterBuilder("recsuite.bundle.loads")
            .setDescription("Attempts to load a bundle version, by outcome (ok, failed).")
            .setUnit("{bundle}")
            .build();
  }

  /**
   * Loads the newest bundle (so a service without a valid bundle fails to start) and starts
   * watching.
   *
   * @throws dev.recsuite.core.bundle.InvalidBundleException if there is no valid bundle
   */
  @Override
  public synchronized void start() {
    registerInstruments();
    Bundle bundle;
    try {
      bundle = repository.openLatest();
    } catch (RuntimeException e) {
      loads.add(1, FAILED);
      throw e;
    }
    List<String> versions = repository.versions();
    if (versions.size() >= 2) {
      // Also the previous version, for its retention period: a tier restarted during a roll-out
      // still serves requests the gateway pins to the version the other tiers are on.
      String previous = versions.get(versions.size() - 2);
      try {
        publish(repository.open(previous));
      } catch (RuntimeException e) {
        loads.add(1, FAILED);
        log.warn("{} cannot load the previous bundle {}: {}", service, previous, e.getMessage());
      }
    }
    try {
      publish(bundle);
    } catch (RuntimeException e) {
      loads.add(1, FAILED);
      throw e;
    }
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
    return check().loadedNewVersion();
  }

  /**
   * Checks once for a newer bundle and serves it, as {@link #poll()}, and tells what happened: for
   * the admin {@code ReloadBundles} call. A version that failed to load before is not tried again
   * (bundle versions are immutable; publish a newer one) but is reported.
   */
  public Check check() {
    synchronized (checkLock) {
      boolean loaded = false;
      try {
        served.evictExpired();
        Optional<String> latest = repository.latestVersion();
        if (latest.isPresent()
            && latest.get().compareTo(served.newestVersion()) > 0
            && !latest.get().equals(failedVersion)) {
          long started = System.nanoTime();
          Bundle bundle = repository.open(latest.get());
          publish(bundle);
          log.info(
              "{} loaded bundle {} in {} ms", service, bundle.version(), (System.nanoTime() - started) / 1_000_000);
          loaded = true;
        }
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError | LinkageError e) {
        // A bundle is untrusted input: one too large for the heap, nested too deep or built for
        // other classes fails its load, not the watcher (an error escaping here would end the
        // scheduled polls for good, and the tier would never load a bundle again).
        loads.add(1, FAILED);
        repository.latestVersion().ifPresent(version -> failedVersion = version);
        failureMessage = String.valueOf(e.getMessage());
        log.error(
            "{} cannot load bundle {}; still serving {}: {}",
            service, failedVersion, served.newestVersion(), e.getMessage(), e);
      }
      String failed = failedVersion;
      boolean stillFailed = !failed.isEmpty() && failed.compareTo(served.newestVersion()) > 0;
      return new Check(loaded, served.versions(), stillFailed ? failed : "", stillFailed ? failureMessage : "");
    }
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable instrument : instruments) {
      try {
        instrument.close();
      } catch (Exception e) {
        log.debug("closing an instrument failed", e);
      }
    }
    instruments.clear();
    registered = false;
  }

  /**
   * Seconds since the newest served bundle was created (its manifest's {@code created_at}), or
   * {@code -1} before one is served.
   */
  public double bundleAgeSeconds() {
    Instant created = createdAt.get(served.newestVersion());
    if (created == null) {
      return -1;
    }
    return Duration.between(created, clock.instant()).toMillis() / 1000.0;
  }

  private void publish(Bundle bundle) {
    T model = loader.apply(bundle);
    Timestamp created = bundle.manifest().getCreatedAt();
    createdAt.put(bundle.version(), Instant.ofEpochSecond(created.getSeconds(), created.getNanos()));
    served.publish(bundle.version(), model);
    loads.add(1, LOADED);
    createdAt.keySet().retainAll(served.versions());
  }

  private void registerInstruments() {
    if (registered) {
      return;
    }
    registered = true;
    Meter meter = telemetry.meter("dev.recsuite.bundles");
    instruments.add(
        meter
            .gaugeBuilder("recsuite.bundle.loaded")
            .ofLongs()
            .setDescription("1 for each loaded bundle version; newest=true for the one new requests get.")
            .setUnit("{bundle}")
            .buildWithCallback(
                m -> {
                  List<String> versions = served.versions();
                  for (int i = 0; i < versions.size(); i++) {
                    m.record(1, Attributes.of(VERSION, versions.get(i), NEWEST, i == versions.size() - 1));
                  }
                }));
    instruments.add(
        meter
            .gaugeBuilder("recsuite.bundle.age")
            .setDescription("Seconds since the newest served bundle was trained (its manifest's created_at).")
            .setUnit("s")
            .buildWithCallback(
                m -> {
                  double age = bundleAgeSeconds();
                  if (age >= 0) {
                    m.record(age);
                  }
                }));
  }
}
