package dev.recsuite.ranking;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the model that serves requests. A request reads it once ({@link #get()}) and uses that
 * snapshot throughout, so a concurrent {@link #swap} never mixes two models in one answer; a
 * bundle watcher can swap in a newer model without touching the request handler.
 */
public final class CurrentModel {

  private final AtomicReference<ServingModel> current;

  /**
   * @throws NullPointerException if {@code initial} is null
   */
  public CurrentModel(ServingModel initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  /** The model serving now. */
  public ServingModel get() {
    return current.get();
  }

  /**
   * Makes {@code next} the serving model and returns the previous one. Requests already running
   * finish with the model they started with.
   *
   * @throws NullPointerException if {@code next} is null
   */
  public ServingModel swap(ServingModel next) {
    return current.getAndSet(Objects.requireNonNull(next, "next"));
  }

  @Override
  public String toString() {
    return "CurrentModel[" + current.get().version() + "]";
  }
}
