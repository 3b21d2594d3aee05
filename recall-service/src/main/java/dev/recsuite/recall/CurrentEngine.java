package dev.recsuite.recall;

import dev.recsuite.grpc.Managed;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the engine that serves requests, so that a newer bundle can replace it while requests run.
 * Requests lease the engine; a replaced engine is closed when its last lease is released (the
 * reference counting of Lucene's {@code SearcherManager}):
 *
 * <pre>{@code
 * try (CurrentEngine.Lease lease = current.acquire()) {
 *   return lease.engine().recall(query);
 * }
 * }</pre>
 *
 * Thread-safe. As a {@link Managed} component, stopping it closes the engine (after the server,
 * which stops first, has drained its calls).
 */
public final class CurrentEngine implements Managed {

  private static final Logger log = LoggerFactory.getLogger(CurrentEngine.class);

  private final AtomicReference<Counted> current;

  /** Holds {@code initial}, which this holder now owns and closes. */
  public CurrentEngine(RecallEngine initial) {
    this.current = new AtomicReference<>(new Counted(Objects.requireNonNull(initial, "initial")));
  }

  /**
   * Leases the current engine; close the lease when the request is done.
   *
   * @throws IllegalStateException if the holder was stopped
   */
  public Lease acquire() {
    while (true) {
      Counted counted = current.get();
      if (counted == null) {
        throw new IllegalStateException("no recall engine: the service is stopping");
      }
      if (counted.tryIncRef()) {
        return new Lease(counted);
      }
      // Replaced and fully released between get() and tryIncRef(): read the new one.
    }
  }

  /**
   * Makes {@code next} the engine of new requests; the previous one is closed once the requests
   * using it are done.
   *
   * @throws IllegalStateException if the holder was stopped ({@code next} is then closed)
   */
  public void replace(RecallEngine next) {
    Objects.requireNonNull(next, "next");
    Counted replacement = new Counted(next);
    Counted previous;
    do {
      previous = current.get();
      if (previous == null) {
        next.close();
        throw new IllegalStateException("cannot replace the recall engine: the service is stopping");
      }
    } while (!current.compareAndSet(previous, replacement));
    log.info("recall engine {} replaces {}", next.version(), previous.engine.version());
    previous.decRef();
  }

  /** The version of the engine new requests get, or {@code null} once stopped. */
  public String version() {
    Counted counted = current.get();
    return counted == null ? null : counted.engine.version();
  }

  /** Nothing to do: the engine is loaded before the holder exists. */
  @Override
  public void start() {}

  /** Releases the holder's reference: the engine closes once running requests are done. */
  @Override
  public void stop() {
    Counted counted = current.getAndSet(null);
    if (counted != null) {
      counted.decRef();
    }
  }

  /** A lease on one engine; closing it twice is harmless. */
  public static final class Lease implements AutoCloseable {
    private final Counted counted;
    private boolean released;

    private Lease(Counted counted) {
      this.counted = counted;
    }

    /** The leased engine; valid until {@link #close()}. */
    public RecallEngine engine() {
      return counted.engine;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        counted.decRef();
      }
    }
  }

  /** An engine with a reference count; the holder owns one reference. */
  private static final class Counted {
    private final RecallEngine engine;
    private final AtomicInteger refs = new AtomicInteger(1);

    Counted(RecallEngine engine) {
      this.engine = engine;
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
        engine.close();
      }
    }
  }
}
