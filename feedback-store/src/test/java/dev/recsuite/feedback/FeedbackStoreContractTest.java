package dev.recsuite.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour every {@link FeedbackStore} must have, run against each implementation by a
 * subclass that says where its storage lives. Times are around {@link #T0} on a {@link
 * MutableClock}, so decayed popularity has exact expected values.
 */
abstract class FeedbackStoreContractTest {

  /** 2027-01-15T08:00:00Z. */
  static final long T0 = 1_800_000_000_000L;

  private static final Logger report = LoggerFactory.getLogger("dev.recsuite.feedback.DurabilityReport");

  final MutableClock clock = new MutableClock(T0);
  private final List<FeedbackStore> opened = new ArrayList<>();

  @TempDir Path tempDir;

  /** A configuration of this implementation on storage private to the running test. */
  abstract FeedbackStoreConfig config();

  /** What the child process of the kill test needs to open the same storage: type and location. */
  abstract List<String> childArguments(FeedbackStoreConfig config);

  /** Opens a store on the test clock; closed after the test. */
  FeedbackStore open(FeedbackStoreConfig config, ItemCategories categories) {
    FeedbackStore store = FeedbackStores.open(config, clock, categories);
    opened.add(store);
    return store;
  }

  FeedbackStore open(FeedbackStoreConfig config) {
    return open(config, ItemCategories.NONE);
  }

  FeedbackStore open() {
    return open(config());
  }

  @AfterEach
  void closeStores() {
    opened.forEach(FeedbackStore::close);
  }

  static FeedbackEvent click(String eventId, String userId, String itemId, long timestamp) {
    return FeedbackEvent.of(eventId, userId, itemId, EventType.CLICK, timestamp);
  }

  static FeedbackEvent event(String eventId, String userId, String itemId, EventType type, long timestamp) {
    return FeedbackEvent.of(eventId, userId, itemId, type, timestamp);
  }

  // ---------------------------------------------------------------- append and read back

  @Test
  void append_newEvents_areStoredAndReadBackNewestFirst() {
    FeedbackStore store = open();
    FeedbackEvent older = new FeedbackEvent("e1", "u1", "m1", EventType.VIEW, 0, T0 - 3000, Map.of("page", "home"));
    FeedbackEvent newest = FeedbackEvent.rating("e2", "u1", "m2", 4.5, T0 - 1000);
    FeedbackEvent middle = click("e3", "u1", "m3", T0 - 2000);

    List<AppendOutcome> outcomes = store.append(List.of(older, newest, middle));

    assertThat(outcomes).containsExactly(AppendOutcome.STORED, AppendOutcome.STORED, AppendOutcome.STORED);
    assertThat(store.recentEvents("u1", 10)).containsExactly(newest, middle, older);
    assertThat(store.recentEvents("u1", 2)).containsExactly(newest, middle);
    assertThat(store.recentEvents("u2", 10)).isEmpty();
    assertThat(store.eventCount()).isEqualTo(3);
  }

  @Test
  void recentEvents_equalTimestamps_areOrderedByEventId() {
    FeedbackStore store = open();
    store.append(List.of(click("b", "u1", "m1", T0), click("c", "u1", "m2", T0), click("a", "u1", "m3", T0)));

    assertThat(store.recentEvents("u1", 10)).extracting(FeedbackEvent::eventId).containsExactly("a", "b", "c");
  }

  @Test
  void append_emptyBatch_writesNothing() {
    FeedbackStore store = open();

    assertThat(store.append(List.of())).isEmpty();
    assertThat(store.eventCount()).isZero();
  }

  @Test
  void append_singleEvent_returnsItsOutcome() {
    FeedbackStore store = open();

    assertThat(store.append(click("e1", "u1", "m1", T0))).isEqualTo(AppendOutcome.STORED);
    assertThat(store.append(click("e1", "u1", "m1", T0))).isEqualTo(AppendOutcome.DUPLICATE);
  }

