package dev.recsuite.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.UserFeatureRow;
import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Item;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureTablesBuilderTest {

  @Test
  void build_computesItemAndUserAggregates() {
    DatasetBuilder builder = new DatasetBuilder();
    builder.addItem(new Item("a", "A", List.of("Drama"), 1990, List.of()));
    builder.addItem(new Item("b", "B", List.of("Comedy", "Drama"), 2000, List.of()));
    builder.addItem(new Item("c", "C", List.of(), 0, List.of()));
    builder
        .addInteraction("u1", "a", 4f, 1)
        .addInteraction("u1", "b", 2f, 2)
        .addInteraction("u2", "a", 5f, 1)
        .addInteraction("u2", "c", 0f, 3);
    Dataset data = builder.build(new DataSourceInfo("test", "memory", "t"));

    FeatureTables tables = new FeatureTablesBuilder(1).build(data);

    float global = (4f + 2f + 5f) / 3f;
    assertThat(tables.getGlobalMeanRating()).isCloseTo(global, within(1e-6f));
    assertThat(tables.getItems(0).getInteractionCount()).isEqualTo(2);
    assertThat(tables.getItems(0).getPopularity()).isEqualTo(1f);
    assertThat(tables.getItems(1).getPopularity())
        .isCloseTo((float) (Math.log(2) / Math.log(3)), within(1e-6f));
    assertThat(tables.getItems(0).getMeanRating()).isEqualTo(4.5f);
    assertThat(tables.getItems(0).getShrunkRating())
        .isCloseTo((9f + 10f * global) / 12f, within(1e-5f));
    // Item c has only an implicit event: its mean is the global mean.
    assertThat(tables.getItems(2).getMeanRating()).isCloseTo(global, within(1e-6f));

    UserFeatureRow u1 = tables.getUsers(0);
    assertThat(u1.getInteractionCount()).isEqualTo(2);
    assertThat(u1.getMeanRating()).isEqualTo(3f);
    assertThat(u1.getRatingStddev()).isCloseTo((float) Math.sqrt(2), within(1e-6f));
    assertThat(u1.getGenreAffinityMap()).containsEntry("Drama", 1f).containsEntry("Comedy", 0.5f);
    assertThat(u1.getRecentItemsList()).containsExactly(1);
    assertThat(u1.getMeanItemYear()).isEqualTo(1995f);
    // u2 rated one item explicitly: no spread, mean of the explicit rating only.
    assertThat(tables.getUsers(1).getMeanRating()).isEqualTo(5f);
    assertThat(tables.getUsers(1).getRatingStddev()).isZero();
  }
}
