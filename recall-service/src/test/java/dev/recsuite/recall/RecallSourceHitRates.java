package dev.recsuite.recall;

import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.split.LeaveLastOut;
import dev.recsuite.core.split.TrainTestSplit;
import dev.recsuite.datasets.Datasets;
import dev.recsuite.recall.cf.AlsParameters;
import dev.recsuite.recall.cf.ImplicitAls;
import dev.recsuite.recall.cf.UserFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hit rates of each recall source for every MovieLens 100K user's last interaction; a main program,
 * not a test (the build does not run it). The data is split leave-last-out, ALS and the
 * co-occurrence neighbours are trained on the rest, and the engine answers each user as the
 * service would; a source "hits" at k when the held-out item is among its first k candidates.
 *
 * <p>Argument, optional: the MovieLens 100K directory (default {@code ../shared/data/ml-100k}).
 * Run from the repository root after {@code ./mvnw -o test-compile -pl recall-service}:
 *
 * <pre>
 * ./mvnw -B -ntp -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test -pl recall-service
 * java --add-modules jdk.incubator.vector -cp recall-service/target/test-classes:recall-service/target/classes:$(cat /tmp/cp.txt) \
 *     dev.recsuite.recall.RecallSourceHitRates ../shared/data/ml-100k
 * </pre>
 */
public final class RecallSourceHitRates {

  private static final int[] CUTS = {10, 50, 100, 200, 300};
  private static final PrintStream out = System.out;

  private final Dataset train;
  private final Interactions holdout;
  private final FactorModel cf;
  private final Path index;

  private RecallSourceHitRates(Dataset train, Interactions holdout, FactorModel cf, Path index) {
    this.train = train;
    this.holdout = holdout;
    this.cf = cf;
    this.index = index;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
    Dataset all = Datasets.load(dir);
    TrainTestSplit split = new LeaveLastOut(2).split(all.interactions());
    Dataset train = all.withInteractions(split.train());
    out.printf(
        Locale.ROOT,
        "%s: %d users, %d items, %d training interactions, %d held out%n",
        dir, train.users().size(), train.items().size(), train.interactions().size(), split.holdout().size());
    AlsParameters als = AlsParameters.defaults().withThreads(2);
    long t0 = System.nanoTime();
    dev.recsuite.recall.cf.FactorModel model =
        ImplicitAls.train(train.interactions(), train.items().size(), als);
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
    out.printf(Locale.ROOT, "ALS %s in %.1f s%n", model, (System.nanoTime() - t0) / 1e9);
    Path index = Files.createTempDirectory("recall-hit-rates");
    ItemIndexBuilder.write(train, cf.build(), index);
    new RecallSourceHitRates(train, split.holdout(), cf.build(), index).run();
  }

  private void run() throws IOException {
    RecallSettings defaults = RecallSettings.defaults();

    out.println("\n== CO_OCCURRENCE alone: shrinkage λ (50 neighbours, 200 items per user, 20 seeds)");
    for (double lambda : new double[] {0, 1, 2, 5, 10, 20, 50}) {
      CoOccurrenceParameters parameters = CoOccurrenceParameters.defaults().withShrinkage(lambda).withThreads(2);
      report("λ=" + lambda, neighbours(parameters), defaults, RecallSource.RECALL_SOURCE_CO_OCCURRENCE, false);
    }
    CoOccurrenceParameters chosen = CoOccurrenceParameters.defaults().withThreads(2);
    out.println("\n== CO_OCCURRENCE alone: neighbours per item (default λ)");
    for (int k : new int[] {20, 50, 100}) {
      report("neighbours=" + k, neighbours(chosen.withMaxNeighbours(k)), defaults,
          RecallSource.RECALL_SOURCE_CO_OCCURRENCE, false);
    }
    out.println("\n== CO_OCCURRENCE alone: items per user in the pair counts x shrinkage");
    for (int cap : new int[] {20, 50, 100, 200, 100_000}) {
      for (double lambda : new double[] {0, 1, 2}) {
        report("cap=" + cap + " λ=" + lambda, neighbours(chosen.withMaxItemsPerUser(cap).withShrinkage(lambda)),
            defaults, RecallSource.RECALL_SOURCE_CO_OCCURRENCE, false);
      }
    }
    ItemNeighbours table = neighbours(chosen);
    out.println("\n== CO_OCCURRENCE alone: seeds (recent items), default table");
    for (int seeds : new int[] {1, 5, 10, 20, 50}) {
      report("seeds=" + seeds, table, defaults.withCoOccurrenceRecentItems(seeds),
          RecallSource.RECALL_SOURCE_CO_OCCURRENCE, false);
    }

    out.println("\n== COLLABORATIVE: trained vector vs fold-in of the history as request recent items");
    report("trained vector", table, defaults, RecallSource.RECALL_SOURCE_COLLABORATIVE, false);
    for (int n : new int[] {20, 50, 200, 500}) {
      report("exact fold-in, last " + n, table, defaults.withFoldInItems(n),
          RecallSource.RECALL_SOURCE_COLLABORATIVE, true);
    }
    out.println("\n== COLLABORATIVE by brute force (exact ranking of every unseen item, no HNSW)");
    bruteForce("trained vector", 0, false);
    for (int n : new int[] {10, 20, 50, 500}) {
      bruteForce("exact fold-in, last " + n, n, false);
    }
    for (int n : new int[] {10, 20, 50}) {
      bruteForce("mean of last " + n + " (old)", n, true);
    }

    out.println("\n== Every source at the defaults (known users, no request recent items)");
    allSources(table, defaults);
  }

