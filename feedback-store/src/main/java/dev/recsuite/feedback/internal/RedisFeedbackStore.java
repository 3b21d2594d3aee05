package dev.recsuite.feedback.internal;

import dev.recsuite.feedback.AppendOutcome;
import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStoreException;
import dev.recsuite.feedback.ItemActivity;
import dev.recsuite.feedback.ItemCategories;
import dev.recsuite.feedback.UserActivity;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis {@link FeedbackStore}, through one multiplexed Lettuce connection (thread-safe; calls
 * from many threads are pipelined on it). Each append is one Lua script run ({@code EVALSHA}),
 * which Redis executes alone: de-duplication, history, windows and counters of the whole batch
 * change together or not at all. Reads of a user or of a batch of items are scripts too, so that
 * each sees one consistent state.
 *
 * <p>Key layout, every key after the configured prefix P:
 *
 * <pre>
 * P e:{eventId}   string  the encoded event ({@link EventCodec}); SET only if absent: the de-duplication key
 * P t             zset    member eventId, score timestamp: every event in time order, for export
 * P h:{userId}    zset    member eventId, score −timestamp: the user's events, newest first
 * P r:{userId}    zset    member itemId, score −timestamp: the recent-items window, trimmed to its size
 * P d:{userId}    zset    member itemId, score −timestamp: the disliked-items window
 * P u:{userId}    hash    c:{TYPE} counts, last, rc (rating count), rs (rating sum), a:{category} affinity
 * P i:{itemId}    hash    c:{TYPE} counts, last, rc, rs, ps (popularity at pt), pt (reference time)
 * P n             string  the number of stored events
 * </pre>
 *
 * <p>Durability is the server's: an append returns once Redis has applied the script, and with
 * {@code appendonly yes} and {@code appendfsync always} Redis has also fsync'd it to its
 * append-only file before answering. Opening logs a warning when the server says otherwise.
 */
public final class RedisFeedbackStore implements FeedbackStore {

  private static final Logger log = LoggerFactory.getLogger(RedisFeedbackStore.class);

  private static final int EXPORT_PAGE = 1000;
  private static final byte[][] NO_KEYS = new byte[0][];

  private final FeedbackStoreConfig config;
  private final Clock clock;
  private final ItemCategories categories;
  private final BatchChecks checks;
  private final long halfLifeMillis;
  private final String where;
  private final byte[] prefix;

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisCommands<byte[], byte[]> redis;
  private final Map<Script, String> digests;

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle

  /** The Lua scripts, loaded from resources beside this class. */
  private enum Script {
    APPEND("append.lua"),
    READ_USER("read-user.lua"),
    READ_ITEMS("read-items.lua"),
    RECENT_EVENTS("recent-events.lua"),
    EXPORT_PAGE("export-page.lua");

    final byte[] source;

    Script(String resource) {
      try (InputStream in = RedisFeedbackStore.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource + " beside " + RedisFeedbackStore.class);
        }
        source = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private RedisFeedbackStore(
      FeedbackStoreConfig config,
      Clock clock,
      ItemCategories categories,
      RedisClient client,
      StatefulRedisConnection<byte[], byte[]> connection) {
    this.config = config;
    this.clock = clock;
    this.categories = categories;
    this.checks = new BatchChecks(config, clock);
    this.halfLifeMillis = config.popularityHalfLife().toMillis();
    this.where = "Redis feedback store at " + config.location() + " (prefix " + config.redisKeyPrefix() + ")";
    this.prefix = utf8(config.redisKeyPrefix());
    this.client = client;
    this.connection = connection;
    this.redis = connection.sync();
    Map<Script, String> shas = new EnumMap<>(Script.class);
    for (Script script : Script.values()) {
      shas.put(script, sha1Hex(script.source));
    }
    this.digests = Collections.unmodifiableMap(shas);
  }

