package dev.recsuite.recall;

import dev.recsuite.bundle.v1.DirectoryUser;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times {@link RecallEngine#recall} for every user of a bundle, in process, on one thread: the
 * whole engine with the default quotas, then each source alone at its default quota. A main
 * program, not a test (the build does not run it). Argument: a bundle root (its newest bundle is
 * used), e.g. one trained by {@code ./recsuite train --data ../shared/data/ml-100k --out DIR}.
 * Prints the thread's CPU time per user, the median of 8 rounds after 4 warm-up rounds.
 */
public final class RecallEngineBenchmark {

  private static final int WARM_UP_ROUNDS = 4;
  private static final int ROUNDS = 8;

  private RecallEngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RecallEngineBenchmark BUNDLE_ROOT");
      System.exit(2);
    }
    Bundle bundle = new BundleRepository(Path.of(args[0])).openLatest();
    RecallSettings defaults = RecallSettings.defaults();
    List<String> users =
        bundle.read(BundleFiles.USERS, UserDirectory.parser()).getUsersList().stream().map(DirectoryUser::getId).toList();
    System.out.printf(Locale.ROOT, "bundle %s, %d users, CPU µs per user (median of %d rounds)%n", bundle.version(), users.size(), ROUNDS);
    time("all sources", bundle, defaults, users);
    time("collaborative", bundle, defaults.withQuotas(defaults.collaborativeQuota(), 0, 0, 0, 0), users);
    time("content", bundle, defaults.withQuotas(0, defaults.contentQuota(), 0, 0, 0), users);
    time("co-occurrence", bundle, defaults.withQuotas(0, 0, 0, 0, defaults.coOccurrenceQuota()), users);
  }

  private static void time(String name, Bundle bundle, RecallSettings settings, List<String> users)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] perUser = new double[ROUNDS];
    try (RecallEngine engine = RecallEngine.open(bundle, settings)) {
      for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
        long started = threads.getCurrentThreadCpuTime();
        for (String user : users) {
          engine.recall(RecallQuery.forUser(user, 500));
        }
        if (round >= WARM_UP_ROUNDS) {
          perUser[round - WARM_UP_ROUNDS] = (threads.getCurrentThreadCpuTime() - started) / 1e3 / users.size();
        }
      }
    }
    Arrays.sort(perUser);
    System.out.printf(Locale.ROOT, "%-14s %8.1f µs%n", name, (perUser[ROUNDS / 2 - 1] + perUser[ROUNDS / 2]) / 2);
  }
}