  private ItemNeighbours neighbours(CoOccurrenceParameters parameters) {
    long t0 = System.nanoTime();
    ItemNeighbours table = CoOccurrenceBuilder.build(train.interactions(), train.items().size(), parameters);
    out.printf(Locale.ROOT, "  (built %s, %d neighbours, in %d ms)%n",
        table.getSimilarity(), table.getNeighboursCount(), (System.nanoTime() - t0) / 1_000_000);
    return table;
  }

  /**
   * Hit rates of {@code source}; with {@code asNewcomer}, each user is asked as an unknown user
   * whose request names their whole training history (most recent first) as recent items.
   */
  private void report(
      String label, ItemNeighbours table, RecallSettings settings, RecallSource source, boolean asNewcomer)
      throws IOException {
    int[] hits = new int[CUTS.length];
    int users = 0;
    long nanos = 0;
    try (RecallEngine engine = RecallEngine.create(train, cf, table, index, "hit-rates", settings)) {
      for (int row = 0; row < holdout.size(); row++) {
        int user = holdout.user(row);
        String userId = train.userIds().id(user);
        RecallQuery query = RecallQuery.forUser(userId, settings.totalQuota());
        if (asNewcomer) {
          query = RecallQuery.forUser("newcomer-" + userId, settings.totalQuota()).withRecentItemIds(history(user));
        }
        long t0 = System.nanoTime();
        RecallResult result = engine.recall(query);
        nanos += System.nanoTime() - t0;
        int rank = rankIn(result, source, holdout.item(row));
        count(hits, rank);
        users++;
      }
    }
    print(label, hits, users, nanos);
  }

  private List<String> history(int user) {
    Interactions interactions = train.interactions();
    List<String> ids = new ArrayList<>();
    for (int i = interactions.end(user) - 1; i >= interactions.start(user); i--) {
      ids.add(train.itemIds().id(interactions.item(i)));
    }
    return ids;
  }

  private static int rankIn(RecallResult result, RecallSource source, int item) {
    for (RecallCandidate candidate : result.candidates()) {
      if (candidate.item() == item) {
        for (SourceHit hit : candidate.sources()) {
          if (hit.source() == source) {
            return hit.rank();
          }
        }
        return -1;
      }
    }
    return -1;
  }

  private static void count(int[] hits, int rank) {
    for (int c = 0; c < CUTS.length; c++) {
      if (rank >= 0 && rank < CUTS[c]) {
        hits[c]++;
      }
    }
  }