  /**
   * Connects to the server of {@code config.redisUri()}, checks its version (6.2 or newer, for
   * {@code ZADD LT}) and loads the scripts.
   *
   * @throws FeedbackStoreException if the server cannot be reached, refuses the credentials, is
   *     too old, or does not accept the scripts
   */
  public static RedisFeedbackStore open(FeedbackStoreConfig config, Clock clock, ItemCategories categories) {
    Objects.requireNonNull(config.redisUri(), "config.redisUri");
    RedisURI uri;
    try {
      uri = RedisURI.create(config.redisUri());
    } catch (IllegalArgumentException e) {
      throw new FeedbackStoreException("cannot use the Redis URI " + config.location() + ": " + e.getMessage(), e);
    }
    uri.setTimeout(config.redisTimeout());
    RedisClient client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Fail at once while disconnected instead of queueing: the caller decides to retry.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(config.redisTimeout()))
            .build());
    StatefulRedisConnection<byte[], byte[]> connection;
    try {
      connection = client.connect(ByteArrayCodec.INSTANCE);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new FeedbackStoreException(
          "cannot connect to Redis at " + config.location() + " for the feedback store: " + rootMessage(e), e);
    }
    RedisFeedbackStore store = new RedisFeedbackStore(config, clock, categories, client, connection);
    try {
      store.checkServer();
      store.loadScripts();
    } catch (RuntimeException e) {
      store.close();
      throw e instanceof FeedbackStoreException f
          ? f
          : new FeedbackStoreException(store.where + ": cannot prepare: " + rootMessage(e), e);
    }
    log.info("Opened the {}", store.where);
    return store;
  }

  private void checkServer() {
    String info = redis.info("server");
    String version = field(info, "redis_version");
    if (version == null || compareVersions(version, "6.2") < 0) {
      throw new FeedbackStoreException(
          where + ": server version " + version + " (expected: Redis 6.2 or newer, for ZADD LT)");
    }
    try {
      Map<String, String> persistence = redis.configGet("appendonly", "appendfsync");
      String appendOnly = persistence.get("appendonly");
      String fsync = persistence.get("appendfsync");
      if (!"yes".equals(appendOnly) || !"always".equals(fsync)) {
        log.warn(
            "{}: the server runs with appendonly {} and appendfsync {}: acknowledged feedback may be lost"
                + " if the server crashes (set appendonly yes and appendfsync always for durable acknowledgements)",
            where, appendOnly, fsync);
      }
    } catch (RedisException e) {
      // Managed services often disable CONFIG; persistence is then theirs to guarantee.
      log.info("{}: cannot read the server's persistence settings ({})", where, rootMessage(e));
    }
  }

  /** Loads every script into the server's script cache; the digests are their SHA-1, known in advance. */
  private void loadScripts() {
    for (Script script : Script.values()) {
      String sha = redis.scriptLoad(script.source);
      if (!digests.get(script).equals(sha)) {
        throw new FeedbackStoreException(where + ": the server names script " + script + " " + sha + " (expected: " + digests.get(script) + ")");
      }
    }
  }

  private static String sha1Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }

  @Override
  public List<AppendOutcome> append(List<FeedbackEvent> batch) {
    checks.check(batch);
    if (batch.isEmpty()) {
      return call(() -> List.of());
    }
    List<byte[]> args = new ArrayList<>(5 + batch.size() * 12);
    args.add(prefix);
    args.add(ascii(config.recentWindow()));
    args.add(ascii(config.dislikedWindow()));
    args.add(ascii(halfLifeMillis));
    args.add(ascii(batch.size()));
    for (FeedbackEvent event : batch) {
      EventType type = event.type();
      List<String> names = Categories.of(categories, event.itemId());
      args.add(utf8(event.eventId()));
      args.add(utf8(event.userId()));
      args.add(utf8(event.itemId()));
      args.add(utf8(type.name()));
      args.add(utf8(Double.toString(event.value())));
      args.add(ascii(event.timestampMillis()));
      args.add(utf8(Double.toString(type.popularityWeight())));
      args.add(utf8(Double.toString(type.weight())));
      args.add(utf8(type.entersRecentItems() ? "r" : "d"));
      args.add(EventCodec.encode(event));
      args.add(ascii(names.size()));
      for (String name : names) {
        args.add(utf8(name));
      }
    }
    List<Object> result = run(Script.APPEND, args);
    AppendOutcome[] outcomes = new AppendOutcome[batch.size()];
    for (int i = 0; i < outcomes.length; i++) {
      outcomes[i] = ((Long) result.get(i)) == 1L ? AppendOutcome.STORED : AppendOutcome.DUPLICATE;
    }
    return Collections.unmodifiableList(Arrays.asList(outcomes));
  }

  @Override
  public List<FeedbackEvent> recentEvents(String userId, int limit) {
    BatchChecks.id("userId", userId);
    BatchChecks.limit(limit);
    List<Object> payloads = run(Script.RECENT_EVENTS, List.of(prefix, utf8(userId), ascii(limit)));
    List<FeedbackEvent> events = new ArrayList<>(payloads.size());
    for (Object payload : payloads) {
      events.add(decodeEvent((byte[]) payload));
    }
    return Collections.unmodifiableList(events);
  }

  @Override
  public UserActivity user(String userId) {
    BatchChecks.id("userId", userId);
    List<Object> result = run(Script.READ_USER, List.of(prefix, utf8(userId)));
    Map<String, String> hash = hash(result.get(0));
    if (hash.isEmpty()) {
      return UserActivity.none(userId);
    }
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    Map<String, Double> affinity = new TreeMap<>();
    for (Map.Entry<String, String> field : hash.entrySet()) {
      String name = field.getKey();
      if (name.startsWith("c:")) {
        counts.put(EventType.valueOf(name.substring(2)), Long.parseLong(field.getValue()));
      } else if (name.startsWith("a:")) {
        affinity.put(name.substring(2), Double.parseDouble(field.getValue()));
      }
    }
    return new UserActivity(
        userId,
        counts,
        strings(result.get(1)),
        strings(result.get(2)),
        affinity,
        parseLong(hash.get("rc")),
        parseDouble(hash.get("rs")),
        parseLong(hash.get("last")));
  }

  @Override
  public ItemActivity item(String itemId) {
    BatchChecks.id("itemId", itemId);
    return items(List.of(itemId)).getFirst();
  }

  @Override
  public List<ItemActivity> items(List<String> itemIds) {
    BatchChecks.itemIds(itemIds);
    if (itemIds.isEmpty()) {
      return call(() -> List.of());
    }
    List<byte[]> args = new ArrayList<>(itemIds.size() + 1);
    args.add(prefix);
    for (String itemId : itemIds) {
      args.add(utf8(itemId));
    }
    List<Object> result = run(Script.READ_ITEMS, args);
    long now = clock.millis();
    ItemActivity[] items = new ItemActivity[itemIds.size()];
    for (int i = 0; i < items.length; i++) {
      items[i] = item(itemIds.get(i), hash(result.get(i)), now);
    }
    return List.of(items);
  }

  private ItemActivity item(String itemId, Map<String, String> hash, long now) {
    if (hash.isEmpty()) {
      return ItemActivity.none(itemId, now);
    }
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    for (Map.Entry<String, String> field : hash.entrySet()) {
      if (field.getKey().startsWith("c:")) {
        counts.put(EventType.valueOf(field.getKey().substring(2)), Long.parseLong(field.getValue()));
      }
    }
    Popularity popularity =
        hash.containsKey("ps")
            ? new Popularity(Double.parseDouble(hash.get("ps")), Long.parseLong(hash.get("pt")))
            : Popularity.NONE;
    return new ItemActivity(
        itemId,
        counts,
        parseLong(hash.get("rc")),
        parseDouble(hash.get("rs")),
        popularity.at(now, halfLifeMillis),
        parseLong(hash.get("last")),
        now);
  }

  @Override
  public long eventCount() {
    return call(() -> {
      byte[] value = redis.get(concat(prefix, utf8("n")));
      return value == null ? 0L : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    });
  }

  @Override
  public void export(long fromMillis, long toMillis, Consumer<? super FeedbackEvent> sink) {
    BatchChecks.range(fromMillis, toMillis);
    Objects.requireNonNull(sink, "sink");
    byte[] max = toMillis == Long.MAX_VALUE ? utf8("+inf") : ascii(toMillis);
    // Pages by (time, offset among equal times) rather than by rank, and passes on only what
    // sorts after the last event passed on: an event inserted meanwhile before the cursor shifts
    // the offsets by one, which makes a page start at an event already passed on (skipped), never
    // after one not yet passed on. So no event is passed twice and none stored when the export
    // began is missed.
    long cursorTime = fromMillis;
    int seenAtCursorTime = 0;
    long lastTime = Long.MIN_VALUE;
    byte[] lastId = null;
    while (true) {
      List<Object> page =
          run(Script.EXPORT_PAGE,
              List.of(prefix, ascii(cursorTime), max, ascii(seenAtCursorTime), ascii(EXPORT_PAGE)));
      for (int i = 0; i < page.size(); i += 3) {
        byte[] id = (byte[]) page.get(i);
        long time = (long) Double.parseDouble(new String((byte[]) page.get(i + 1), StandardCharsets.US_ASCII));
        if (time == cursorTime) {
          seenAtCursorTime++;
        } else {
          cursorTime = time;
          seenAtCursorTime = 1;
        }
        boolean after =
            lastId == null || time > lastTime || (time == lastTime && Arrays.compareUnsigned(id, lastId) > 0);
        if (after) {
          sink.accept(decodeEvent((byte[]) page.get(i + 2)));
          lastTime = time;
          lastId = id;
        }
      }
      if (page.size() / 3 < EXPORT_PAGE) {
        return;
      }
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
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      log.info("Closed the {}", where);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "RedisFeedbackStore[" + config.location() + ", prefix " + config.redisKeyPrefix() + "]";
  }

  /** Runs a script by its digest, loading the scripts again if the server lost them (restart). */
  private List<Object> run(Script script, List<byte[]> args) {
    byte[][] values = args.toArray(new byte[0][]);
    return call(() -> {
      try {
        return redis.evalsha(digests.get(script), ScriptOutputType.MULTI, NO_KEYS, values);
      } catch (RedisNoScriptException e) {
        // NOSCRIPT means the script did not run: running it again cannot apply a batch twice.
        log.info("{}: the server lost the scripts (restarted or flushed); loading them again", where);
        loadScripts();
        return redis.evalsha(digests.get(script), ScriptOutputType.MULTI, NO_KEYS, values);
      }
    });
  }

  private <T> T call(Supplier<T> command) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(where + " is closed");
      }
      return command.get();
    } catch (RedisException e) {
      throw new FeedbackStoreException(where + ": " + rootMessage(e), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private FeedbackEvent decodeEvent(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new FeedbackStoreException(where + ": an index refers to an event that is not stored");
    }
    return EventCodec.decode(payload, where);
  }

  private static Map<String, String> hash(Object flat) {
    @SuppressWarnings("unchecked")
    List<Object> fields = (List<Object>) flat;
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      map.put(string(fields.get(i)), string(fields.get(i + 1)));
    }
    return map;
  }

  private static List<String> strings(Object list) {
    @SuppressWarnings("unchecked")
    List<Object> values = (List<Object>) list;
    List<String> out = new ArrayList<>(values.size());
    for (Object value : values) {
      out.add(string(value));
    }
    return out;
  }

  private static String string(Object value) {
    return new String((byte[]) value, StandardCharsets.UTF_8);
  }

  private static long parseLong(String value) {
    return value == null ? 0L : Long.parseLong(value);
  }

  private static double parseDouble(String value) {
    return value == null ? 0.0 : Double.parseDouble(value);
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? leadingInt(x[i]) : 0;
      int q = i < y.length ? leadingInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private static int leadingInt(String s) {
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }
}
