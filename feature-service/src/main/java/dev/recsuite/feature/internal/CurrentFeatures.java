package dev.recsuite.feature.internal;

import dev.recsuite.feature.FeatureStore;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The store being served. The gRPC handler reads it once per call, so a call sees one bundle
 * version throughout; a bundle watcher can {@link #swap} in a newer store without touching the
 * handler. Thread-safe.
 */
public final class CurrentFeatures implements Supplier<FeatureStore> {

  private final AtomicReference<FeatureStore> current;

  /**
   * Starts with {@code initial}.
   *
   * @throws NullPointerException if {@code initial} is null
   */
  public CurrentFeatures(FeatureStore initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  /** The store to answer the next call with. */
  @Override
  public FeatureStore get() {
    return current.get();
  }

  /**
   * Serves {@code next} from now on; calls already running finish on the store they read.
   *
   * @return the store served before
   * @throws NullPointerException if {@code next} is null
   */
  public FeatureStore swap(FeatureStore next) {
    return current.getAndSet(Objects.requireNonNull(next, "next"));
  }

  @Override
  public String toString() {
    return "CurrentFeatures[" + current.get() + "]";
  }
}
