package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.AppendOutcome;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStoreException;
import dev.recsuite.feedback.ItemActivity;
import dev.recsuite.feedback.ItemCategories;
import dev.recsuite.feedback.UserActivity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link FeedbackStore}: a RocksDB database in a local directory, keys as in {@link
 * RocksKeys}. Thread-safe; one process at a time (RocksDB locks the directory; the operating
 * system releases the lock when the process dies, even by {@code kill -9}).
 *
 * <p><b>Writes.</b> Appends are applied by one writer at a time, because they read and rewrite
 * counters and windows (RocksDB's built-in merge operators cannot compute decayed popularity).
 * Each group of appends becomes one {@link WriteBatch} written with {@code sync = true}: the
 * write-ahead log is fsync'd before any caller of the group returns, so an acknowledged event
 * survives a crash, and the batch is atomic on recovery. Appends that arrive while a write is in
 * progress are committed together by the next writer (group commit): one fsync for all of them,
 * which is what lets throughput grow with concurrent callers although every call is durable.
 *
 * <p><b>Reads</b> run concurrently with writes; a user's reads see one snapshot.
 */
public final class RocksDbFeedbackStore implements FeedbackStore {

  private static final Logger log = LoggerFactory.getLogger(RocksDbFeedbackStore.class);

  /** The most events committed in one group (one fsync). */
  private static final int MAX_GROUP_EVENTS = 8 * MAX_BATCH;

  private final FeedbackStoreConfig config;
  private final Clock clock;
  private final ItemCategories categories;
  private final BatchChecks checks;
  private final long halfLifeMillis;
  private final String where;

  private final Options options;
  private final WriteOptions syncWrites;
  private final RocksDB db;

  /** Held (shared) by every operation, taken exclusively by close: no call outlives the handles. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  // Fair: a caller whose append a previous writer already committed gets the lock next and returns
  // at once, instead of a barging writer making it wait out a whole further commit.
  private final ReentrantLock writer = new ReentrantLock(true);
  private final ConcurrentLinkedQueue<PendingAppend> pending = new ConcurrentLinkedQueue<>();
  private boolean closed; // guarded by lifecycle
  private volatile long eventCount; // written under writer

  private RocksDbFeedbackStore(
      FeedbackStoreConfig config, Clock clock, ItemCategories categories, Options options, RocksDB db)
      throws RocksDBException {
    this.config = config;
    this.clock = clock;
    this.categories = categories;
    this.checks = new BatchChecks(config, clock);
    this.halfLifeMillis = config.popularityHalfLife().toMillis();
    this.where = "embedded feedback store at " + config.path();
    this.options = options;
    this.db = db;
    this.syncWrites = new WriteOptions().setSync(true);
    this.eventCount = RocksKeys.longOf(db.get(RocksKeys.COUNT));
  }

  /**
   * Opens (creating if missing) the store in {@code config.path()}.
   *
   * @throws FeedbackStoreException if the directory cannot be created, the native library does not
   *     load, or RocksDB cannot open the database (e.g. another process holds its lock)
   */
  public static RocksDbFeedbackStore open(FeedbackStoreConfig config, Clock clock, ItemCategories categories) {
    Objects.requireNonNull(config.path(), "config.path");
    Path path = config.path().toAbsolutePath();
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new FeedbackStoreException("cannot create the embedded feedback store directory " + path + ": " + e, e);
    }
    try {
      RocksDB.loadLibrary();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new FeedbackStoreException(
          "cannot load RocksDB's native library for the embedded feedback store (os.name="
              + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch") + "): " + e, e);
    }
    Options options =
        new Options()
            .setCreateIfMissing(true)
            // Recover up to the last intact record of the log: every synced write is intact.
            .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
            // Flushes and compactions sync their files every MB instead of once at the end: one
            // large fsync would queue the small WAL syncs every acknowledgement waits for.
            .setBytesPerSync(1L << 20)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(3)
            .setMaxLogFileSize(4L << 20);
    RocksDB db;
    try {
      db = RocksDB.open(options, path.toString());
    } catch (RocksDBException e) {
      options.close();
      throw new FeedbackStoreException(
          "cannot open the embedded feedback store at " + path + ": " + e.getMessage()
              + (String.valueOf(e.getMessage()).contains("lock") ? " (is another process using it?)" : ""),
          e);
    }
    try {
      RocksDbFeedbackStore store = new RocksDbFeedbackStore(config, clock, categories, options, db);
      log.info("Opened the embedded feedback store at {} ({} events)", path, store.eventCount);
      return store;
    } catch (RocksDBException | RuntimeException e) {
      db.close();
      options.close();
      throw new FeedbackStoreException("cannot read the embedded feedback store at " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<AppendOutcome> append(List<FeedbackEvent> batch) {
    checks.check(batch);
    if (batch.isEmpty()) {
      requireOpenUnlocked();
      return List.of();
    }
    // The catalogue lookups happen outside the writer lock: only the commit is serialised.
    List<List<String>> resolved = new ArrayList<>(batch.size());
    for (FeedbackEvent event : batch) {
      resolved.add(Categories.of(categories, event.itemId()));
    }
    PendingAppend mine = new PendingAppend(List.copyOf(batch), resolved);
    lifecycle.readLock().lock();
    try {
      requireOpen();
      pending.add(mine);
      writer.lock();
      try {
        // A writer that ran while this thread waited may have committed this append already.
        while (!mine.done) {
          commitGroup();
        }
      } finally {
        writer.unlock();
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    return mine.result();
  }

  /** Commits the pending appends (up to a group's size) in one synced write batch. */
  private void commitGroup() {
    List<PendingAppend> group = new ArrayList<>();
    int events = 0;
    for (PendingAppend next; events < MAX_GROUP_EVENTS && (next = pending.poll()) != null; ) {
      group.add(next);
      events += next.events.size();
    }
    try {
      long stored = write(group);
      eventCount += stored;
      for (PendingAppend append : group) {
        append.done = true;
      }
    } catch (RocksDBException | RuntimeException e) {
      FeedbackStoreException failure =
          e instanceof FeedbackStoreException f ? f : new FeedbackStoreException(where + ": write failed: " + e.getMessage(), e);
      for (PendingAppend append : group) {
        append.failure = failure;
        append.done = true;
      }
    }
  }

  /** Decides the outcomes of a group and writes its new events; returns how many were stored. */
  private long write(List<PendingAppend> group) throws RocksDBException {
    List<byte[]> eventKeys = new ArrayList<>();
    for (PendingAppend append : group) {
      for (FeedbackEvent event : append.events) {
        eventKeys.add(RocksKeys.event(event.eventId()));
      }
    }
    List<byte[]> existing = multiGet(null, eventKeys);
    Set<String> seen = new HashSet<>();
    Map<String, UserState> users = new HashMap<>();
    Map<String, ItemStats> items = new HashMap<>();
    long stored = 0;
    try (WriteBatch batch = new WriteBatch()) {
      int k = 0;
      for (PendingAppend append : group) {
        AppendOutcome[] outcomes = new AppendOutcome[append.events.size()];
        for (int i = 0; i < outcomes.length; i++, k++) {
          FeedbackEvent event = append.events.get(i);
          if (existing.get(k) != null || !seen.add(event.eventId())) {
            outcomes[i] = AppendOutcome.DUPLICATE;
            continue;
          }
          outcomes[i] = AppendOutcome.STORED;
          stored++;
          batch.put(eventKeys.get(k), EventCodec.encode(event));
          batch.put(RocksKeys.time(event.timestampMillis(), event.eventId()), RocksKeys.EMPTY);
          UserState user = users.computeIfAbsent(event.userId(), this::loadUser);
          batch.put(
              RocksKeys.userTimed(user.historyPrefix, event.timestampMillis(), RocksKeys.utf8(event.eventId())),
              RocksKeys.EMPTY);
          user.stats.add(event, append.categories.get(i));
          (event.type().entersRecentItems() ? user.recent : user.disliked)
              .add(event.itemId(), event.timestampMillis());
          items.computeIfAbsent(event.itemId(), this::loadItem).add(event, halfLifeMillis);
        }
        append.outcomes = Collections.unmodifiableList(Arrays.asList(outcomes));
      }
      if (stored == 0) {
        return 0;
      }
      for (Map.Entry<String, UserState> user : users.entrySet()) {
        UserState state = user.getValue();
        state.recent.trimAndWrite(config.recentWindow(), batch);
        state.disliked.trimAndWrite(config.dislikedWindow(), batch);
        batch.put(RocksKeys.user(user.getKey()), state.stats.encode());
      }
      for (Map.Entry<String, ItemStats> item : items.entrySet()) {
        batch.put(RocksKeys.item(item.getKey()), item.getValue().encode());
      }
      batch.put(RocksKeys.COUNT, RocksKeys.longValue(eventCount + stored));
      db.write(syncWrites, batch);
    }
    return stored;
  }

  private UserState loadUser(String userId) {
    try {
      UserState state = new UserState(userId);
      state.stats = UserStats.decode(db.get(RocksKeys.user(userId)), () -> where + " user " + Text.quote(userId));
      scan(null, state.recentPrefix, Integer.MAX_VALUE,
          key -> state.recent.load(
              RocksKeys.idOfUserTimed(key, state.recentPrefix.length),
              RocksKeys.timeOfUserTimed(key, state.recentPrefix.length)));
      scan(null, state.dislikedPrefix, Integer.MAX_VALUE,
          key -> state.disliked.load(
              RocksKeys.idOfUserTimed(key, state.dislikedPrefix.length),
              RocksKeys.timeOfUserTimed(key, state.dislikedPrefix.length)));
      return state;
    } catch (RocksDBException e) {
      throw new FeedbackStoreException(where + ": read failed: " + e.getMessage(), e);
    }
  }

  private ItemStats loadItem(String itemId) {
    try {
      return ItemStats.decode(db.get(RocksKeys.item(itemId)), () -> where + " item " + Text.quote(itemId));
    } catch (RocksDBException e) {
      throw new FeedbackStoreException(where + ": read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<FeedbackEvent> recentEvents(String userId, int limit) {
    BatchChecks.id("userId", userId);
    BatchChecks.limit(limit);
    lifecycle.readLock().lock();
    requireOpenOrUnlock();
    try (ReadView snapshot = new ReadView()) {
      byte[] prefix = RocksKeys.userPrefix(RocksKeys.HISTORY, userId);
      List<byte[]> keys = new ArrayList<>();
      scan(snapshot.options, prefix, limit,
          key -> keys.add(RocksKeys.event(RocksKeys.idOfUserTimed(key, prefix.length))));
      List<FeedbackEvent> events = new ArrayList<>(keys.size());
      for (byte[] value : multiGet(snapshot.options, keys)) {
        events.add(decodeEvent(value));
      }
      return Collections.unmodifiableList(events);
    } catch (RocksDBException e) {
      throw new FeedbackStoreException(where + ": read failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public UserActivity user(String userId) {
    BatchChecks.id("userId", userId);
    lifecycle.readLock().lock();
    requireOpenOrUnlock();
    try (ReadView snapshot = new ReadView()) {
      byte[] stats = db.get(snapshot.options, RocksKeys.user(userId));
      if (stats == null) {
        return UserActivity.none(userId);
      }
      List<String> recent = new ArrayList<>();
      byte[] recentPrefix = RocksKeys.userPrefix(RocksKeys.RECENT, userId);
      scan(snapshot.options, recentPrefix, config.recentWindow(),
          key -> recent.add(RocksKeys.idOfUserTimed(key, recentPrefix.length)));
      List<String> disliked = new ArrayList<>();
      byte[] dislikedPrefix = RocksKeys.userPrefix(RocksKeys.DISLIKED, userId);
      scan(snapshot.options, dislikedPrefix, config.dislikedWindow(),
          key -> disliked.add(RocksKeys.idOfUserTimed(key, dislikedPrefix.length)));
      return UserStats.decode(stats, () -> where + " user " + Text.quote(userId)).toActivity(userId, recent, disliked);
    } catch (RocksDBException e) {
      throw new FeedbackStoreException(where + ": read failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public ItemActivity item(String itemId) {
    BatchChecks.id("itemId", itemId);
    return items(List.of(itemId)).getFirst();
  }

  @Override
  public List<ItemActivity> items(List<String> itemIds) {
    BatchChecks.itemIds(itemIds);
    lifecycle.readLock().lock();
    try {
      requireOpen();
      List<byte[]> keys = new ArrayList<>(itemIds.size());
      for (String itemId : itemIds) {
        keys.add(RocksKeys.item(itemId));
      }
      List<byte[]> values = multiGet(null, keys);
      long now = clock.millis();
      ItemActivity[] result = new ItemActivity[itemIds.size()];
      for (int i = 0; i < result.length; i++) {
        String itemId = itemIds.get(i);
        byte[] value = values.get(i);
        result[i] = value == null
            ? ItemActivity.none(itemId, now)
            : ItemStats.decode(value, () -> where + " item " + Text.quote(itemId)).toActivity(itemId, now, halfLifeMillis);
      }
      return List.of(result);
    } catch (RocksDBException e) {
      throw new FeedbackStoreException(where + ": read failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public long eventCount() {
    lifecycle.readLock().lock();
    try {
      requireOpen();
      return eventCount;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void export(long fromMillis, long toMillis, Consumer<? super FeedbackEvent> sink) {
    BatchChecks.range(fromMillis, toMillis);
    Objects.requireNonNull(sink, "sink");
    lifecycle.readLock().lock();
    requireOpenOrUnlock();
    try (ReadView snapshot = new ReadView();
        Slice upper = new Slice(RocksKeys.timeFrom(toMillis));
        ReadOptions bounded = new ReadOptions().setSnapshot(snapshot.snapshot).setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(bounded)) {
      List<byte[]> page = new ArrayList<>(256);
      for (it.seek(RocksKeys.timeFrom(fromMillis)); it.isValid(); it.next()) {
        page.add(RocksKeys.event(RocksKeys.eventIdOfTime(it.key())));
        if (page.size() == 256) {
          emit(snapshot.options, page, sink);
        }
      }
      it.status();
      emit(snapshot.options, page, sink);
    } catch (RocksDBException e) {
      throw new FeedbackStoreException(where + ": export failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void emit(ReadOptions options, List<byte[]> keys, Consumer<? super FeedbackEvent> sink)
      throws RocksDBException {
    for (byte[] value : multiGet(options, keys)) {
      sink.accept(decodeEvent(value));
    }
    keys.clear();
  }

  private FeedbackEvent decodeEvent(byte[] value) {
    if (value == null) {
      // An index key without its event: only possible if the database was altered by hand.
      throw new FeedbackStoreException(where + ": an index refers to an event that is not stored");
    }
    return EventCodec.decode(value, where);
  }

  /** {@link RocksDB#multiGetAsList}, which asserts that there is at least one key. */
  private List<byte[]> multiGet(ReadOptions options, List<byte[]> keys) throws RocksDBException {
    if (keys.isEmpty()) {
      return List.of();
    }
    return options == null ? db.multiGetAsList(keys) : db.multiGetAsList(options, keys);
  }

  /** Passes the keys starting with {@code prefix} to {@code action}, at most {@code limit}. */
  private void scan(ReadOptions options, byte[] prefix, int limit, Consumer<byte[]> action)
      throws RocksDBException {
    try (Slice upper = new Slice(RocksKeys.upperBound(prefix));
        ReadOptions bounded = options == null ? new ReadOptions() : new ReadOptions(options);
        RocksIterator it = db.newIterator(bounded.setIterateUpperBound(upper))) {
      int n = 0;
      for (it.seek(prefix); it.isValid() && n < limit; it.next(), n++) {
        action.accept(it.key());
      }
      it.status();
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      syncWrites.close();
      db.close();
      options.close();
      log.info("Closed the embedded feedback store at {}", config.path());
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "RocksDbFeedbackStore[" + config.path() + "]";
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(where + " is closed");
    }
  }

  /** With the lifecycle read lock held: checks that the store is open, else unlocks and throws. */
  private void requireOpenOrUnlock() {
    if (closed) {
      lifecycle.readLock().unlock();
      throw new IllegalStateException(where + " is closed");
    }
  }

  private void requireOpenUnlocked() {
    lifecycle.readLock().lock();
    try {
      requireOpen();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** One append waiting for, or done by, a group commit. Fields are guarded by {@code writer}. */
  private static final class PendingAppend {
    final List<FeedbackEvent> events;
    final List<List<String>> categories;
    boolean done;
    List<AppendOutcome> outcomes;
    FeedbackStoreException failure;

    PendingAppend(List<FeedbackEvent> events, List<List<String>> categories) {
      this.events = events;
      this.categories = categories;
    }

    List<AppendOutcome> result() {
      if (failure != null) {
        // A fresh exception per caller, with this caller's stack, around the shared cause.
        throw new FeedbackStoreException(failure.getMessage(), failure);
      }
      return outcomes;
    }
  }

  /** A user's state while a group is written. */
  private static final class UserState {
    final byte[] historyPrefix;
    final byte[] recentPrefix;
    final byte[] dislikedPrefix;
    final Window recent;
    final Window disliked;
    UserStats stats;

    UserState(String userId) {
      historyPrefix = RocksKeys.userPrefix(RocksKeys.HISTORY, userId);
      recentPrefix = RocksKeys.userPrefix(RocksKeys.RECENT, userId);
      dislikedPrefix = RocksKeys.userPrefix(RocksKeys.DISLIKED, userId);
      recent = new Window(recentPrefix);
      disliked = new Window(dislikedPrefix);
    }
  }

  /** A snapshot and read options on it, released together. */
  private final class ReadView implements AutoCloseable {
    final Snapshot snapshot = db.getSnapshot();
    final ReadOptions options = new ReadOptions().setSnapshot(snapshot);

    @Override
    public void close() {
      options.close();
      db.releaseSnapshot(snapshot);
    }
  }
}