  @Test
  void append_unicodeIdsAndContext_roundTrip() {
    FeedbackStore store = open();
    FeedbackEvent event =
        new FeedbackEvent("év-😀", "用户-1", "item:ä/ü", EventType.SHARE, 0, T0,
            Map.of("note", "tab\there\nnew line", "ключ", "значение"));

    store.append(List.of(event));

    assertThat(store.recentEvents("用户-1", 1)).containsExactly(event);
    assertThat(store.user("用户-1").recentItemIds()).containsExactly("item:ä/ü");
  }

  // ---------------------------------------------------------------- idempotency

  @Test
  void append_sameEventIdTwiceInOneBatch_storesTheFirstOnly() {
    FeedbackStore store = open();
    FeedbackEvent first = click("e1", "u1", "m1", T0 - 10);
    FeedbackEvent sameIdOtherContent = click("e1", "u1", "m9", T0 - 5);

    List<AppendOutcome> outcomes = store.append(List.of(first, sameIdOtherContent, click("e2", "u1", "m2", T0)));

    assertThat(outcomes).containsExactly(AppendOutcome.STORED, AppendOutcome.DUPLICATE, AppendOutcome.STORED);
    assertThat(store.eventCount()).isEqualTo(2);
    assertThat(store.recentEvents("u1", 10)).extracting(FeedbackEvent::itemId).containsExactly("m2", "m1");
    assertThat(store.user("u1").count(EventType.CLICK)).isEqualTo(2);
    assertThat(store.item("m9").known()).isFalse();
  }

  @Test
  void append_retriedBatch_isStoredAndCountedOnce() {
    FeedbackStore store = open();
    List<FeedbackEvent> batch =
        List.of(event("e1", "u1", "m1", EventType.PURCHASE, T0 - 60_000), FeedbackEvent.rating("e2", "u1", "m1", 5, T0));
    store.append(batch);
    UserActivity userBefore = store.user("u1");
    ItemActivity itemBefore = store.item("m1");

    List<AppendOutcome> retry = store.append(batch);

    assertThat(retry).containsExactly(AppendOutcome.DUPLICATE, AppendOutcome.DUPLICATE);
    assertThat(store.eventCount()).isEqualTo(2);
    assertThat(store.user("u1")).isEqualTo(userBefore);
    assertThat(store.item("m1")).isEqualTo(itemBefore);
    assertThat(store.recentEvents("u1", 10)).hasSize(2);
    List<FeedbackEvent> exported = new ArrayList<>();
    store.exportAll(exported::add);
    assertThat(exported).hasSize(2);
  }

  @Test
  void append_batchMixingNewAndStoredIds_storesOnlyTheNewOnes() {
    FeedbackStore store = open();
    store.append(List.of(click("e1", "u1", "m1", T0)));

    List<AppendOutcome> outcomes = store.append(List.of(click("e1", "u1", "m1", T0), click("e2", "u1", "m1", T0)));

    assertThat(outcomes).containsExactly(AppendOutcome.DUPLICATE, AppendOutcome.STORED);
    assertThat(store.item("m1").count(EventType.CLICK)).isEqualTo(2);
  }

  // ---------------------------------------------------------------- user aggregates

  @Test
  void user_recentItems_areDeduplicatedNewestFirstWithinTheWindow() {
    FeedbackStore store = open(config().withRecentWindow(3));
    store.append(List.of(
        click("e1", "u1", "m1", T0 - 9000),
        click("e2", "u1", "m2", T0 - 8000),
        click("e3", "u1", "m3", T0 - 7000),
        click("e4", "u1", "m1", T0 - 6000), // m1 again: moves to the front
        click("e5", "u1", "m4", T0 - 5000)));
    store.append(List.of(event("e6", "u1", "m5", EventType.VIEW, T0 - 4000)));

    assertThat(store.user("u1").recentItemIds()).containsExactly("m5", "m4", "m1");
  }

