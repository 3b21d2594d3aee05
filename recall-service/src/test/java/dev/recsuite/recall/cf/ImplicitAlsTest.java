package dev.recsuite.recall.cf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.recsuite.core.data.Interactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ImplicitAlsTest {

  private static final AlsParameters SMALL =
      AlsParameters.defaults().withFactors(8).withIterations(10).withThreads(1).withSeed(3L);

  @Test
  void train_lossFallsAcrossIterations() {
    PlantedInteractions data = PlantedInteractions.generate(300, 200, 4, 15, 0.1, 11L);
    List<Double> losses = new ArrayList<>();
    List<Integer> iterations = new ArrayList<>();
    List<Duration> elapsed = new ArrayList<>();

    ImplicitAls.train(
        data.interactions(),
        data.itemCount(),
        SMALL,
        (iteration, time, loss) -> {
          iterations.add(iteration);
          elapsed.add(time);
          losses.add(loss);
        });

    assertThat(iterations).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(elapsed).isSorted();
    // Most of the objective is the irreducible misfit of 15 random picks per user (measured: the
    // loss goes from 8,704 to 5,962 here), so a factor of 1.3 is already a clear fall.
    assertThat(losses.getFirst()).isGreaterThan(1.3 * losses.getLast());
    for (int i = 1; i < losses.size(); i++) {
      // Each CG step lowers its row's quadratic, so every sweep lowers the objective.
      assertThat(losses.get(i)).isLessThan(losses.get(i - 1));
    }
  }

  @Test
  void train_twoDisjointGroups_ranksUnseenItemsOfTheUsersGroupFirst() {
    // Users 0-19 use only items 0-19, users 20-39 only items 20-39, each about a third of them, so
    // every user has more than 5 unseen items in their group.
    SplittableRandom random = new SplittableRandom(5L);
    List<int[]> events = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      int base = u < 20 ? 0 : 20;
      for (int i = base; i < base + 20; i++) {
        if (random.nextDouble() < 0.35) {
          events.add(new int[] {u, i});
        }
      }
    }
    Interactions interactions = interactionsOf(40, events);
    boolean[][] seen = seen(interactions, 40);

    FactorModel model = ImplicitAls.train(interactions, 40, SMALL);

    int fromOwnGroup = 0;
    int total = 0;
    for (int u = 0; u < 40; u++) {
      int base = u < 20 ? 0 : 20;
      for (int item : topUnseen(model, u, seen[u], 5)) {
        total++;
        if (item >= base && item < base + 20) {
          fromOwnGroup++;
        }
      }
    }
    assertThat(total).isEqualTo(200);
    assertThat(fromOwnGroup).isGreaterThanOrEqualTo(180);
  }

  @Test
  void train_plantedClusters_ranksHeldOutItemsFarAboveRandom() {
    PlantedInteractions data = PlantedInteractions.generate(600, 400, 8, 20, 0.2, 17L);
    int users = 600;
    // Hold out each user's last event.
    int[] heldOut = new int[users];
    List<int[]> training = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int[] items = data.itemsByUser()[u];
      heldOut[u] = items[items.length - 1];
      for (int j = 0; j < items.length - 1; j++) {
        training.add(new int[] {u, items[j]});
      }
    }
    Interactions train = interactionsOf(users, training);
    boolean[][] seen = seen(train, data.itemCount());

    FactorModel model =
        ImplicitAls.train(train, data.itemCount(), SMALL.withFactors(16).withIterations(15));

    // AUC: the share of unseen items the held-out item outscores; hit rate: held out in top 10.
    double aucSum = 0;
    int hits = 0;
    for (int u = 0; u < users; u++) {
      float target = model.score(u, heldOut[u]);
      int below = 0;
      int above = 0;
      for (int i = 0; i < data.itemCount(); i++) {
        if (!seen[u][i] && i != heldOut[u]) {
          if (model.score(u, i) < target) {
            below++;
          } else {
            above++;
          }
        }
      }
      aucSum += below / (double) (below + above);
      hits += above < 10 ? 1 : 0;
    }
    double auc = aucSum / users;
    double hitRate = hits / (double) users;
    double randomHitRate = 10.0 / (data.itemCount() - 19);
    // Random ranking: AUC 0.5, hit rate 2.6%. A fifth of the held-out items are noise picks
    // outside the user's cluster, which caps the AUC near 0.9.
    assertThat(auc).isGreaterThan(0.75);
    assertThat(hitRate).isGreaterThan(5 * randomHitRate);
  }

  @Test
  void train_sameSeed_givesIdenticalFactorsOnOneAndTwoThreads() {
    PlantedInteractions data = PlantedInteractions.generate(500, 300, 5, 20, 0.2, 23L);
    AlsParameters parameters = SMALL.withFactors(12).withIterations(4);

    FactorModel one = ImplicitAls.train(data.interactions(), 300, parameters.withThreads(1));
    FactorModel two = ImplicitAls.train(data.interactions(), 300, parameters.withThreads(2));
    FactorModel again = ImplicitAls.train(data.interactions(), 300, parameters.withThreads(2));
    FactorModel otherSeed =
        ImplicitAls.train(data.interactions(), 300, parameters.withThreads(2).withSeed(4L));

    assertThat(two.userFactors()).containsExactly(one.userFactors());
    assertThat(two.itemFactors()).containsExactly(one.itemFactors());
    assertThat(again).isEqualTo(two);
    assertThat(otherSeed.userFactors()).isNotEqualTo(one.userFactors());
  }

  @Test
  void train_runsOnNamedWorkersAndStopsThemBeforeReturning() {
    PlantedInteractions data = PlantedInteractions.generate(400, 200, 4, 20, 0.2, 29L);
    Set<String> workerNames = ConcurrentHashMap.newKeySet();

    ImplicitAls.train(
        data.interactions(),
        200,
        SMALL.withThreads(2).withIterations(2),
        (iteration, elapsed, loss) -> workerNames.addAll(alsThreadNames()));

    assertThat(workerNames).containsExactlyInAnyOrder("als-worker-0", "als-worker-1");
    // The pool has terminated; a thread may take a moment more to leave the live set.
    await().atMost(Duration.ofSeconds(10)).until(() -> alsThreadNames().isEmpty());
  }

  @Test
  void train_interruptedCaller_stopsWithCancellationAndKeepsTheFlag() {
    PlantedInteractions data = PlantedInteractions.generate(400, 200, 4, 20, 0.2, 29L);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> ImplicitAls.train(data.interactions(), 200, SMALL.withThreads(2)))
          .isInstanceOf(CancellationException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted(); // do not leak the flag into other tests
    }
  }

  @Test
  void train_userWithoutEvents_getsZeroVectorAndOthersDoNot() {
    List<int[]> events = List.of(new int[] {0, 1}, new int[] {0, 2}, new int[] {2, 1});
    Interactions interactions = interactionsOf(3, events);

    FactorModel model = ImplicitAls.train(interactions, 4, SMALL);

    assertThat(model.userCount()).isEqualTo(3);
    assertThat(model.itemCount()).isEqualTo(4);
    assertThat(model.userVector(1)).containsOnly(0f);
    assertThat(model.itemVector(3)).containsOnly(0f);
    assertThat(model.score(0, 1)).isGreaterThan(0.1f);
  }

  @Test
  void train_repeatedEvents_weighMoreThanASingleEvent() {
    // User 0 has item 0 five times and item 1 once; items are otherwise alike.
    List<int[]> events = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      events.add(new int[] {0, 0});
    }
    events.add(new int[] {0, 1});
    for (int u = 1; u < 6; u++) {
      events.add(new int[] {u, 0});
      events.add(new int[] {u, 1});
    }
    Interactions interactions = interactionsOf(6, events);

    FactorModel model = ImplicitAls.train(interactions, 2, SMALL.withFactors(2));

    assertThat(model.score(0, 0)).isGreaterThan(model.score(0, 1));
  }

  @Test
  void train_itemIdOutOfRange_failsNamingTheIdAndUser() {
    Interactions interactions = interactionsOf(2, List.of(new int[] {0, 1}, new int[] {1, 7}));

    assertThatThrownBy(() -> ImplicitAls.train(interactions, 5, SMALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interactions: item id 7 of user 1 (expected: in [0, 5))");
  }

  @Test
  void train_nonPositiveItemCount_failsNamingTheValue() {
    Interactions interactions = interactionsOf(1, List.of(new int[] {0, 0}));

    assertThatThrownBy(() -> ImplicitAls.train(interactions, 0, SMALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("itemCount: 0 (expected: > 0)");
  }

  @Test
  void gram_equalsTheSumOfOuterProducts() {
    float[] v = {1, 2, 3, -1, 0.5f, 4};

    double[] g = ImplicitAls.gram(v, 2);

    assertThat(g).containsExactly(1 + 9 + 0.25, 2 - 3 + 2, 2 - 3 + 2, 4 + 1 + 16);
  }

  static Interactions interactionsOf(int users, List<int[]> events) {
    int n = events.size();
    int[] userColumn = new int[n];
    int[] itemColumn = new int[n];
    long[] times = new long[n];
    for (int e = 0; e < n; e++) {
      userColumn[e] = events.get(e)[0];
      itemColumn[e] = events.get(e)[1];
      times[e] = e;
    }
    return Interactions.of(users, userColumn, itemColumn, new float[n], times);
  }

  static boolean[][] seen(Interactions interactions, int itemCount) {
    boolean[][] seen = new boolean[interactions.userCount()][itemCount];
    for (int e = 0; e < interactions.size(); e++) {
      seen[interactions.user(e)][interactions.item(e)] = true;
    }
    return seen;
  }

  /** The {@code n} highest-scored items not in {@code seen}, best first (ties by lower id). */
  static int[] topUnseen(FactorModel model, int user, boolean[] seen, int n) {
    return topUnseen(model, model.userVector(user), seen, n);
  }

  static int[] topUnseen(FactorModel model, float[] userVector, boolean[] seen, int n) {
    Integer[] items = new Integer[model.itemCount()];
    for (int i = 0; i < items.length; i++) {
      items[i] = i;
    }
    Arrays.sort(
        items,
        (a, b) -> Float.compare(model.score(userVector, b), model.score(userVector, a)));
    return Arrays.stream(items).filter(i -> !seen[i]).limit(n).mapToInt(i -> i).toArray();
  }

  private static List<String> alsThreadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith("als-worker-"))
        .toList();
  }
}
