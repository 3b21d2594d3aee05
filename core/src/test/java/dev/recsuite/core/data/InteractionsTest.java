package dev.recsuite.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InteractionsTest {

  @Test
  void of_unsortedColumns_sortsByUserThenTimeThenInputOrder() {
    Interactions table =
        Interactions.of(
            3,
            new int[] {2, 0, 2, 0, 2},
            new int[] {10, 11, 12, 13, 14},
            new float[] {1, 2, 3, 4, 5},
            new long[] {50, 20, 10, 10, 50});

    assertThat(table.size()).isEqualTo(5);
    assertThat(table.itemsColumn()).containsExactly(13, 11, 12, 10, 14);
    assertThat(table.ratingsColumn()).containsExactly(4, 2, 3, 1, 5);
    assertThat(table.start(0)).isZero();
    assertThat(table.end(0)).isEqualTo(2);
    assertThat(table.countOf(1)).isZero();
    assertThat(table.start(2)).isEqualTo(2);
    assertThat(table.end(2)).isEqualTo(5);
  }

  @Test
  void of_userOutOfRange_failsNamingTheId() {
    assertThatThrownBy(
            () -> Interactions.of(2, new int[] {2}, new int[] {0}, new float[] {0}, new long[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id 2");
  }

  @Test
  void of_columnsOfDifferentLengths_fails() {
    assertThatThrownBy(
            () -> Interactions.of(1, new int[] {0}, new int[] {}, new float[] {0}, new long[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: equal");
  }

  @Test
  void builder_interactionsNamingUnknownIds_createBareEntriesThenAcceptFullOnes() {
    DatasetBuilder builder = new DatasetBuilder();
    builder.addInteraction("u1", "i1", 4f, 100).addInteraction("u1", "i2", 0f, 90);
    builder.addItem(new Item("i1", "Title One", java.util.List.of("Drama"), 1999, java.util.List.of()));

    Dataset dataset = builder.build(new DataSourceInfo("test", "memory", "test"));

    assertThat(dataset.items()).extracting(Item::title).containsExactly("Title One", "i2");
    assertThat(dataset.itemIds().indexOf("i2")).isEqualTo(1);
    assertThat(dataset.userIds().indexOf("u1")).isZero();
    assertThat(dataset.interactions().itemsColumn()).containsExactly(1, 0);
  }

  @Test
  void builder_duplicateItem_failsNamingTheId() {
    DatasetBuilder builder = new DatasetBuilder();
    Item item = new Item("i1", "A", java.util.List.of("Drama"), 0, java.util.List.of());
    builder.addItem(item);

    assertThatThrownBy(() -> builder.addItem(item)).hasMessageContaining("'i1'");
  }
}
