package dev.recsuite.recall.cf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.AlsParameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlsTrainerTest {

  @Test
  void loss_equalsTheObjectiveSummedOverEveryPair() {
    int users = 7;
    int items = 9;
    int k = 3;
    double lambda = 0.7;
    SplittableRandom random = new SplittableRandom(8L);
    float[] x = new float[users * k];
    float[] y = new float[items * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextGaussian();
    }
    int[] eventUsers = {0, 0, 0, 2, 3, 3, 6, 6, 6, 6};
    int[] eventItems = {1, 5, 1, 0, 8, 2, 3, 4, 5, 3};
    Interactions interactions =
        Interactions.of(users, eventUsers, eventItems, new float[10], new long[10]);
    AlsParameters parameters = AlsParameters.defaults().withAlpha(3).withRegularization(lambda);
    FeedbackMatrix byUser = FeedbackMatrix.ofUsers(interactions, items, parameters);
    double[] counts = new double[users * items];
    for (int e = 0; e < eventUsers.length; e++) {
      counts[eventUsers[e] * items + eventItems[e]]++;
    }
    double expected = 0;
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < items; i++) {
        double s = 0;
        for (int f = 0; f < k; f++) {
          s += (double) x[u * k + f] * y[i * k + f];
        }
        double n = counts[u * items + i];
        double c = n > 0 ? parameters.confidence(n) : 1;
        double p = n > 0 ? 1 : 0;
        expected += c * (p - s) * (p - s);
      }
    }
    for (float v : x) {
      expected += lambda * v * v;
    }
    for (float v : y) {
      expected += lambda * v * v;
    }

    double loss =
        AlsTrainer.loss(
            Workers.sequential(),
            x,
            y,
            Gram.compute(x, k, Workers.sequential()),
            Gram.compute(y, k, Workers.sequential()),
            byUser,
            k,
            lambda);

    assertThat(loss).isCloseTo(expected, within(1e-4 * expected));
  }
}
