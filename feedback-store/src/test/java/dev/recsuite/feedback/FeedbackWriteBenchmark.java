package dev.recsuite.feedback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Write throughput of a feedback store: N threads append batches of B new events (closed loop,
 * each thread's next append starts when its previous one returned) until the total is reached;
 * reports acknowledged events per second and the latency of one append call (p50, p99, max).
 * Every append is durable when it returns, so the figures include the fsync (embedded) or the
 * Redis round trip with {@code appendfsync} as the server is configured.
 *
 * <pre>
 * FeedbackWriteBenchmark --store embedded|redis [--path DIR] [--redis-uri URI]
 *     [--threads 1,4] [--batch 1,100] [--events 20000] [--warm-up 2000] [--seed 1]
 * </pre>
 *
 * Each (threads, batch) pair runs on fresh storage: a temporary directory, deleted afterwards, or a
 * fresh Redis key prefix, deleted afterwards. {@code --events} is the total per run; for batches
 * of 100 it is multiplied by 10 so that the run lasts long enough to measure.
 */
public final class FeedbackWriteBenchmark {

  private FeedbackWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    String store = "embedded";
    String redisUri = "redis://127.0.0.1:6379";
    Path path = null;
    int[] threadCounts = {1, 4};
    int[] batchSizes = {1, 100};
    int events = 20_000;
    int warmUp = 2_000;
    long seed = 1;
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--store" -> store = value;
        case "--path" -> path = Path.of(value);
        case "--redis-uri" -> redisUri = value;
        case "--threads" -> threadCounts = ints(value);
        case "--batch" -> batchSizes = ints(value);
        case "--events" -> events = Integer.parseInt(value);
        case "--warm-up" -> warmUp = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("store=%s cores=%d java=%s%n", store, Runtime.getRuntime().availableProcessors(), Runtime.version());
    System.out.println("| Store | Threads | Batch | Events | Events/s acknowledged | Appends/s | p50 per append | p99 per append | max |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (int batch : batchSizes) {
      for (int threads : threadCounts) {
        int total = batch > 1 ? events * 10 : events;
        Path dir = path != null ? path : Files.createTempDirectory("feedback-bench-");
        String prefix = "recsuite-bench:" + System.nanoTime() + ":";
        FeedbackStoreConfig config = store.equals("redis")
            ? FeedbackStoreConfig.redis(redisUri).withRedisKeyPrefix(prefix)
            : FeedbackStoreConfig.embedded(dir.resolve("run-" + threads + "-" + batch));
        try {
          try (FeedbackStore s = FeedbackStores.open(config)) {
            run(s, "warm-", 1, batch, Math.max(batch, warmUp), seed);
            Result r = run(s, "run-", threads, batch, total, seed + 1);
            System.out.printf("| %s | %d | %d | %,d | %,.0f | %,.0f | %.2f ms | %.2f ms | %.2f ms |%n",
                store, threads, batch, r.events, r.events / r.seconds, r.appends / r.seconds,
                r.p50 / 1e6, r.p99 / 1e6, r.max / 1e6);
          }
        } finally {
          if (store.equals("redis")) {
            RedisTestServer.deleteKeys(redisUri, prefix);
          }
          if (path == null) {
            deleteTree(dir);
          }
        }
      }
    }
  }

  private record Result(long events, long appends, double seconds, long p50, long p99, long max) {}

  private static Result run(FeedbackStore store, String idPrefix, int threads, int batch, int total, long seed)
      throws Exception {
    int appendsPerThread = Math.max(1, total / batch / threads);
    long[][] latencies = new long[threads][appendsPerThread];
    ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("bench-", 0).factory());
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          Random random = new Random(seed * 31 + thread);
          for (int a = 0; a < appendsPerThread; a++) {
            List<FeedbackEvent> events = new ArrayList<>(batch);
            long now = System.currentTimeMillis();
            for (int i = 0; i < batch; i++) {
              // Users uniform over 10,000; items skewed (squared uniform) over 5,000, like real traffic.
              double u = random.nextDouble();
              events.add(FeedbackEvent.of(idPrefix + seed + "-" + thread + "-" + a + "-" + i,
                  "u" + random.nextInt(10_000), "m" + (int) (u * u * 5_000),
                  random.nextInt(10) == 0 ? EventType.PURCHASE : EventType.CLICK, now));
            }
            long t0 = System.nanoTime();
            store.append(events);
            latencies[thread][a] = System.nanoTime() - t0;
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result((long) all.length * batch, all.length, seconds,
        all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.50) - 1)],
        all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)],
        all[all.length - 1]);
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
