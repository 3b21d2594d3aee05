package dev.recsuite.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericCsvLoadingTest {

  @TempDir Path tmp;

  @Test
  void load_fixture_readsItemsUsersInteractions() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("generic-csv"));

    assertThat(dataset.source().format()).isEqualTo("generic-csv");
    assertThat(dataset.itemIds().ids()).containsExactly("a1", "a2", "a3", "a9");
    assertThat(dataset.userIds().ids()).containsExactly("alice", "bob", "carol");
    assertThat(dataset.interactions().size()).isEqualTo(5);
  }

  @Test
  void load_items_splitMultiValuedColumnsOnPipes() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("generic-csv"));

    assertThat(item(dataset, "a1"))
        .isEqualTo(
            new Item(
                "a1",
                "Night Train, Revisited",
                List.of("Drama", "Mystery"),
                2019,
                List.of("trains", "slow burn")));
  }

  @Test
  void load_emptyOptionalCells_giveDefaults() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("generic-csv"));

    assertThat(item(dataset, "a2").year()).isZero();
    assertThat(item(dataset, "a3")).isEqualTo(Item.bare("a3"));
  }

  @Test
  void load_users_otherColumnsBecomeAttributes_emptyCellsOmitted() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("generic-csv"));

    assertThat(dataset.users().get(0).attributes())
        .isEqualTo(Map.of("age", "34", "country", "NO", "plan", "premium"));
    assertThat(dataset.users().get(1).attributes())
        .isEqualTo(Map.of("country", "SE", "plan", "free"));
    assertThat(dataset.users().get(2).attributes()).isEmpty();
  }

  @Test
  void load_timestamps_acceptEpochSecondsIsoInstantsAndDates() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("generic-csv"));
    Interactions interactions = dataset.interactions();

    assertThat(rows(dataset, "alice"))
        .containsExactly("a1@1709294400 r5.0", "a2@1709300000 r0.0", "a1@1709500000 r4.0");
    assertThat(rows(dataset, "bob")).containsExactly("a1@1709337600 r3.5");
    assertThat(interactions.size()).isEqualTo(5);
  }

  @Test
  void load_unknownColumn_isIgnoredWithWarning() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      Datasets.load(Fixtures.dir("generic-csv"));

      assertThat(logs.messages(Level.WARN))
          .anySatisfy(
              message ->
                  assertThat(message).contains("items.csv").contains("unknown columns [studio]"));
    }
  }

  @Test
  void load_requiredColumnsOnly_implicitEventsInRowOrder() throws Exception {
    Dataset dataset = Datasets.load(Fixtures.dir("generic-csv-minimal"));

    assertThat(rows(dataset, "u1")).containsExactly("i3@0 r0.0", "i1@1 r0.0", "i2@3 r0.0");
    assertThat(rows(dataset, "u2")).containsExactly("i1@2 r0.0");
  }

  @Test
  void load_headerNamesIgnoreCaseAndSpaces_andUtf8Bom() throws Exception {
    Fixtures.write(tmp, "interactions.csv", "\uFEFF User_ID , ITEM_ID,Rating\nu,i,2\n");

    Dataset dataset = Datasets.load(tmp);

    assertThat(rows(dataset, "u")).containsExactly("i@0 r2.0");
  }

  @Test
  void load_missingItemIdColumn_failsOnHeaderLine() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item\nu,i\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessage(
            tmp.resolve("interactions.csv")
                + ":1: header has no column 'item_id' (columns: user_id, item)");
  }

  @Test
  void load_blankUserId_fails() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id\nu,i\n  ,i\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("interactions.csv:3: user_id is blank");
  }

  @Test
  void load_infiniteRating_fails() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id,rating\nu,i,1e99\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("interactions.csv:2: rating '1e99' is not a finite float");
  }

  @Test
  void load_blankTimestampInTimestampColumn_fails() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id,timestamp\nu,i,\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("interactions.csv:2: timestamp is blank");
  }

  @Test
  void load_unparseableTimestamp_failsListingAcceptedForms() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id,timestamp\nu,i,yesterday\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageContaining("interactions.csv:2: timestamp 'yesterday' is neither epoch seconds");
  }

  @Test
  void load_duplicateItemId_fails() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id\nu,i\n");
    Fixtures.write(tmp, "items.csv", "item_id,title\ni,One\nj,Two\ni,Three\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("items.csv:4: item_id 'i' appears twice");
  }

  @Test
  void load_duplicateUserId_fails() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id\nu,i\n");
    Fixtures.write(tmp, "users.csv", "user_id\nu\nu\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("users.csv:3: user_id 'u' appears twice");
  }

  @Test
  void load_badYear_fails() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id\nu,i\n");
    Fixtures.write(tmp, "items.csv", "item_id,year\ni,nineteen\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("items.csv:2: year 'nineteen' is not an integer");
  }

  @Test
  void load_unterminatedQuote_failsAsInvalidCsv() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id\nu,\"i\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageContaining("interactions.csv:2: not valid CSV");
  }

  @Test
  void load_latin1Bytes_failAsInvalidUtf8() {
    Fixtures.write(
        tmp, "interactions.csv", "user_id,item_id\nu,caf\u00e9\n", StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageContaining("interactions.csv:2: not valid UTF-8 text");
  }

  @Test
  void load_duplicateHeaderName_fails() {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id,User_Id\nu,i,v\n");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("interactions.csv:1: header names column 'User_Id' twice");
  }

  @Test
  void load_emptyInteractionsFile_failsAskingForHeader() {
    Fixtures.write(tmp, "interactions.csv", "");

    assertThatThrownBy(() -> Datasets.load(tmp))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("interactions.csv:1: file is empty (expected: a header row)");
  }

  @Test
  void load_headerOnly_givesEmptyDataset() throws Exception {
    Fixtures.write(tmp, "interactions.csv", "user_id,item_id\n");

    Dataset dataset = Datasets.load(tmp);

    assertThat(dataset.interactions().size()).isZero();
    assertThat(dataset.users()).isEmpty();
  }

  private static Item item(Dataset dataset, String id) {
    return dataset.items().get(dataset.itemIds().indexOf(id));
  }

  /** A user's interactions in order, as {@code item@time rRating}. */
  private static List<String> rows(Dataset dataset, String userId) {
    Interactions interactions = dataset.interactions();
    int user = dataset.userIds().indexOf(userId);
    List<String> rows = new ArrayList<>();
    for (int i = interactions.start(user); i < interactions.end(user); i++) {
      rows.add(
          dataset.itemIds().id(interactions.item(i))
              + "@"
              + interactions.timestamp(i)
              + " r"
              + interactions.rating(i));
    }
    return rows;
  }
}