  @Test
  void user_lateOlderEvents_keepEachItemsLatestTime() {
    FeedbackStore store = open(config().withRecentWindow(3));
    store.append(List.of(click("e1", "u1", "m1", T0 - 1000), click("e2", "u1", "m2", T0 - 2000), click("e3", "u1", "m3", T0 - 3000)));

    // An old event on m1 does not move it back; one on a new item older than the whole window stays out.
    store.append(List.of(click("e4", "u1", "m1", T0 - 9000), click("e5", "u1", "m9", T0 - 8000)));

    assertThat(store.user("u1").recentItemIds()).containsExactly("m1", "m2", "m3");
    assertThat(store.user("u1").lastEventMillis()).isEqualTo(T0 - 1000);
  }

  @Test
  void user_equalTimes_orderItemsById() {
    FeedbackStore store = open();
    store.append(List.of(click("e1", "u1", "b", T0), click("e2", "u1", "c", T0), click("e3", "u1", "a", T0)));

    assertThat(store.user("u1").recentItemIds()).containsExactly("a", "b", "c");
  }

  @Test
  void user_dislikes_areListedApartFromRecentItems() {
    FeedbackStore store = open(config().withDislikedWindow(2));
    store.append(List.of(
        click("e1", "u1", "m1", T0 - 5000),
        event("e2", "u1", "m2", EventType.DISLIKE, T0 - 4000),
        event("e3", "u1", "m3", EventType.DISLIKE, T0 - 3000),
        event("e4", "u1", "m4", EventType.DISLIKE, T0 - 2000)));

    UserActivity user = store.user("u1");

    assertThat(user.recentItemIds()).containsExactly("m1");
    assertThat(user.dislikedItemIds()).containsExactly("m4", "m3");
    assertThat(user.count(EventType.DISLIKE)).isEqualTo(3);
  }

  @Test
  void user_countsRatingsAndLastEvent() {
    FeedbackStore store = open();
    store.append(List.of(
        click("e1", "u1", "m1", T0 - 5000),
        click("e2", "u1", "m2", T0 - 4000),
        FeedbackEvent.rating("e3", "u1", "m1", 4.5, T0 - 3000),
        FeedbackEvent.rating("e4", "u1", "m2", 2.0, T0 - 6000),
        event("e5", "u1", "m3", EventType.PURCHASE, T0 - 7000),
        click("e6", "u2", "m1", T0)));

    UserActivity user = store.user("u1");

    assertThat(user.userId()).isEqualTo("u1");
    assertThat(user.known()).isTrue();
    assertThat(user.counts()).isEqualTo(Map.of(EventType.CLICK, 2L, EventType.RATING, 2L, EventType.PURCHASE, 1L));
    assertThat(user.eventCount()).isEqualTo(5);
    assertThat(user.ratingCount()).isEqualTo(2);
    assertThat(user.ratingSum()).isCloseTo(6.5, within(1e-12));
    assertThat(user.meanRating()).hasValue(3.25);
    assertThat(user.lastEventMillis()).isEqualTo(T0 - 3000);
    assertThat(user.categoryAffinity()).isEmpty();
  }

  @Test
  void user_categoryAffinity_sumsTheWeightsPerCategory() {
    Map<String, List<String>> catalogue = Map.of("m1", List.of("Action", "Comedy"), "m2", List.of("Drama", "", "Drama"));
    FeedbackStore store = open(config(), itemId -> catalogue.getOrDefault(itemId, List.of()));

    store.append(List.of(
        click("e1", "u1", "m1", T0 - 3000), // +2 Action, Comedy
        event("e2", "u1", "m2", EventType.LIKE, T0 - 2000), // +4 Drama (empty and repeated names ignored)
        event("e3", "u1", "m1", EventType.DISLIKE, T0 - 1000), // -4 Action, Comedy
        click("e4", "u1", "unknown", T0)));

    assertThat(store.user("u1").categoryAffinity())
        .containsOnlyKeys("Action", "Comedy", "Drama")
        .containsEntry("Action", -2.0)
        .containsEntry("Comedy", -2.0)
        .containsEntry("Drama", 4.0);
  }

