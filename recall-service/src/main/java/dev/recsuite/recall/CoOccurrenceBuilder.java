package dev.recsuite.recall;

import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.recall.cf.internal.Workers;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the item-to-item neighbours of the CO_OCCURRENCE recall source ({@code
 * cooccurrence.pb}): for every item, the items most often used by the same users, most similar
 * first.
 *
 * <p>The similarity of items i and j is the cosine of their user columns in the binary user × item
 * matrix, shrunk towards 0 when few users support it:
 *
 * <pre>
 *   sim(i, j) = n(i,j) / sqrt(n(i) · n(j)) · n(i,j) / (n(i,j) + λ)
 * </pre>
 *
 * where {@code n(i,j)} counts the users who used both, {@code n(i)} the users who used i, and λ is
 * {@link CoOccurrenceParameters#shrinkage()}. Repeated events of a user with an item count once.
 * Only each user's {@link CoOccurrenceParameters#maxItemsPerUser() most recent distinct items}
 * (200 by default) take part, in the pair counts and in {@code n(i)} alike, so the similarity is
 * exactly the cosine over that capped matrix: a user with n items adds n² pairs, and the cap keeps
 * the cost at most {@code users × 200²} whatever the longest history. Ties are broken by the lower
 * dense id, so the result is deterministic and independent of the number of threads.
 *
 * <p>The offline trainer writes it into a bundle:
 *
 * <pre>{@code
 * ItemNeighbours neighbours = CoOccurrenceBuilder.build(train.interactions(), train.items().size(), 50);
 * writer.writeMessage(BundleFiles.CO_OCCURRENCE, neighbours);
 * }</pre>
 *
 * Cost: time proportional to the sum over users of (capped items)², memory two ints per capped
 * user-item pair plus two {@code int[items]} per thread and the result. Data of MovieLens 1M's
 * shape (6,040 users, 3,706 items, 1M events) takes 0.3 s on 2 cores in a cold JVM ({@code
 * CoOccurrenceBenchmark} in the tests). Stateless and thread-safe.
 */
public final class CoOccurrenceBuilder {

  /** The similarity name written for plain cosine ({@code shrinkage == 0}). */
  public static final String COSINE = "cosine";

  private static final Logger log = LoggerFactory.getLogger(CoOccurrenceBuilder.class);
  /** Items per block of work: small enough to balance heavy rows across threads. */
  private static final int GRAIN = 16;

  private CoOccurrenceBuilder() {}

  /**
   * The neighbours of every item with the {@link CoOccurrenceParameters#defaults() default}
   * parameters but {@code maxNeighbours}.
   *
   * @param interactions training interactions, sorted by user then time ({@link Interactions}
   *     keeps them so)
   * @param itemCount number of catalogue items; every item id must be below it
   * @param maxNeighbours most neighbours kept per item, 1 to {@value
   *     CoOccurrenceParameters#MAX_NEIGHBOURS}
   * @throws IllegalArgumentException if {@code maxNeighbours} or {@code itemCount} is out of range
   *     or an interaction names an item id outside {@code [0, itemCount)}
   * @throws NullPointerException if {@code interactions} is null
   */
  public static ItemNeighbours build(Interactions interactions, int itemCount, int maxNeighbours) {
    return build(
        interactions, itemCount, CoOccurrenceParameters.defaults().withMaxNeighbours(maxNeighbours));
  }

  /**
   * The neighbours of every item: {@code offsets} has {@code itemCount + 1} entries, row i lists
   * at most {@code parameters.maxNeighbours()} items j ≠ i with at least one common user, by
   * similarity (descending), then dense id (ascending). An item nobody used has an empty row.
   *
   * @throws IllegalArgumentException if {@code itemCount < 0} or an interaction names an item id
   *     outside {@code [0, itemCount)}
   * @throws NullPointerException if an argument is null
   */
  public static ItemNeighbours build(
      Interactions interactions, int itemCount, CoOccurrenceParameters parameters) {
    Objects.requireNonNull(interactions, "interactions");
    Objects.requireNonNull(parameters, "parameters");
    if (itemCount < 0) {
      throw new IllegalArgumentException("itemCount: " + itemCount + " (expected: >= 0)");
    }
    long started = System.nanoTime();
    UserLists lists = UserLists.of(interactions, itemCount, parameters.maxItemsPerUser());
    ItemLists columns = ItemLists.of(lists, itemCount);
    log.info(
        "co-occurrence: {} users, {} items, {} distinct user-item pairs (at most {} most recent items per user); {} pair counts to add",
        lists.users(),
        itemCount,
        lists.size(),
        parameters.maxItemsPerUser(),
        lists.pairCounts());

    int k = parameters.maxNeighbours();
    int[][] rowItems = new int[itemCount][];
    float[][] rowScores = new float[itemCount][];
    AtomicLong coOccurring = new AtomicLong();
    AtomicInteger done = new AtomicInteger();
    int step = Math.max(1, itemCount / 4);
    try (Workers workers =
        parameters.threads() == 1 || itemCount <= GRAIN
            ? Workers.sequential()
            : Workers.pool("cooccurrence-", parameters.threads())) {
      workers.forEachBlock(
          itemCount,
          GRAIN,
          () -> new RowScratch(itemCount, k),
          (scratch, from, to) -> {
            long pairs = 0;
            for (int item = from; item < to; item++) {
              pairs += scratch.computeRow(item, lists, columns, parameters.shrinkage());
              scratch.drainInto(item, rowItems, rowScores);
            }
            coOccurring.addAndGet(pairs);
            int before = done.getAndAdd(to - from);
            if ((before + to - from) / step > before / step && before + to - from < itemCount) {
              log.info(
                  "co-occurrence: {}/{} items in {} ms",
                  before + to - from,
                  itemCount,
                  millisSince(started));
            }
          });
    }

    ItemNeighbours.Builder out =
        ItemNeighbours.newBuilder()
            .setSimilarity(similarityName(parameters.shrinkage()))
            .setMaxNeighbours(k)
            .addOffsets(0);
    int kept = 0;
    for (int item = 0; item < itemCount; item++) {
      int[] items = rowItems[item];
      float[] scores = rowScores[item];
      for (int r = 0; r < items.length; r++) {
        out.addNeighbours(items[r]);
        out.addScores(scores[r]);
      }
      kept += items.length;
      out.addOffsets(kept);
    }
    ItemNeighbours result = out.build();
    log.info(
        "co-occurrence: {} items, {} co-occurring item pairs, {} neighbours kept (at most {} per item), {}, in {} ms",
        itemCount,
        coOccurring.get() / 2,
        kept,
        k,
        result.getSimilarity(),
        millisSince(started));
    return result;
  }

  /** The {@code similarity} field for {@code shrinkage}. */
  static String similarityName(double shrinkage) {
    return shrinkage == 0
        ? COSINE
        : String.format(Locale.ROOT, "%s shrunk by n/(n+%s)", COSINE, formatNumber(shrinkage));
  }

  private static String formatNumber(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static long millisSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }

  /** Each user's most recent distinct items (at most the cap), in compressed rows. */
  private record UserLists(int[] offsets, int[] items, long pairCounts) {

    static UserLists of(Interactions interactions, int itemCount, int cap) {
      int users = interactions.userCount();
      int[] offsets = new int[users + 1];
      int[] items = new int[interactions.size()];
      // stamp[item] == user + 1 marks an item already taken for this user; no clearing needed.
      int[] stamp = new int[itemCount];
      int size = 0;
      long pairCounts = 0;
      for (int user = 0; user < users; user++) {
        int from = size;
        for (int i = interactions.end(user) - 1; i >= interactions.start(user) && size - from < cap; i--) {
          int item = interactions.item(i);
          if (item < 0 || item >= itemCount) {
            throw new IllegalArgumentException(
                "interactions: item id %d at row %d (expected: in [0, %d), the item count)"
                    .formatted(item, i, itemCount));
          }
          if (stamp[item] != user + 1) {
            stamp[item] = user + 1;
            items[size++] = item;
          }
        }
        offsets[user + 1] = size;
        pairCounts += (long) (size - from) * (size - from);
      }
      return new UserLists(offsets, items, pairCounts);
    }

    int users() {
      return offsets.length - 1;
    }

    int size() {
      return offsets[offsets.length - 1];
    }
  }

  /** For each item, the users whose capped list holds it; {@code count(i)} is n(i). */
  private record ItemLists(int[] offsets, int[] users) {

    static ItemLists of(UserLists lists, int itemCount) {
      int[] offsets = new int[itemCount + 1];
      for (int p = 0; p < lists.size(); p++) {
        offsets[lists.items()[p] + 1]++;
      }
      for (int item = 0; item < itemCount; item++) {
        offsets[item + 1] += offsets[item];
      }
      int[] next = Arrays.copyOf(offsets, itemCount);
      int[] users = new int[lists.size()];
      for (int user = 0; user < lists.users(); user++) {
        for (int p = lists.offsets()[user]; p < lists.offsets()[user + 1]; p++) {
          users[next[lists.items()[p]]++] = user;
        }
      }
      return new ItemLists(offsets, users);
    }

    int count(int item) {
      return offsets[item + 1] - offsets[item];
    }
  }

  /**
   * One worker's buffers: co-occurrence counts by item (all zero between rows), the items touched
   * in the current row, and a bounded heap of the best neighbours.
   */
  private static final class RowScratch {
    private final int[] counts;
    private final int[] touched;
    private final int capacity;
    private final int[] heapItems;
    private final double[] heapScores;
    private int heapSize;

    RowScratch(int itemCount, int capacity) {
      this.counts = new int[itemCount];
      this.touched = new int[itemCount];
      this.capacity = capacity;
      this.heapItems = new int[capacity];
      this.heapScores = new double[capacity];
    }

    /**
     * Fills the heap with the best neighbours of {@code item}.
     *
     * @return the number of items co-occurring with {@code item}
     */
    long computeRow(int item, UserLists lists, ItemLists columns, double shrinkage) {
      int touchedCount = 0;
      int[] userOffsets = lists.offsets();
      int[] userItems = lists.items();
      for (int p = columns.offsets()[item]; p < columns.offsets()[item + 1]; p++) {
        int user = columns.users()[p];
        for (int q = userOffsets[user]; q < userOffsets[user + 1]; q++) {
          int other = userItems[q];
          if (counts[other]++ == 0) {
            touched[touchedCount++] = other;
          }
        }
      }
      heapSize = 0;
      double own = columns.count(item);
      long pairs = 0;
      for (int t = 0; t < touchedCount; t++) {
        int other = touched[t];
        int together = counts[other];
        counts[other] = 0;
        if (other == item) {
          continue;
        }
        pairs++;
        double similarity = together / Math.sqrt(own * columns.count(other));
        if (shrinkage > 0) {
          similarity *= together / (together + shrinkage);
        }
        offer(other, similarity);
      }
      return pairs;
    }

    /** Whether entry a ranks below entry b: lower score, or equal score and higher id. */
    private static boolean worse(double scoreA, int itemA, double scoreB, int itemB) {
      return scoreA < scoreB || (scoreA == scoreB && itemA > itemB);
    }

    /** Keeps the best {@code capacity} offers in a min-heap whose root is the worst kept. */
    private void offer(int item, double score) {
      if (heapSize < capacity) {
        int i = heapSize++;
        while (i > 0) {
          int parent = (i - 1) >>> 1;
          if (!worse(score, item, heapScores[parent], heapItems[parent])) {
            break;
          }
          heapItems[i] = heapItems[parent];
          heapScores[i] = heapScores[parent];
          i = parent;
        }
        heapItems[i] = item;
        heapScores[i] = score;
      } else if (worse(heapScores[0], heapItems[0], score, item)) {
        siftDown(item, score, heapSize);
      }
    }

    /** Places (item, score) at the root and sifts it down within {@code size} entries. */
    private void siftDown(int item, double score, int size) {
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size
            && worse(heapScores[child + 1], heapItems[child + 1], heapScores[child], heapItems[child])) {
          child++;
        }
        if (!worse(heapScores[child], heapItems[child], score, item)) {
          break;
        }
        heapItems[i] = heapItems[child];
        heapScores[i] = heapScores[child];
        i = child;
      }
      heapItems[i] = item;
      heapScores[i] = score;
    }

    /** Empties the heap into row {@code item} of the outputs, best first. */
    void drainInto(int item, int[][] rowItems, float[][] rowScores) {
      int size = heapSize;
      int[] items = new int[size];
      float[] scores = new float[size];
      // Pop the worst kept entry into the last free slot until the heap is empty.
      for (int last = size - 1; last >= 0; last--) {
        items[last] = heapItems[0];
        scores[last] = (float) heapScores[0];
        if (last > 0) {
          siftDown(heapItems[last], heapScores[last], last);
        }
      }
      heapSize = 0;
      rowItems[item] = items;
      rowScores[item] = scores;
    }
  }
}
