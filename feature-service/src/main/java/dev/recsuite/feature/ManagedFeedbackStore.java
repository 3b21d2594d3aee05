package dev.recsuite.feature;

import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStoreException;
import dev.recsuite.feedback.FeedbackStores;
import dev.recsuite.feedback.ItemCategories;
import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.UnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature service's feedback store as a lifecycle component: opened when the service starts
 * (after its first bundle is loaded, so that item genres resolve from the start) and closed when it
 * stops (after the server has drained). Or none at all, with {@code --feedback-store none}.
 *
 * <pre>{@code
 * ManagedFeedbackStore feedback =
 *     ManagedFeedbackStore.opening(FeedbackStoreConfig.embedded(dir), Clock.systemUTC(), categories);
 * Lifecycle.of(served, watcher, feedback, server).start();
 * FeedbackStore store = feedback.store();
 * }</pre>
 *
 * Thread-safe.
 */
public final class ManagedFeedbackStore implements Managed {

  private static final Logger log = LoggerFactory.getLogger(ManagedFeedbackStore.class);

  private final FeedbackStoreConfig config;
  private final Clock clock;
  private final ItemCategories categories;
  private volatile FeedbackStore store;
  private volatile boolean stopped;

  private ManagedFeedbackStore(
      FeedbackStoreConfig config, Clock clock, ItemCategories categories, FeedbackStore store) {
    this.config = config;
    this.clock = clock;
    this.categories = categories;
    this.store = store;
  }

  /** No store: {@link #enabled()} is false and {@link #store()} fails with FAILED_PRECONDITION. */
  public static ManagedFeedbackStore off() {
    return new ManagedFeedbackStore(null, Clock.systemUTC(), ItemCategories.NONE, null);
  }

  /**
   * A store opened by {@link #start()} from {@code config}.
   *
   * @param clock the store's clock (bounds of accepted timestamps, decay of trending) and the time
   *     given to events without a timestamp
   * @param categories the genres of an item when one of its events is stored
   * @throws NullPointerException if an argument is null
   */
  public static ManagedFeedbackStore opening(
      FeedbackStoreConfig config, Clock clock, ItemCategories categories) {
    return new ManagedFeedbackStore(
        Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(categories, "categories"),
        null);
  }

  /**
   * Expert: a store opened elsewhere (tests), closed by {@link #stop()}.
   *
   * @param clock the store's own clock: the time given to events without a timestamp
   * @throws NullPointerException if an argument is null
   */
  public static ManagedFeedbackStore of(FeedbackStore store, Clock clock) {
    return new ManagedFeedbackStore(
        null, Objects.requireNonNull(clock, "clock"), ItemCategories.NONE, Objects.requireNonNull(store, "store"));
  }

  /** Whether the service has a feedback store at all. */
  public boolean enabled() {
    return config != null || store != null;
  }

  /** The clock of the store: events without a timestamp get its time. */
  public Clock clock() {
    return clock;
  }

  /**
   * The open store.
   *
   * @throws StatusRuntimeException {@code FAILED_PRECONDITION} when the service runs without a
   *     store ({@code --feedback-store none})
   * @throws UnavailableException when the store is not open: before the start or while stopping
   */
  public FeedbackStore store() {
    if (!enabled()) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "the feature service runs without a feedback store (--feedback-store none): feedback"
                  + " cannot be recorded")
          .asRuntimeException();
    }
    FeedbackStore open = store;
    if (open == null || stopped) {
      throw new UnavailableException("the feedback store is not open (the feature service is starting or stopping)");
    }
    return open;
  }

  /**
   * Opens the store when it is configured and not already open.
   *
   * @throws FeedbackStoreException if it cannot be opened (directory locked by another process,
   *     Redis not answering...); the message names the store
   */
  @Override
  public synchronized void start() {
    if (config == null || store != null) {
      return;
    }
    store = FeedbackStores.open(config, clock, categories);
    log.info("feedback store open: {}", config);
  }

  /** Closes the store; calls that still use it fail with {@code UNAVAILABLE}. */
  @Override
  public synchronized void stop() {
    stopped = true;
    FeedbackStore open = store;
    if (open != null) {
      try {
        open.close();
      } catch (RuntimeException e) {
        log.warn("closing the feedback store failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return config != null ? "ManagedFeedbackStore[" + config.location() + "]" : "ManagedFeedbackStore[" + (store != null ? "given" : "off") + "]";
  }
}
