package dev.recsuite.recall.cf;

import dev.recsuite.core.data.Interactions;
import java.util.SplittableRandom;

/**
 * Seeded synthetic implicit feedback with planted low-rank structure: user u and item i belong to
 * cluster {@code u % clusters} and {@code i % clusters}; each event picks, with probability
 * {@code 1 - noise}, an item of the user's cluster (popularity skewed towards low in-cluster ranks)
 * and otherwise any item. A user's items are distinct; event j of a user has timestamp j.
 */
record PlantedInteractions(
    Interactions interactions, int itemCount, int clusters, int[][] itemsByUser) {

  static PlantedInteractions generate(
      int users, int items, int clusters, int eventsPerUser, double noise, long seed) {
    if (eventsPerUser > items / clusters / 2) {
      throw new IllegalArgumentException(
          "eventsPerUser: " + eventsPerUser + " (expected: <= half a cluster's items)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int perCluster = items / clusters;
    int n = users * eventsPerUser;
    int[] userColumn = new int[n];
    int[] itemColumn = new int[n];
    long[] times = new long[n];
    int[][] itemsByUser = new int[users][eventsPerUser];
    boolean[] seen = new boolean[items];
    int e = 0;
    for (int u = 0; u < users; u++) {
      int cluster = u % clusters;
      for (int j = 0; j < eventsPerUser; j++) {
        int item;
        do {
          if (random.nextDouble() < noise) {
            item = random.nextInt(items);
          } else {
            double r = random.nextDouble();
            int rank = (int) (perCluster * r * r); // density ~ 1/sqrt(rank): a popularity skew
            item = rank * clusters + cluster;
          }
        } while (seen[item]);
        seen[item] = true;
        itemsByUser[u][j] = item;
        userColumn[e] = u;
        itemColumn[e] = item;
        times[e] = j;
        e++;
      }
      for (int item : itemsByUser[u]) {
        seen[item] = false;
      }
    }
    return new PlantedInteractions(
        Interactions.of(users, userColumn, itemColumn, new float[n], times),
        items,
        clusters,
        itemsByUser);
  }

  int clusterOfUser(int user) {
    return user % clusters;
  }

  int clusterOfItem(int item) {
    return item % clusters;
  }
}