  @Test
  void user_unknown_isNone() {
    FeedbackStore store = open();

    assertThat(store.user("nobody")).isEqualTo(UserActivity.none("nobody"));
    assertThat(store.user("nobody").known()).isFalse();
  }

  // ---------------------------------------------------------------- item aggregates

  @Test
  void item_popularity_decaysWithTheHalfLife() {
    FeedbackStore store = open(config().withPopularityHalfLife(Duration.ofHours(1)));
    store.append(List.of(
        event("e1", "u1", "m1", EventType.PURCHASE, T0 - 7_200_000), // 5, two half-lives old
        event("e2", "u2", "m1", EventType.VIEW, T0), // 1
        event("e3", "u3", "m1", EventType.DISLIKE, T0))); // 0: dislikes do not move popularity

    ItemActivity now = store.item("m1");
    clock.advance(Duration.ofHours(1));
    ItemActivity hourLater = store.item("m1");

    assertThat(now.popularity()).isCloseTo(5 * 0.25 + 1, within(1e-9));
    assertThat(now.asOfMillis()).isEqualTo(T0);
    assertThat(hourLater.popularity()).isCloseTo((5 * 0.25 + 1) / 2, within(1e-9));
    assertThat(hourLater.asOfMillis()).isEqualTo(T0 + 3_600_000);
    assertThat(hourLater.counts()).isEqualTo(Map.of(EventType.PURCHASE, 1L, EventType.VIEW, 1L, EventType.DISLIKE, 1L));
    assertThat(hourLater.lastEventMillis()).isEqualTo(T0);
  }

  @Test
  void item_popularity_isTheSameWhateverOrderTheEventsArrive() {
    FeedbackStore store = open(config().withPopularityHalfLife(Duration.ofMinutes(30)));
    long[] times = {T0 - 3_600_000, T0 - 600_000, T0 - 5_400_000, T0 - 1_800_000};
    EventType[] types = {EventType.LIKE, EventType.CLICK, EventType.PURCHASE, EventType.VIEW};
    for (int i = 0; i < times.length; i++) {
      store.append(List.of(event("a" + i, "u" + i, "inOrder", types[i], times[i])));
    }
    for (int i = times.length - 1; i >= 0; i--) {
      store.append(List.of(event("b" + i, "u" + i, "reversed", types[i], times[i])));
    }
    double expected = 0;
    for (int i = 0; i < times.length; i++) {
      expected += types[i].popularityWeight() * Math.pow(2, -(T0 - times[i]) / 1_800_000.0);
    }

    // 4 × 2^-2 + 2 × 2^-(1/3) + 5 × 2^-3 + 1 × 2^-1
    assertThat(store.item("inOrder").popularity()).isCloseTo(expected, within(1e-9));
    assertThat(store.item("reversed").popularity()).isCloseTo(expected, within(1e-9));
    assertThat(expected).isCloseTo(1 + 2 * Math.pow(2, -1.0 / 3) + 0.625 + 0.5, within(1e-12));
  }

  @Test
  void item_ratings_areCountedAndAveraged() {
    FeedbackStore store = open();
    store.append(List.of(FeedbackEvent.rating("e1", "u1", "m1", 4, T0), FeedbackEvent.rating("e2", "u2", "m1", 0.5, T0)));

    ItemActivity item = store.item("m1");

    assertThat(item.ratingCount()).isEqualTo(2);
    assertThat(item.meanRating()).hasValue(2.25);
    assertThat(item.popularity()).isCloseTo(6.0, within(1e-9));
  }

