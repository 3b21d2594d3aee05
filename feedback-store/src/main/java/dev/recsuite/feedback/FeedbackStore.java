package dev.recsuite.feedback;

import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The durable store of feedback events and the online aggregates they update. Thread-safe. Open
 * one with {@link FeedbackStores#open}; implementations: an embedded RocksDB database and Redis.
 *
 * <p>Guarantees of {@link #append}, the same for both implementations:
 *
 * <ul>
 *   <li><b>Validated whole first.</b> The batch is checked before anything is written; one bad
 *       event rejects the whole batch with {@link InvalidFeedbackException} naming its index, and
 *       nothing of the batch is stored.
 *   <li><b>Idempotent by event id.</b> An event whose id is already stored (by any earlier append,
 *       or earlier in the same batch) is answered {@link AppendOutcome#DUPLICATE} and neither stored
 *       again nor counted again, so a client may retry a batch whose answer it did not get.
 *   <li><b>Atomic.</b> A batch's events, their de-duplication keys, the user histories and windows
 *       and the user and item counters are written in one atomic write (one RocksDB write batch, one
 *       Redis script): after a crash, all of a batch is there or none of it.
 *   <li><b>Durable when it returns.</b> The embedded store syncs its write-ahead log before
 *       returning; Redis has applied the batch and, with {@code appendonly yes} and {@code
 *       appendfsync always} on the server, written it to its fsync'd append-only file. An
 *       acknowledged event survives {@code kill -9} of the process (and, with those Redis settings,
 *       of the Redis server).
 *   <li><b>Visible at once.</b> The next {@link #user}, {@link #item} or {@link #recentEvents} call
 *       on any replica using the same storage sees the batch.
 * </ul>
 *
 * <p>Orders: "newest first" means by event timestamp, descending; equal timestamps are ordered by
 * id (event id or item id), ascending in UTF-8 byte order. Events may arrive out of time order; the
 * aggregates are the same as if they had arrived in order.
 */
public interface FeedbackStore extends AutoCloseable {

  /** The most events one {@link #append} call may carry. */
  int MAX_BATCH = 1000;

  /** The most events one {@link #recentEvents} call may return. */
  int MAX_RECENT_EVENTS = 1000;

  /** The most item ids one {@link #items} call may ask for. */
  int MAX_ITEM_LOOKUP = 20_000;

  /**
   * Stores a batch of events, durably and atomically, once per event id.
   *
   * @param batch 0 to {@value #MAX_BATCH} events; an empty batch writes nothing
   * @return one outcome per event, in batch order
   * @throws InvalidFeedbackException if the batch is larger than {@value #MAX_BATCH} ({@code batch:
   *     1001 events (expected: at most 1000)}), an element is null ({@code batch[3]: must not be
   *     null}), or an event's timestamp is more than the configured clock skew ahead of the store's
   *     clock or older than the configured maximum age ({@code batch[3].timestampMillis: ...});
   *     nothing of the batch is written
   * @throws FeedbackStoreException if the storage fails; the batch may or may not be stored, and
   *     retrying it is safe
   * @throws IllegalStateException if the store is closed
   * @throws NullPointerException if {@code batch} is null
   */
  List<AppendOutcome> append(List<FeedbackEvent> batch);

  /**
   * Stores one event; {@code append(List.of(event)).get(0)}.
   *
   * @throws InvalidFeedbackException as {@link #append(List)}, e.g. {@code batch[0]: must not be
   *     null}
   * @throws FeedbackStoreException if the storage fails; retrying is safe
   * @throws IllegalStateException if the store is closed
   */
  default AppendOutcome append(FeedbackEvent event) {
    // singletonList, unlike List.of, lets a null reach the batch check and its clear message.
    return append(Collections.singletonList(event)).getFirst();
  }

  /**
   * The latest events of a user, newest first.
   *
   * @param limit the most events to return, 1 to {@value #MAX_RECENT_EVENTS}
   * @return an unmodifiable list, empty for a user without events
   * @throws InvalidFeedbackException if {@code userId} is not a valid id or {@code limit} is out of
   *     range
   * @throws FeedbackStoreException if the storage fails
   * @throws IllegalStateException if the store is closed
   */
  List<FeedbackEvent> recentEvents(String userId, int limit);

  /**
   * The aggregates of a user: counts, recent and disliked items, category affinity, ratings.
   *
   * @return {@link UserActivity#none} for a user without events
   * @throws InvalidFeedbackException if {@code userId} is not a valid id
   * @throws FeedbackStoreException if the storage fails
   * @throws IllegalStateException if the store is closed
   */
  UserActivity user(String userId);

  /**
   * The aggregates of an item, with its popularity decayed to the store clock's current time.
   *
   * @return {@link ItemActivity#none} for an item without events
   * @throws InvalidFeedbackException if {@code itemId} is not a valid id
   * @throws FeedbackStoreException if the storage fails
   * @throws IllegalStateException if the store is closed
   */
  ItemActivity item(String itemId);

  /**
   * The aggregates of several items in one round trip, in request order (duplicates repeated), all
   * decayed to the same instant.
   *
   * @param itemIds 0 to {@value #MAX_ITEM_LOOKUP} ids
   * @return an unmodifiable list of the same length as {@code itemIds}
   * @throws InvalidFeedbackException naming {@code itemIds[i]} if an id is invalid, or {@code
   *     itemIds} if there are too many
   * @throws FeedbackStoreException if the storage fails
   * @throws IllegalStateException if the store is closed
   */
  List<ItemActivity> items(List<String> itemIds);

  /**
   * The number of stored events (duplicates not counted).
   *
   * @throws FeedbackStoreException if the storage fails
   * @throws IllegalStateException if the store is closed
   */
  long eventCount();

  /**
   * Passes every stored event with {@code fromMillis <= timestamp < toMillis} to {@code sink} in
   * timestamp order (equal timestamps by event id), for retraining. Events appended while it runs
   * may or may not be passed; none is passed twice.
   *
   * @throws IllegalArgumentException if {@code fromMillis > toMillis}
   * @throws FeedbackStoreException if the storage fails
   * @throws IllegalStateException if the store is closed
   */
  void export(long fromMillis, long toMillis, Consumer<? super FeedbackEvent> sink);

  /**
   * Passes every stored event to {@code sink} in timestamp order; see {@link #export}.
   *
   * @throws FeedbackStoreException if the storage fails
   * @throws IllegalStateException if the store is closed
   */
  default void exportAll(Consumer<? super FeedbackEvent> sink) {
    export(0, Long.MAX_VALUE, sink);
  }

  /** Closes the store and releases its resources (the database lock, the Redis connection). */
  @Override
  void close();
}
