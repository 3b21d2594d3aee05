package dev.recsuite.recall;

import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_COLLABORATIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.ImplicitAls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact fold-in against a really trained model: seeded planted data (users and items in 6
 * taste clusters, 24 events per user), implicit ALS with 16 factors.
 */
class RecallEngineFoldInTest {

  private static final int USERS = 240;
  private static final int ITEMS = 180;
  private static final int CLUSTERS = 6;
  private static final int EVENTS = 24;
  private static final int TOP = 20;

  @TempDir static Path dir;

  private static Dataset train;
  private static RecallEngine engine;

  @BeforeAll
  static void trainAndOpen() throws IOException {
    train = planted(new SplittableRandom(17L));
    AlsParameters als = AlsParameters.defaults().withFactors(16).withThreads(1).withSeed(3L);
    dev.recsuite.recall.cf.FactorModel model = ImplicitAls.train(train.interactions(), ITEMS, als);
    FactorModel.Builder cf =
        FactorModel.newBuilder()
            .setFactors(model.factors())
            .setRegularization((float) als.regularization())
            .setAlpha((float) als.alpha());
    for (float value : model.itemFactors()) {
      cf.addItemFactors(value);
    }
    for (float value : model.userFactors()) {
      cf.addUserFactors(value);
    }
    ItemIndexBuilder.write(train, cf.build(), dir.resolve("index"));
    // Every event folded in, so a fold-in of the whole history is what training solved for.
    RecallSettings settings = RecallSettings.defaults().withQuotas(TOP, 0, 0, 0, 0).withFoldInItems(1_000);
    engine =
        RecallEngine.create(
            train, cf.build(), ItemNeighbours.getDefaultInstance(), dir.resolve("index"), "planted", settings);
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static Dataset planted(SplittableRandom random) {
    DatasetBuilder builder = new DatasetBuilder();
    for (int i = 0; i < ITEMS; i++) {
      builder.addItem(new Item("i" + i, "Item " + i, List.of("G" + i % CLUSTERS), 0, List.of()));
    }
    int perCluster = ITEMS / CLUSTERS;
    for (int u = 0; u < USERS; u++) {
      builder.addUser(new User("u" + u, Map.of()));
      Set<Integer> used = new HashSet<>();
      for (int e = 0; e < EVENTS; e++) {
        int item;
        do {
          if (random.nextDouble() < 0.15) {
            item = random.nextInt(ITEMS);
          } else {
            double r = random.nextDouble();
            item = (int) (perCluster * r * r) * CLUSTERS + u % CLUSTERS;
          }
        } while (!used.add(item));
        builder.addInteraction("u" + u, "i" + item, 1, e);
      }
    }
    return builder.build(new DataSourceInfo("synthetic", "planted", "fold-in test"));
  }

  private static List<String> collaborative(RecallResult result) {
    return result.candidates().stream()
        .filter(c -> c.sources().stream().anyMatch(h -> h.source() == RECALL_SOURCE_COLLABORATIVE))
        .map(RecallCandidate::itemId)
        .toList();
  }

  private static List<String> historyMostRecentFirst(int user) {
    Interactions interactions = train.interactions();
    List<String> ids = new ArrayList<>();
    for (int i = interactions.end(user) - 1; i >= interactions.start(user); i--) {
      ids.add(train.itemIds().id(interactions.item(i)));
    }
    return ids;
  }

  @Test
  void recall_foldInOfAKnownUsersHistory_overlapsStronglyWithTheTrainedVectorsCandidates() {
    int overlap = 0;
    int total = 0;
    for (int user = 0; user < USERS; user += 4) {
      String userId = train.userIds().id(user);
      RecallResult trained = engine.recall(RecallQuery.forUser(userId, 100));
      // An unknown user naming the same history as recent items: the same items are blocked, and
      // the vector is the exact fold-in instead of the trained one.
      RecallResult folded =
          engine.recall(RecallQuery.forUser("visitor-" + userId, 100).withRecentItemIds(historyMostRecentFirst(user)));

      List<String> fromTrained = collaborative(trained);
      List<String> fromFold = collaborative(folded);
      assertThat(fromTrained).hasSize(TOP);
      assertThat(fromFold).hasSize(TOP);
      Set<String> common = new HashSet<>(fromTrained);
      common.retainAll(fromFold);
      overlap += common.size();
      total += TOP;
    }
    assertThat((double) overlap / total).isGreaterThan(0.9);
  }

  @Test
  void recall_foldInOfAFewClusterItems_proposesThatClustersItems() {
    // A visitor who used 6 items of cluster 2.
    List<String> recent = new ArrayList<>();
    for (int j = 0; j < 6; j++) {
      recent.add("i" + (2 + CLUSTERS * j));
    }

    RecallResult result = engine.recall(RecallQuery.forUser("visitor", 100).withRecentItemIds(recent));

    List<String> candidates = collaborative(result);
    assertThat(candidates).hasSize(TOP);
    long inCluster =
        candidates.stream().filter(id -> Integer.parseInt(id.substring(1)) % CLUSTERS == 2).count();
    assertThat(inCluster).isGreaterThanOrEqualTo(TOP - 2);
  }
}