  private static void print(String label, int[] hits, int users, long nanos) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-28s", label));
    for (int c = 0; c < CUTS.length; c++) {
      line.append(String.format(Locale.ROOT, "  HR@%-3d %5.1f%%", CUTS[c], 100.0 * hits[c] / users));
    }
    if (nanos > 0) {
      line.append(String.format(Locale.ROOT, "   %5.0f µs/request", nanos / 1e3 / users));
    }
    out.println(line);
  }

  /**
   * COLLABORATIVE ranks by brute force for: the trained vector ({@code n == 0}), the exact fold-in
   * of the last n distinct items, or ({@code mean}) their mean vector, the previous fold-in.
   */
  private void bruteForce(String label, int n, boolean mean) {
    int k = cf.getFactors();
    int items = train.items().size();
    float[] itemFactors = new float[cf.getItemFactorsCount()];
    for (int i = 0; i < itemFactors.length; i++) {
      itemFactors[i] = cf.getItemFactors(i);
    }
    UserFolder folder =
        UserFolder.of(
            itemFactors,
            AlsParameters.defaults().withFactors(k).withRegularization(cf.getRegularization()).withAlpha(cf.getAlpha()));
    int[] hits = new int[CUTS.length];
    Interactions interactions = train.interactions();
    for (int row = 0; row < holdout.size(); row++) {
      int user = holdout.user(row);
      boolean[] seen = new boolean[items];
      int[] last = new int[n];
      int used = 0;
      for (int i = interactions.end(user) - 1; i >= interactions.start(user); i--) {
        int item = interactions.item(i);
        if (!seen[item] && used < n) {
          last[used++] = item;
        }
        seen[item] = true;
      }
      float[] vector;
      if (n == 0) {
        vector = new float[k];
        for (int f = 0; f < k; f++) {
          vector[f] = cf.getUserFactors(user * k + f);
        }
      } else if (mean) {
        vector = new float[k];
        for (int j = 0; j < used; j++) {
          for (int f = 0; f < k; f++) {
            vector[f] += itemFactors[last[j] * k + f] / used;
          }
        }
      } else {
        vector = folder.foldIn(Arrays.copyOf(last, used));
      }
      double target = dot(vector, holdout.item(row), k);
      int rank = 0;
      for (int item = 0; item < items; item++) {
        if (!seen[item] && item != holdout.item(row) && dot(vector, item, k) > target) {
          rank++;
        }
      }
      count(hits, rank);
    }
    print(label, hits, holdout.size(), 0);
  }

  private double dot(float[] vector, int item, int k) {
    double sum = 0;
    for (int f = 0; f < k; f++) {
      sum += (double) vector[f] * cf.getItemFactors(item * k + f);
    }
    return sum;
  }

  private void allSources(ItemNeighbours table, RecallSettings settings) throws IOException {
    Map<RecallSource, int[]> hits = new EnumMap<>(RecallSource.class);
    int[] merged = new int[CUTS.length];
    List<RecallSource> sources =
        List.of(
            RecallSource.RECALL_SOURCE_COLLABORATIVE,
            RecallSource.RECALL_SOURCE_CONTENT,
            RecallSource.RECALL_SOURCE_POPULAR,
            RecallSource.RECALL_SOURCE_CO_OCCURRENCE);
    sources.forEach(s -> hits.put(s, new int[CUTS.length]));
    int[] mergedWithout = new int[CUTS.length];
    try (RecallEngine engine = RecallEngine.create(train, cf, table, index, "hit-rates", settings);
        RecallEngine without =
            RecallEngine.create(train, cf, ItemNeighbours.getDefaultInstance(), index, "hit-rates", settings)) {
      for (int row = 0; row < holdout.size(); row++) {
        String userId = train.userIds().id(holdout.user(row));
        int item = holdout.item(row);
        RecallResult result = engine.recall(RecallQuery.forUser(userId, settings.totalQuota()));
        for (RecallSource source : sources) {
          count(hits.get(source), rankIn(result, source, item));
        }
        count(merged, position(result, item));
        count(mergedWithout, position(without.recall(RecallQuery.forUser(userId, settings.totalQuota())), item));
      }
    }
    for (RecallSource source : sources) {
      print(source.name().substring("RECALL_SOURCE_".length()), hits.get(source), holdout.size(), 0);
    }
    print("merged (RRF), all sources", merged, holdout.size(), 0);
    print("merged without CO_OCCURRENCE", mergedWithout, holdout.size(), 0);
  }

  private static int position(RecallResult result, int item) {
    for (int i = 0; i < result.candidates().size(); i++) {
      if (result.candidates().get(i).item() == item) {
        return i;
      }
    }
    return -1;
  }
}