  @Test
  void items_batch_answersInRequestOrderWithUnknownIdsAndDuplicates() {
    FeedbackStore store = open();
    store.append(List.of(click("e1", "u1", "m1", T0), event("e2", "u1", "m2", EventType.LIKE, T0)));

    List<ItemActivity> items = store.items(List.of("m2", "none", "m1", "m2"));

    assertThat(items).extracting(ItemActivity::itemId).containsExactly("m2", "none", "m1", "m2");
    assertThat(items).extracting(ItemActivity::popularity).containsExactly(4.0, 0.0, 2.0, 4.0);
    assertThat(items.get(1)).isEqualTo(ItemActivity.none("none", T0));
    assertThat(store.items(List.of())).isEmpty();
  }

  // ---------------------------------------------------------------- bad input: nothing written

  @Test
  void append_timestampFarInTheFuture_rejectsTheWholeBatchNamingTheEvent() {
    FeedbackStore store = open();
    List<FeedbackEvent> batch =
        List.of(click("ok1", "u1", "m1", T0), click("ok2", "u1", "m2", T0), click("late", "u1", "m3", T0 + 300_001));

    assertThatThrownBy(() -> store.append(batch))
        .isInstanceOf(InvalidFeedbackException.class)
        .hasMessageStartingWith("batch[2].timestampMillis: 1800000300001 (2027-01-15T08:05:00.001Z) is 300001 ms ahead")
        .hasMessageContaining("far in the future (expected: at most 300000 ms ahead)");
    assertNothingStored(store);
    // Exactly at the allowed skew is accepted.
    assertThat(store.append(click("edge", "u1", "m3", T0 + 300_000))).isEqualTo(AppendOutcome.STORED);
  }

  @Test
  void append_timestampTooOld_rejectsTheWholeBatch() {
    FeedbackStore store = open(config().withMaxEventAge(Duration.ofDays(1)));

    assertThatThrownBy(() -> store.append(List.of(click("ok", "u1", "m1", T0), click("old", "u1", "m1", T0 - 86_400_001))))
        .isInstanceOf(InvalidFeedbackException.class)
        .hasMessageContaining("batch[1].timestampMillis")
        .hasMessageContaining("too old (expected: at most 86400000 ms old)")
        .satisfies(e -> assertThat(((InvalidFeedbackException) e).index()).hasValue(1));
    assertNothingStored(store);
  }

  @Test
  void append_oversizedBatch_isRejectedWhole() {
    FeedbackStore store = open();
    List<FeedbackEvent> batch = new ArrayList<>();
    for (int i = 0; i <= FeedbackStore.MAX_BATCH; i++) {
      batch.add(click("e" + i, "u1", "m" + i, T0));
    }

    assertThatThrownBy(() -> store.append(batch))
        .isInstanceOf(InvalidFeedbackException.class)
        .hasMessage("batch: 1001 events (expected: at most 1000)");
    assertNothingStored(store);
    assertThat(store.append(batch.subList(0, FeedbackStore.MAX_BATCH))).hasSize(1000).containsOnly(AppendOutcome.STORED);
    assertThat(store.eventCount()).isEqualTo(1000);
  }

  @Test
  void append_nullEvent_isRejectedNamingItsIndex() {
    FeedbackStore store = open();
    List<FeedbackEvent> batch = new ArrayList<>(List.of(click("e1", "u1", "m1", T0)));
    batch.add(null);

    assertThatThrownBy(() -> store.append(batch)).isInstanceOf(InvalidFeedbackException.class).hasMessage("batch[1]: must not be null");
    assertNothingStored(store);
  }

  @Test
  void lookups_invalidArguments_areRejectedNamingTheField() {
    FeedbackStore store = open();

    assertThatThrownBy(() -> store.user("")).hasMessage("userId: must not be empty");
    assertThatThrownBy(() -> store.item("a\nb")).hasMessage("itemId: \"a\\nb\" contains a control character at index 1");
    assertThatThrownBy(() -> store.recentEvents("u1", 0)).hasMessage("limit: 0 (expected: 1..1000)");
    assertThatThrownBy(() -> store.items(List.of("m1", " "))).hasMessage("itemIds[1]: \" \" must not be blank");
    assertThatThrownBy(() -> store.export(10, 9, e -> {})).hasMessage("fromMillis: 10 (expected: <= toMillis 9)");
  }

