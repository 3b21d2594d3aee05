package dev.recsuite.recall;

import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import java.util.Locale;

/**
 * Times {@link CoOccurrenceBuilder#build} on synthetic data of MovieLens 1M's shape; a main
 * program, not a test (the build does not run it). Arguments, all optional: users items
 * meanEventsPerUser threads. Defaults: 6,040 users, 3,706 items, 165.6 events per user (1,000,224
 * interactions, long-tailed per user, at least 20), 2 threads.
 */
public final class CoOccurrenceBenchmark {

  private CoOccurrenceBenchmark() {}

  public static void main(String[] args) {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 6_040;
    int items = args.length > 1 ? Integer.parseInt(args[1]) : 3_706;
    double mean = args.length > 2 ? Double.parseDouble(args[2]) : 165.6;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Dataset data = SyntheticData.generate(SyntheticSpec.defaults().withSize(users, items, mean));
    Interactions interactions = data.interactions();
    int longest = 0;
    for (int u = 0; u < interactions.userCount(); u++) {
      longest = Math.max(longest, interactions.countOf(u));
    }
    System.out.printf(
        Locale.ROOT,
        "%,d users, %,d items, %,d interactions (longest history %,d)%n",
        users, items, interactions.size(), longest);
    CoOccurrenceParameters parameters = CoOccurrenceParameters.defaults().withThreads(threads);
    ItemNeighbours first = null;
    for (int run = 1; run <= 3; run++) {
      long start = System.nanoTime();
      ItemNeighbours table = CoOccurrenceBuilder.build(interactions, items, parameters);
      System.out.printf(
          Locale.ROOT,
          "run %d (%s JVM): %,d neighbours in %.2f s on %d threads%n",
          run, run == 1 ? "cold" : "warm", table.getNeighboursCount(), (System.nanoTime() - start) / 1e9, threads);
      first = first == null ? table : first;
    }
    long start = System.nanoTime();
    ItemNeighbours single = CoOccurrenceBuilder.build(interactions, items, parameters.withThreads(1));
    System.out.printf(
        Locale.ROOT,
        "1 thread: %.2f s; identical to %d threads: %s%n",
        (System.nanoTime() - start) / 1e9, threads, single.equals(first));
  }
}
