package dev.recsuite.grpc.bundles;

import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a tier serves, one per bundle version: the newest, plus the ones it replaced for a
 * retention period, so that a request pinned to the previous version (the gateway pins the newest
 * version every tier has loaded) still finds it while the tiers swap one after the other.
 *
 * <p>Requests lease a model and close the lease when done; a model that implements {@link
 * AutoCloseable} (a Lucene reader, say) is closed once it has been retired and its last lease is
 * released:
 *
 * <pre>{@code
 * try (ServedBundles.Lease<RecallEngine> lease = served.acquire(request.getBundleVersion())) {
 *   return lease.model().recall(query);
 * }
 * }</pre>
 *
 * Thread-safe. As a {@link Managed} component, stopping it retires every model.
 *
 * @param <T> the model built from a bundle
 */
public final class ServedBundles<T> implements Managed {

  private static final Logger log = LoggerFactory.getLogger(ServedBundles.class);

  private final String service;
  private final Clock clock;
  private final Duration retention;
  /** Newest last; guarded by {@code this}. */
  private final List<Entry<T>> entries = new ArrayList<>();
  private boolean stopped;

  /**
   * @param service the tier's name, for logs and messages
   * @param retention how long a replaced version stays available to pinned requests
   * @throws IllegalArgumentException if {@code retention} is negative
   */
  public ServedBundles(String service, Clock clock, Duration retention) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention: " + retention + " (expected: >= 0)");
    }
    this.service = Objects.requireNonNull(service, "service");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retention = retention;
  }

  /**
   * Makes {@code model} the newest version; the previous newest stays available for the retention
   * period. Versions must grow (bundle versions sort by creation time).
   *
   * @throws IllegalArgumentException if {@code version} is not newer than the newest one
   * @throws IllegalStateException if stopped ({@code model} is then closed)
   */
  public void publish(String version, T model) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(model, "model");
    synchronized (this) {
      if (stopped) {
        closeQuietly(model);
        throw new IllegalStateException(service + " is stopping: cannot serve bundle " + version);
      }
      if (!entries.isEmpty()) {
        Entry<T> newest = entries.getLast();
        if (version.compareTo(newest.version) <= 0) {
          throw new IllegalArgumentException(
              "version: " + version + " (expected: newer than the served " + newest.version + ")");
        }
        newest.retireAt = clock.instant().plus(retention);
      }
      entries.add(new Entry<>(version, model));
    }
    log.info("{} serves bundle {}", service, version);
    evictExpired();
  }

  /**
   * Leases the model of {@code version}, or of the newest version when {@code version} is empty.
   *
   * @throws NotFoundException if that version is not (or no longer) loaded; the message lists the
   *     loaded ones
   * @throws IllegalStateException if nothing is loaded yet or the holder was stopped
   */
  public Lease<T> acquire(String version) {
    while (true) {
      Entry<T> entry;
      synchronized (this) {
        if (stopped || entries.isEmpty()) {
          throw new IllegalStateException(service + " has no bundle loaded");
        }
        entry = version.isEmpty() ? entries.getLast() : find(version);
        if (entry == null) {
          throw new NotFoundException(
              "bundle version " + quoted(version) + " is not loaded by " + service + " (loaded: " + versionsLocked() + ")");
        }
      }
      if (entry.tryIncRef()) {
        return new Lease<>(entry);
      }
      // Retired and released in between: look again.
    }
  }

  /** The newest loaded version, or the empty string when nothing is loaded. */
  public synchronized String newestVersion() {
    return entries.isEmpty() ? "" : entries.getLast().version;
  }

  /** The loaded versions, oldest first. */
  public synchronized List<String> versions() {
    return versionsLocked();
  }

  /** Retires the replaced versions whose retention has passed. */
  public void evictExpired() {
    List<Entry<T>> expired = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      for (int i = 0; i < entries.size() - 1; i++) {
        Entry<T> entry = entries.get(i);
        if (!entry.retireAt.isAfter(now)) {
          expired.add(entry);
        }
      }
      entries.removeAll(expired);
    }
    for (Entry<T> entry : expired) {
      log.info("{} retires bundle {}", service, entry.version);
      entry.decRef();
    }
  }

  /** Nothing to start: models are published by whoever loads them. */
  @Override
  public void start() {}

  /** Retires every version; each model closes once its running requests are done. */
  @Override
  public void stop() {
    List<Entry<T>> all;
    synchronized (this) {
      stopped = true;
      all = new ArrayList<>(entries);
      entries.clear();
    }
    all.forEach(Entry::decRef);
  }

  private Entry<T> find(String version) {
    for (Entry<T> entry : entries) {
      if (entry.version.equals(version)) {
        return entry;
      }
    }
    return null;
  }

  private List<String> versionsLocked() {
    return entries.stream().map(e -> e.version).toList();
  }

  private static void closeQuietly(Object model) {
    if (model instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("closing a model failed", e);
      }
    }
  }

  /** A lease on one version's model; closing it twice is harmless. Not thread-safe. */
  public static final class Lease<T> implements AutoCloseable {
    private final Entry<T> entry;
    private boolean released;

    private Lease(Entry<T> entry) {
      this.entry = entry;
    }

    /** The leased model; valid until {@link #close()}. */
    public T model() {
      return entry.model;
    }

    /** The leased model's bundle version. */
    public String version() {
      return entry.version;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        entry.decRef();
      }
    }
  }

  /** A model with a reference count; the holder owns one reference until it retires the version. */
  private static final class Entry<T> {
    private final String version;
    private final T model;
    private final AtomicInteger refs = new AtomicInteger(1);
    private Instant retireAt = Instant.MAX;

    Entry(String version, T model) {
      this.version = version;
      this.model = model;
    }

    boolean tryIncRef() {
      int count;
      do {
        count = refs.get();
        if (count <= 0) {
          return false;
        }
      } while (!refs.compareAndSet(count, count + 1));
      return true;
    }

    void decRef() {
      if (refs.decrementAndGet() == 0) {
        closeQuietly(model);
      }
    }
  }

  /**
   * The caller's version as it may be repeated in a message: quoted, control characters escaped,
   * cut after 80 characters (services check the field, but this message must not carry megabytes
   * or line breaks into a response header or a log line even when one does not).
   */
  static String quoted(String version) {
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(version.length(), 80);
    for (int i = 0; i < shown; i++) {
      char c = version.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('\'');
    if (version.length() > shown) {
      out.append("... (").append(version.length()).append(" characters)");
    }
    return out.toString();
  }
}