  private static void assertNothingStored(FeedbackStore store) {
    assertThat(store.eventCount()).isZero();
    assertThat(store.recentEvents("u1", 10)).isEmpty();
    assertThat(store.user("u1").known()).isFalse();
    assertThat(store.items(List.of("m1", "m2", "m3"))).noneMatch(ItemActivity::known);
    List<FeedbackEvent> exported = new ArrayList<>();
    store.exportAll(exported::add);
    assertThat(exported).isEmpty();
  }

  // ---------------------------------------------------------------- export

  @Test
  void exportAll_passesEveryEventInTimestampOrderThenById() {
    FeedbackStore store = open();
    store.append(List.of(click("e5", "u1", "m1", T0 - 100), click("e2", "u2", "m2", T0 - 300)));
    store.append(List.of(click("e4", "u3", "m3", T0 - 200), click("e1", "u1", "m4", T0 - 200), click("e3", "u2", "m1", T0 - 400)));

    List<String> all = new ArrayList<>();
    store.exportAll(e -> all.add(e.eventId()));
    List<String> range = new ArrayList<>();
    store.export(T0 - 300, T0 - 100, e -> range.add(e.eventId()));

    assertThat(all).containsExactly("e3", "e2", "e1", "e4", "e5");
    assertThat(range).containsExactly("e2", "e1", "e4");
  }

  @Test
  void exportAll_manyEventsWithEqualTimes_passesEachOnceInOrder() {
    FeedbackStore store = open();
    List<FeedbackEvent> expected = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      List<FeedbackEvent> batch = new ArrayList<>();
      for (int i = 0; i < 900; i++) {
        // 2,700 events over 7 distinct times: pages of the Redis export end inside runs of equal times.
        batch.add(click(String.format("e%05d", b * 900 + i), "u" + (i % 13), "m" + (i % 17), T0 - (i % 7) * 1000));
      }
      store.append(batch);
      expected.addAll(batch);
    }
    expected.sort(Comparator.comparingLong(FeedbackEvent::timestampMillis).thenComparing(FeedbackEvent::eventId));

    List<FeedbackEvent> exported = new ArrayList<>();
    store.exportAll(exported::add);

