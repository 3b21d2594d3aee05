package dev.recsuite.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import dev.recsuite.feedback.EventType;
import dev.recsuite.feedback.FeedbackEvent;
import dev.recsuite.feedback.FeedbackStore;
import dev.recsuite.feedback.FeedbackStoreConfig;
import dev.recsuite.feedback.FeedbackStores;
import dev.recsuite.feedback.StoreType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackDataTest {

  @TempDir Path dir;

  /** u1: m1 @100 (rating 4), m2 @200; u2: m2 @150. */
  private static Dataset data() {
    return new DatasetBuilder()
        .addItem(new Item("m1", "Alpha", List.of("Drama"), 1990, List.of()))
        .addItem(new Item("m2", "Beta", List.of("Comedy"), 1995, List.of()))
        .addUser(new User("u1", Map.of("age", "30")))
        .addUser(new User("u2", Map.of()))
        .addInteraction("u1", "m1", 4f, 100)
        .addInteraction("u1", "m2", 0f, 200)
        .addInteraction("u2", "m2", 0f, 150)
        .build(new DataSourceInfo("generic-csv", "/data/x", "three interactions"));
  }

  @Test
  void append_events_becomeInteractionsExceptDislikesAndAddBareUsersAndItems() {
    long now = System.currentTimeMillis();
    Dataset merged;
    FeedbackData.Summary summary;
    try (FeedbackStore store = FeedbackStores.open(FeedbackStoreConfig.embedded(dir.resolve("feedback")))) {
      store.append(
          List.of(
              FeedbackEvent.of("e1", "u1", "m3", EventType.PURCHASE, now - 2_500),
              FeedbackEvent.rating("e2", "u2", "m1", 4.5, now - 1_000),
              FeedbackEvent.of("e3", "newcomer", "m2", EventType.VIEW, now),
              FeedbackEvent.of("e4", "u1", "m1", EventType.DISLIKE, now)));
      FeedbackData.Merged result = FeedbackData.append(data(), store, "feedback-dir");
      merged = result.dataset();
      summary = result.summary();
    }

    assertThat(summary).isEqualTo(new FeedbackData.Summary(4, 3, 1, 1, 1));
    // Existing dense ids are kept; new ones follow.
    assertThat(merged.items()).extracting(Item::id).containsExactly("m1", "m2", "m3");
    assertThat(merged.items().get(2)).isEqualTo(Item.bare("m3"));
    assertThat(merged.users()).extracting(User::id).containsExactly("u1", "u2", "newcomer");
    assertThat(merged.users().getFirst().attributes()).containsEntry("age", "30");
    assertThat(merged.itemIds().indexOf("m3")).isEqualTo(2);
    assertThat(merged.userIds().indexOf("newcomer")).isEqualTo(2);
    assertThat(rows(merged))
        .containsExactly(
            "u1 m1 4.0 100", "u1 m2 0.0 200", "u1 m3 0.0 " + Math.floorDiv(now - 2_500, 1000),
            "u2 m2 0.0 150", "u2 m1 4.5 " + Math.floorDiv(now - 1_000, 1000),
            "newcomer m2 0.0 " + Math.floorDiv(now, 1000));
    assertThat(merged.source().location()).isEqualTo("/data/x + feedback feedback-dir");
    assertThat(merged.source().description()).isEqualTo("three interactions + 3 interactions from 4 feedback events");
  }

  @Test
  void append_emptyStore_keepsTheDataAsItIs() {
    try (FeedbackStore store = FeedbackStores.open(FeedbackStoreConfig.embedded(dir.resolve("feedback")))) {
      FeedbackData.Merged result = FeedbackData.append(data(), store, "empty");

      assertThat(result.summary()).isEqualTo(new FeedbackData.Summary(0, 0, 0, 0, 0));
      assertThat(rows(result.dataset())).isEqualTo(rows(data()));
    }
  }

  @Test
  void config_acceptsEmbeddedDirectoriesAndRedisUris() {
    FeedbackStoreConfig embedded = FeedbackData.config("embedded:" + dir, "p:");
    FeedbackStoreConfig redis = FeedbackData.config("redis://10.0.0.5:6379/1", "{fb}:");

    assertThat(embedded.type()).isEqualTo(StoreType.EMBEDDED);
    assertThat(embedded.path()).isEqualTo(dir.toAbsolutePath());
    assertThat(redis.type()).isEqualTo(StoreType.REDIS);
    assertThat(redis.redisKeyPrefix()).isEqualTo("{fb}:");
  }

  @Test
  void config_missingDirectoryOrUnknownForm_failsNamingTheValue() {
    assertThatThrownBy(() -> FeedbackData.config("embedded:" + dir.resolve("nope"), "p:"))
        .hasMessageStartingWith("feedback: embedded store " + dir.resolve("nope").toAbsolutePath() + " does not exist");
    assertThatThrownBy(() -> FeedbackData.config("/tmp/feedback", "p:"))
        .hasMessage("feedback: \"/tmp/feedback\" (expected: embedded:DIR or redis://host[:port][/db])");
  }

  private static List<String> rows(Dataset data) {
    Interactions interactions = data.interactions();
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < interactions.size(); i++) {
      rows.add(
          data.users().get(interactions.user(i)).id() + " " + data.items().get(interactions.item(i)).id() + " "
              + interactions.rating(i) + " " + interactions.timestamp(i));
    }
    return rows;
  }
}
