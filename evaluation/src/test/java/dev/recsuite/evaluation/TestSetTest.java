package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.split.LeaveLastOut;
import dev.recsuite.core.split.TrainTestSplit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestSetTest {

  /** 3 users over 300 items; user u0 saw items 0..9, u1 items 10..19, u2 items 0..4 then 0 again. */
  private static Dataset dataset() {
    DatasetBuilder builder = new DatasetBuilder();
    for (int i = 0; i < 300; i++) {
      builder.addItem(Item.bare("i" + i));
    }
    for (int i = 0; i < 10; i++) {
      builder.addInteraction("u0", "i" + i, 0, 100 + i);
      builder.addInteraction("u1", "i" + (10 + i), 0, 100 + i);
    }
    for (int i = 0; i < 5; i++) {
      builder.addInteraction("u2", "i" + i, 0, 100 + i);
    }
    builder.addInteraction("u2", "i0", 0, 200); // held out, but also in the training history
    return builder.build(new DataSourceInfo("test", "memory", "test"));
  }

  private static final Dataset ALL = dataset();
  private static final TrainTestSplit SPLIT = new LeaveLastOut(3).split(ALL.interactions());
  private static final Dataset TRAIN = ALL.withInteractions(SPLIT.train());

  @Test
  void fullRanking_oneCasePerHeldOutUser_skipsRepeatedItems() {
    TestSet set = TestSet.fullRanking(TRAIN, SPLIT.holdout());

    assertThat(set.cases()).extracting(TestCase::userId).containsExactly("u0", "u1");
    assertThat(set.cases()).extracting(TestCase::itemId).containsExactly("i9", "i19");
    assertThat(set.cases()).allMatch(c -> !c.sampled());
    assertThat(set.skipped()).isEqualTo(1);
  }

  @Test
  void sampled_drawsDistinctUnseenNegativesAroundTheHeldOutItem() {
    TestSet set = TestSet.sampled(TRAIN, SPLIT.holdout(), 99, 42);

    for (TestCase c : set.cases()) {
      int user = ALL.userIds().indexOf(c.userId());
      Set<String> seen = new HashSet<>();
      for (int i = SPLIT.train().start(user); i < SPLIT.train().end(user); i++) {
        seen.add(ALL.items().get(SPLIT.train().item(i)).id());
      }
      assertThat(c.candidateIds()).hasSize(100).doesNotHaveDuplicates().contains(c.itemId());
      assertThat(c.candidateIds()).doesNotContainAnyElementsOf(seen);
    }
  }

  @Test
  void sampled_sameSeedSameSet_otherSeedOtherNegatives() {
    TestSet a = TestSet.sampled(TRAIN, SPLIT.holdout(), 99, 42);
    TestSet b = TestSet.sampled(TRAIN, SPLIT.holdout(), 99, 42);
    TestSet c = TestSet.sampled(TRAIN, SPLIT.holdout(), 99, 43);

    assertThat(a).isEqualTo(b);
    assertThat(new HashSet<>(c.cases().getFirst().candidateIds()))
        .isNotEqualTo(new HashSet<>(a.cases().getFirst().candidateIds()));
  }

  @Test
  void sampled_shufflesTheHeldOutItemAcrossPositions() {
    TestSet set = TestSet.sampled(TRAIN, SPLIT.holdout(), 99, 42);
    Set<Integer> positions = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      TestCase c = TestSet.sampled(TRAIN, SPLIT.holdout(), 99, seed).cases().getFirst();
      positions.add(c.candidateIds().indexOf(c.itemId()));
    }

    assertThat(set.cases()).isNotEmpty();
    assertThat(positions).hasSizeGreaterThan(10);
  }

  @Test
  void sampled_moreNegativesThanUnseenItems_takesEveryUnseenItem() {
    TestSet set = TestSet.sampled(TRAIN, SPLIT.holdout(), 1_000, 1);

    // u0 saw 9 training items and holds out one: 290 unseen.
    assertThat(set.cases().getFirst().candidateIds()).hasSize(291);
  }

  @Test
  void sampledFromFile_usesTheGivenNegatives() {
    Map<String, List<String>> negatives = Map.of("u0", List.of("i100", "i101"), "u1", List.of("i102"), "u2", List.of("i5"));

    TestSet set = TestSet.sampled(TRAIN, SPLIT.holdout(), negatives, "file", 7);

    assertThat(set.cases().get(0).candidateIds()).containsExactlyInAnyOrder("i9", "i100", "i101");
    assertThat(set.cases().get(1).candidateIds()).containsExactlyInAnyOrder("i19", "i102");
    assertThat(set.negatives()).isEqualTo("file");
  }

  @Test
  void sampledFromFile_seenNegative_failsNamingUserAndItem() {
    Map<String, List<String>> negatives = Map.of("u0", List.of("i3"), "u1", List.of("i102"), "u2", List.of("i5"));

    assertThatThrownBy(() -> TestSet.sampled(TRAIN, SPLIT.holdout(), negatives, "file", 7))
        .hasMessage("negatives of user 'u0': item 'i3' is the user's own (training or held-out) item");
  }

  @Test
  void sampledFromFile_missingUser_fails() {
    assertThatThrownBy(() -> TestSet.sampled(TRAIN, SPLIT.holdout(), Map.of(), "file", 7))
        .hasMessage("negatives: none for user 'u0', who has a held-out item ('i9')");
  }

  @Test
  void limit_keepsASeededSubsetInUserOrder() {
    TestSet set = TestSet.fullRanking(TRAIN, SPLIT.holdout());

    TestSet one = set.limit(1, 3);

    assertThat(one.cases()).hasSize(1);
    assertThat(set.limit(5, 3)).isSameAs(set);
    assertThat(set.limit(1, 3)).isEqualTo(one);
  }

  @Test
  void holdoutWithTwoRowsForAUser_fails() {
    Interactions twice = Interactions.of(3, new int[] {0, 0}, new int[] {50, 51}, new float[2], new long[] {1, 2});

    assertThatThrownBy(() -> TestSet.fullRanking(TRAIN, twice))
        .hasMessageContaining("user 'u0' has more than one held-out interaction");
  }
}