    assertThat(exported).containsExactlyElementsOf(expected);
  }

  // ---------------------------------------------------------------- against a reference

  @Test
  void randomEventsInRandomBatches_matchABruteForceReference() {
    int window = 5;
    int dislikedWindow = 3;
    long halfLife = 600_000;
    FeedbackStore store = open(config().withRecentWindow(window).withDislikedWindow(dislikedWindow)
        .withPopularityHalfLife(Duration.ofMillis(halfLife)));
    Random random = new Random(20261130L);
    EventType[] types = EventType.values();
    List<FeedbackEvent> all = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      EventType type = types[random.nextInt(types.length)];
      String id = "e" + random.nextInt(350); // some ids repeat: duplicates
      long ts = T0 - random.nextInt(3_600) * 1000L; // out of order, with ties
      String user = "u" + random.nextInt(4);
      String item = "m" + random.nextInt(12);
      all.add(type == EventType.RATING
          ? FeedbackEvent.rating(id, user, item, 0.5 * (1 + random.nextInt(10)), ts)
          : FeedbackEvent.of(id, user, item, type, ts));
    }
    for (int from = 0; from < all.size(); ) {
      int to = Math.min(all.size(), from + 1 + random.nextInt(40));
      store.append(all.subList(from, to));
      from = to;
    }

    // The reference: the first event of each id, aggregated by brute force.
    Map<String, FeedbackEvent> firstById = new LinkedHashMap<>();
    all.forEach(e -> firstById.putIfAbsent(e.eventId(), e));
    List<FeedbackEvent> stored = new ArrayList<>(firstById.values());
    assertThat(store.eventCount()).isEqualTo(stored.size());
    for (int u = 0; u < 4; u++) {
      String user = "u" + u;
      List<FeedbackEvent> mine = stored.stream().filter(e -> e.userId().equals(user)).toList();
      UserActivity activity = store.user(user);
      assertThat(activity.recentItemIds()).as(user + " recent").containsExactlyElementsOf(
          latestItems(mine.stream().filter(e -> e.type().entersRecentItems()).toList(), window));
      assertThat(activity.dislikedItemIds()).as(user + " disliked").containsExactlyElementsOf(
          latestItems(mine.stream().filter(e -> !e.type().entersRecentItems()).toList(), dislikedWindow));
      assertThat(activity.eventCount()).isEqualTo(mine.size());
      assertThat(activity.ratingSum()).isCloseTo(
          mine.stream().filter(e -> e.type() == EventType.RATING).mapToDouble(FeedbackEvent::value).sum(), within(1e-9));
      assertThat(activity.lastEventMillis()).isEqualTo(mine.stream().mapToLong(FeedbackEvent::timestampMillis).max().orElse(0));
      List<FeedbackEvent> newestFirst = new ArrayList<>(mine);
      newestFirst.sort(Comparator.comparingLong(FeedbackEvent::timestampMillis).reversed().thenComparing(FeedbackEvent::eventId));
      assertThat(store.recentEvents(user, 7)).containsExactlyElementsOf(newestFirst.subList(0, Math.min(7, newestFirst.size())));
    }
    for (int m = 0; m < 12; m++) {
      String item = "m" + m;
      double expected = stored.stream().filter(e -> e.itemId().equals(item))
          .mapToDouble(e -> e.type().popularityWeight() * Math.pow(2, -(T0 - e.timestampMillis()) / (double) halfLife))
          .sum();
      ItemActivity activity = store.item(item);
      assertThat(activity.popularity()).as(item).isCloseTo(expected, within(1e-9));
      assertThat(activity.eventCount()).isEqualTo(stored.stream().filter(e -> e.itemId().equals(item)).count());
    }
  }

  /** Distinct items by their latest time, newest first, ties by id; the first {@code limit}. */
  private static List<String> latestItems(List<FeedbackEvent> events, int limit) {
    Map<String, Long> latest = new TreeMap<>();
    events.forEach(e -> latest.merge(e.itemId(), e.timestampMillis(), Math::max));
    return latest.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(limit)
        .map(Map.Entry::getKey)
        .toList();
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrentAppends_ofDistinctAndSharedIds_countEachEventOnce() throws Exception {
    FeedbackStore store = open();
    int threads = 4;
    int batches = 40;
    int perBatch = 10;
    AtomicLong storedOutcomes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("appender-", 0).factory());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int b = 0; b < batches; b++) {
            List<FeedbackEvent> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
              int n = b * perBatch + i;
              // Even positions: an id every thread sends (identical events); odd: this thread's own.
              batch.add(n % 2 == 0
                  ? click("shared-" + n, "u" + (n % 7), "m" + (n % 11), T0 - n)
                  : click("own-" + thread + "-" + n, "u" + (n % 7), "m" + (n % 11), T0 - n));
            }
            storedOutcomes.addAndGet(store.append(batch).stream().filter(o -> o == AppendOutcome.STORED).count());
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    int shared = batches * perBatch / 2;
    int own = threads * batches * perBatch / 2;
    assertThat(storedOutcomes.get()).isEqualTo(shared + own);
    assertThat(store.eventCount()).isEqualTo(shared + own);
    long userTotal = 0;
    for (int u = 0; u < 7; u++) {
      userTotal += store.user("u" + u).count(EventType.CLICK);
    }
    assertThat(userTotal).isEqualTo(shared + own);
    long itemTotal = 0;
    for (ItemActivity item : store.items(IntStream.range(0, 11).mapToObj(i -> "m" + i).toList())) {
      itemTotal += item.count(EventType.CLICK);
    }
    assertThat(itemTotal).isEqualTo(shared + own);
    Set<String> exported = new HashSet<>();
    store.exportAll(e -> assertThat(exported.add(e.eventId())).isTrue());
    assertThat(exported).hasSize(shared + own);
  }

  // ---------------------------------------------------------------- lifecycle and durability

  @Test
  void reopen_afterClose_keepsEventsAndAggregates() {
    FeedbackStoreConfig config = config();
    FeedbackStore store = open(config);
    store.append(List.of(click("e1", "u1", "m1", T0 - 1000), FeedbackEvent.rating("e2", "u1", "m2", 3, T0)));
    UserActivity user = store.user("u1");
    ItemActivity item = store.item("m2");
    store.close();

    FeedbackStore reopened = open(config);

    assertThat(reopened.eventCount()).isEqualTo(2);
    assertThat(reopened.user("u1")).isEqualTo(user);
    assertThat(reopened.item("m2")).isEqualTo(item);
    assertThat(reopened.append(click("e1", "u1", "m1", T0 - 1000))).isEqualTo(AppendOutcome.DUPLICATE);
  }

  @Test
  void closedStore_refusesCalls() {
    FeedbackStore store = open();
    store.close();
    store.close(); // idempotent

    assertThatThrownBy(() -> store.append(click("e1", "u1", "m1", T0))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> store.user("u1")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::eventCount).isInstanceOf(IllegalStateException.class);
  }

  /**
   * The durability test: a child JVM appends events one at a time and prints each id once
   * its append returned; after {@code N} acknowledgements the parent kills it with SIGKILL ({@link
   * Process#destroyForcibly()}), reopens the storage and counts the acknowledged events present.
   */
  @Test
  void append_acknowledgedBeforeKill9_areAllPresentAfterRestart() throws Exception {
    FeedbackStoreConfig config = config();
    int wanted = 300;
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"),
        AppendingChild.class.getName()));
    command.addAll(childArguments(config));
    Path childLog = tempDir.resolve("child.log");
    Process child = new ProcessBuilder(command).redirectError(childLog.toFile()).start();
    Set<String> acknowledged = new LinkedHashSet<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; acknowledged.size() < wanted && (line = out.readLine()) != null; ) {
        if (line.startsWith(AppendingChild.ACK)) {
          acknowledged.add(line.substring(AppendingChild.ACK.length()));
        }
      }
      // Killed while it appends the next events: SIGKILL, no shutdown hook, no close().
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acknowledged).as("acknowledgements before the kill (child log: %s)", childLog).hasSize(wanted);

    FeedbackStore reopened = open(config);
    Set<String> present = new HashSet<>();
    reopened.exportAll(e -> present.add(e.eventId()));

    Set<String> missing = new LinkedHashSet<>(acknowledged);
    missing.removeAll(present);
    report.info("{}: {} events acknowledged before kill -9, {} of them present after restart, {} stored in all",
        getClass().getSimpleName(), acknowledged.size(), acknowledged.size() - missing.size(), present.size());
    assertThat(missing).as("acknowledged but lost").isEmpty();
    // The child appends one event at a time and goes on while the parent reads its first
    // acknowledgements and kills it, so more than `wanted` may be stored (how many depends on the
    // machine's load); what is stored must be exactly the child's first events, without a gap.
    assertThat(present.size()).isGreaterThanOrEqualTo(wanted);
    Set<String> prefix = new HashSet<>();
    for (int i = 0; i < present.size(); i++) {
      prefix.add(AppendingChild.eventId(i));
    }
    assertThat(present).as("the child's first %d events, no gap", present.size()).isEqualTo(prefix);
    assertThat(reopened.eventCount()).isEqualTo(present.size());
    long perUser = 0;
    for (int u = 0; u < AppendingChild.USERS; u++) {
      perUser += reopened.user("u" + u).eventCount();
    }
    assertThat(perUser).as("user counters agree with the events (atomic batches)").isEqualTo(present.size());
  }
}
