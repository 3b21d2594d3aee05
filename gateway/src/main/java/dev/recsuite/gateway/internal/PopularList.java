package dev.recsuite.gateway.internal;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.grpc.Managed;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's cached popular list, the fallback when recall fails: recall's {@code POPULAR}
 * candidates for a user no bundle knows, with their item features (title, genres) for display and
 * filtering.
 *
 * <p>It is refreshed when the gateway starts and then every {@code --popular-refresh}; until the
 * first refresh succeeds (recall down when the gateway starts) it retries every {@value
 * #RETRY_WHILE_EMPTY_SECONDS} s, and in that time a request whose recall call fails has no
 * fallback and fails with {@code UNAVAILABLE}. A failed refresh keeps the previous list, so the list
 * survives recall being down. Refresh calls go straight to the tiers, not through the breakers:
 * they are not user traffic. Thread-safe.
 */
public final class PopularList implements Managed {

  /** The user id the refresh asks recall for: unknown to every bundle, so recall answers popular items. */
  public static final String REFRESH_USER = "__recsuite_gateway_popular__";

  static final long RETRY_WHILE_EMPTY_SECONDS = 2;

  private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(PopularList.class);

  /**
   * One cached item.
   *
   * @param candidate the item id with its {@code POPULAR} source score and rank
   * @param features its item features, or {@code null} when the feature tier did not answer
   */
  public record Item(Candidate candidate, ItemFeatures features) {}

  /**
   * The list at one moment.
   *
   * @param items most popular first
   * @param bundleVersion the recall bundle version that produced it
   */
  public record Snapshot(List<Item> items, String bundleVersion) {

    static final Snapshot EMPTY = new Snapshot(List.of(), "");

    /** Whether there is no list yet. */
    public boolean isEmpty() {
      return items.isEmpty();
    }
  }

  private final Downstreams stubs;
  private final int size;
  private final Duration interval;
  private final GatewayTimer timer;
  private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);
  private final Object lock = new Object();
  private ScheduledFuture<?> next;
  private boolean stopped;
  private boolean lastRefreshFailed;

  /**
   * @param size how many items to keep
   * @param interval how often to refresh
   */
  public PopularList(Downstreams stubs, int size, Duration interval, GatewayTimer timer) {
    this.stubs = stubs;
    this.size = size;
    this.interval = interval;
    this.timer = timer;
  }

  /** The list now; empty before the first successful refresh. */
  public Snapshot current() {
    return current.get();
  }

  /** Refreshes at once, then on schedule. */
  @Override
  public void start() {
    schedule(0);
  }

  @Override
  public void stop() {
    synchronized (lock) {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
    }
  }

  private void schedule(long delayMillis) {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      // The timer thread must not block: the refresh (two blocking calls) runs on a virtual thread.
      next =
          timer
              .executor()
              .schedule(
                  () -> Thread.ofVirtual().name("gateway-popular-refresh").start(this::refreshAndReschedule),
                  delayMillis,
                  TimeUnit.MILLISECONDS);
    }
  }

  private void refreshAndReschedule() {
    boolean ok = refresh();
    long delay =
        ok || !current().isEmpty()
            ? interval.toMillis()
            : Math.min(interval.toMillis(), TimeUnit.SECONDS.toMillis(RETRY_WHILE_EMPTY_SECONDS));
    schedule(delay);
  }

  /**
   * Asks recall for the popular items and the feature tier for their features, and replaces the
   * list. Blocks for at most about 4 s (2 s per call).
   *
   * @return whether recall answered (a feature failure keeps the features known before)
   */
  public boolean refresh() {
    RecallResponse recall;
    try {
      recall =
          stubs
              .recall()
              .withDeadlineAfter(REFRESH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .recall(RecallRequest.newBuilder().setUserId(REFRESH_USER).setMaxCandidates(size).build())
              .get();
    } catch (ExecutionException e) {
      noteFailure("recall", e.getCause());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    List<Candidate> popular = new ArrayList<>();
    for (Candidate candidate : recall.getCandidatesList()) {
      if (isPopular(candidate)) {
        popular.add(candidate);
      }
    }
    if (popular.isEmpty()) {
      noteFailure("recall", Status.NOT_FOUND.withDescription("no POPULAR candidates").asRuntimeException());
      return false;
    }

    Map<String, ItemFeatures> known = new HashMap<>();
    for (Item item : current().items()) {
      if (item.features() != null) {
        known.put(item.candidate().getItemId(), item.features());
      }
    }
    try {
      GetItemFeaturesResponse features =
          stubs
              .features()
              .withDeadlineAfter(REFRESH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .getItemFeatures(
                  GetItemFeaturesRequest.newBuilder()
                      .addAllItemIds(popular.stream().map(Candidate::getItemId).toList())
                      .build())
              .get();
      for (ItemFeatures item : features.getFeaturesList()) {
        known.put(item.getItemId(), item);
      }
    } catch (ExecutionException e) {
      log.warn("popular list: item features failed, keeping those known before: {}", Status.fromThrowable(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }

    List<Item> items = new ArrayList<>(popular.size());
    for (Candidate candidate : popular) {
      items.add(new Item(candidate, known.get(candidate.getItemId())));
    }
    Snapshot previous = current.getAndSet(new Snapshot(List.copyOf(items), recall.getBundleVersion()));
    synchronized (lock) {
      if (previous.isEmpty() || lastRefreshFailed) {
        log.info("popular list: {} items from bundle {}", items.size(), recall.getBundleVersion());
      }
      lastRefreshFailed = false;
    }
    return true;
  }

  private void noteFailure(String tier, Throwable error) {
    synchronized (lock) {
      // One line per outage, not one per attempt.
      if (!lastRefreshFailed) {
        log.warn(
            "popular list: refresh failed ({} {}); {}",
            tier,
            Status.fromThrowable(error),
            current().isEmpty() ? "no list yet" : "keeping the list of bundle " + current().bundleVersion());
      }
      lastRefreshFailed = true;
    }
  }

  private static boolean isPopular(Candidate candidate) {
    for (SourceScore source : candidate.getSourcesList()) {
      if (source.getSource() == RecallSource.RECALL_SOURCE_POPULAR) {
        return true;
      }
    }
    return false;
  }
}
