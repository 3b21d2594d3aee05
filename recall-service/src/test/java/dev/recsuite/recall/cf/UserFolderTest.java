package dev.recsuite.recall.cf;

import static dev.recsuite.recall.cf.ImplicitAlsTest.seen;
import static dev.recsuite.recall.cf.ImplicitAlsTest.topUnseen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UserFolderTest {

  private static final AlsParameters PARAMETERS =
      AlsParameters.defaults().withFactors(16).withIterations(15).withThreads(2).withSeed(9L);

  private static PlantedInteractions data;
  private static FactorModel model;
  private static UserFolder folder;

  @BeforeAll
  static void train() {
    data = PlantedInteractions.generate(400, 300, 6, 20, 0.1, 31L);
    model = ImplicitAls.train(data.interactions(), data.itemCount(), PARAMETERS);
    folder = UserFolder.of(model, PARAMETERS);
  }

  @Test
  void foldIn_trainedUsersHistory_isCloseToTheTrainedVector() {
    double worst = 1;
    for (int u = 0; u < 400; u += 7) {
      float[] folded = folder.foldIn(data.itemsByUser()[u]);

      worst = Math.min(worst, cosine(folded, model.userVector(u)));
    }
    assertThat(worst).isGreaterThan(0.9);
  }

  @Test
  void foldIn_history_ranksTheUsersClusterFirst() {
    // A new visitor who has used 8 items of cluster 2.
    int[] history = new int[8];
    for (int j = 0; j < 8; j++) {
      history[j] = 2 + data.clusters() * j;
    }
    boolean[] seen = new boolean[data.itemCount()];
    for (int item : history) {
      seen[item] = true;
    }

    float[] visitor = folder.foldIn(history);

    int[] top = topUnseen(model, visitor, seen, 20);
    assertThat(Arrays.stream(top).map(data::clusterOfItem)).containsOnly(2);
  }

  @Test
  void foldIn_trainedUser_recommendsWhatTheTrainedVectorRecommends() {
    boolean[][] seen = seen(data.interactions(), data.itemCount());
    int overlap = 0;
    for (int u = 0; u < 50; u++) {
      int[] fromModel = topUnseen(model, u, seen[u], 10);
      int[] fromFold = topUnseen(model, folder.foldIn(data.itemsByUser()[u]), seen[u], 10);
      for (int a : fromModel) {
        for (int b : fromFold) {
          overlap += a == b ? 1 : 0;
        }
      }
    }
    assertThat(overlap).isGreaterThanOrEqualTo(400); // of 500
  }

  @Test
  void foldIn_solvesTheNormalEquationsExactly() {
    // Reference: the dense system over all items, c = 1 for unobserved ones, by Gauss-Jordan.
    int k = PARAMETERS.factors();
    int[] items = {5, 17, 42, 42, 99};
    float[] weights = {1, 2, 0.5f, 1.5f, 3};
    double[] counts = new double[data.itemCount()];
    for (int j = 0; j < items.length; j++) {
      counts[items[j]] += weights[j];
    }
    double[][] system = new double[k][k + 1];
    for (int i = 0; i < data.itemCount(); i++) {
      boolean observed = counts[i] > 0;
      double c = observed ? PARAMETERS.confidence(counts[i]) : 1;
      float[] y = model.itemVector(i);
      for (int r = 0; r < k; r++) {
        for (int s = 0; s < k; s++) {
          system[r][s] += c * y[r] * y[s];
        }
        system[r][k] += observed ? c * y[r] : 0;
      }
    }
    for (int r = 0; r < k; r++) {
      system[r][r] += PARAMETERS.regularization();
    }
    double[] expected = gaussJordan(system);

    float[] folded = folder.foldIn(items, weights);

    for (int r = 0; r < k; r++) {
      assertThat((double) folded[r]).isCloseTo(expected[r], within(1e-4));
    }
  }

  @Test
  void foldIn_repeatedItem_equalsOneItemWithTheSummedWeight() {
    float[] repeated = folder.foldIn(new int[] {3, 8, 3, 3}, new float[] {1, 1, 1, 1});
    float[] summed = folder.foldIn(new int[] {8, 3}, new float[] {1, 3});

    assertThat(repeated).containsExactly(summed);
  }

  @Test
  void foldIn_noItems_returnsTheZeroVector() {
    assertThat(folder.foldIn(new int[0])).hasSize(16).containsOnly(0f);
  }

  @Test
  void foldIn_concurrentCalls_agreeWithSequentialOnes() throws Exception {
    SplittableRandom random = new SplittableRandom(1L);
    int[][] histories = new int[64][];
    float[][] expected = new float[64][];
    for (int h = 0; h < histories.length; h++) {
      histories[h] = random.ints(20, 0, data.itemCount()).toArray();
      expected[h] = folder.foldIn(histories[h]);
    }

    float[][] actual = new float[64][];
    try (ExecutorService pool =
        Executors.newFixedThreadPool(4, Thread.ofPlatform().name("fold-test-", 0).factory())) {
      List<Future<?>> futures = new ArrayList<>();
      for (int h = 0; h < histories.length; h++) {
        int index = h;
        futures.add(pool.submit(() -> actual[index] = folder.foldIn(histories[index])));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }

    for (int h = 0; h < histories.length; h++) {
      assertThat(actual[h]).containsExactly(expected[h]);
    }
  }

  @Test
  void foldIn_itemOutOfRange_failsNamingTheId() {
    assertThatThrownBy(() -> folder.foldIn(new int[] {1, 300}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("items: id 300 (expected: in [0, 300))");
  }

  @Test
  void foldIn_negativeWeight_failsNamingTheWeightAndItem() {
    assertThatThrownBy(() -> folder.foldIn(new int[] {1, 2}, new float[] {1, -2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights: -2.0 for item 2 (expected: finite and >= 0)");
  }

  @Test
  void foldIn_weightsOfAnotherLength_failsNamingBothLengths() {
    assertThatThrownBy(() -> folder.foldIn(new int[] {1, 2}, new float[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights: length 1 (expected: items' length 2)");
  }

  @Test
  void of_parametersWithOtherFactorCount_failsNamingBoth() {
    assertThatThrownBy(() -> UserFolder.of(model, PARAMETERS.withFactors(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameters.factors: 32 (expected: the model's 16)");
  }

  @Test
  void of_itemFactorsNotAMultipleOfFactors_failsNamingTheLength() {
    assertThatThrownBy(() -> UserFolder.of(new float[33], PARAMETERS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("itemFactors: length 33 (expected: a multiple of factors 16)");
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static double[] gaussJordan(double[][] m) {
    int n = m.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = m[col];
      m[col] = m[pivot];
      m[pivot] = swap;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int c = col; c <= n; c++) {
            m[r][c] -= f * m[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int r = 0; r < n; r++) {
      x[r] = m[r][n] / m[r][r];
    }
    return x;
  }
}
