package dev.recsuite.it;

import com.google.protobuf.util.Timestamps;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecordFeedbackRequest;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expert: end-to-end write throughput of real-time feedback and the latency cost of fresh recall,
 * not a test. Runs the four services in this JVM (real loopback sockets, the 1000-user synthetic
 * bundle of {@code recsuite up}) with the chosen feedback store and measures:
 *
 * <ol>
 *   <li>{@code RecordFeedback} through the gateway, closed loop: for 1, 4 and 16 client threads and
 *       batches of 1 and 100 events, events acknowledged per second and the latency of one call
 *       (p50, p99, max); each acknowledged event is durable (the write path of the feature service
 *       into the store). Users uniform over the bundle's 1000, items skewed over its 1700, 90 %
 *       clicks and 10 % purchases, like the store's own benchmark;
 *   <li>{@code Recommend} k = 10 for users that have feedback, with {@code
 *       --recall-fresh-history} on (user features first, then recall with the fresh items) and off
 *       (both at once), alternately, sequential and with 8 clients: the price of the serialised
 *       hop.
 * </ol>
 *
 * <pre>
 * ./mvnw -B -ntp -o test-compile -pl integration-tests
 * ./mvnw -B -ntp -o -q dependency:build-classpath -pl integration-tests -Dmdep.outputFile=/tmp/cp.txt
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp "integration-tests/target/test-classes:$(cat /tmp/cp.txt)" dev.recsuite.it.FeedbackThroughput [embedded|redis] [events] [recommend]
 * </pre>
 *
 * {@code events} (20,000) is the events of each batch-1 run (batch-100 runs send ten times as
 * many); {@code recommend} ({@code true}) runs the second part. With {@code redis}, the server is {@code RECSUITE_REDIS_URI} or {@code redis://127.0.0.1:6379};
 * the keys go under a fresh prefix, deleted at the end.
 */
public final class FeedbackThroughput {

  private static final Logger log = LoggerFactory.getLogger(FeedbackThroughput.class);
  private static final int USERS = 1000;
  private static final int ITEMS = 1700;

  private FeedbackThroughput() {}

  public static void main(String[] args) throws Exception { // args: [store=embedded] [events=20000] [recommend=true]
    String store = args.length > 0 ? args[0] : "embedded";
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    boolean recommend = args.length <= 2 || Boolean.parseBoolean(args[2]);
    Path root = Files.createTempDirectory("recsuite-feedback-bench-");
    Path bundles = root.resolve("bundles");
    new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC())
        .train(SyntheticData.generate(SyntheticSpec.defaults().withSize(USERS, ITEMS, 99)), bundles, "synthetic");
    String prefix = RedisServer.newPrefix();
    String redisUri = store.equals("redis") ? redisUri() : null;
    List<String> feedbackArgs =
        store.equals("redis")
            ? List.of("--feedback-store", "redis", "--redis-uri", redisUri, "--redis-key-prefix", prefix)
            : List.of("--feedback-store", "embedded", "--feedback-dir", root.resolve("feedback").toString());
    List<String> table = new ArrayList<>();
    try {
      try (RunningSuite suite = start(bundles, feedbackArgs, true)) {
        GatewayServiceGrpc.GatewayServiceBlockingStub gateway =
            GatewayServiceGrpc.newBlockingStub(suite.channel(suite.gatewayPort()));
        AtomicInteger ids = new AtomicInteger();
        writes(gateway, ids, 1, 1, 2_000); // warm-up, and every user soon has feedback
        table.add("| Store | Threads | Batch | Events | Stored before | Events/s acknowledged | p50 per call | p99 per call | max |");
        table.add("|---|---|---|---|---|---|---|---|---|");
        for (int batch : new int[] {1, 100}) {
          for (int threads : new int[] {1, 4, 16}) {
            int total = batch == 1 ? events : events * 10;
            int before = ids.get();
            Result result = writes(gateway, ids, threads, batch, total);
            table.add(
                String.format(
                    Locale.ROOT, "| %s | %d | %d | %,d | %,d | %,.0f | %.2f ms | %.2f ms | %.2f ms |",
                    store, threads, batch, total, before, total / result.seconds(), result.percentile(0.5),
                    result.percentile(0.99), result.percentile(1.0)));
            log.info(table.getLast());
          }
        }
      }
      table.add("");
      table.add("| Recommend, users with feedback | Fresh history | Clients | Requests | Req/s | p50 | p99 |");
      table.add("|---|---|---|---|---|---|---|");
      for (int round = 0; recommend && round < 3; round++) {
        for (boolean fresh : new boolean[] {true, false}) {
          try (RunningSuite suite = start(bundles, feedbackArgs, fresh)) {
            GatewayServiceGrpc.GatewayServiceBlockingStub gateway =
                GatewayServiceGrpc.newBlockingStub(suite.channel(suite.gatewayPort()));
            recommends(gateway, 1, 500); // warm-up
            for (int clients : new int[] {1, 8}) {
              int requests = clients == 1 ? 2_000 : 6_000;
              Result result = recommends(gateway, clients, requests);
              table.add(
                  String.format(
                      Locale.ROOT, "| round %d | %s | %d | %,d | %,.0f | %.2f ms | %.2f ms |",
                      round + 1, fresh ? "on" : "off", clients, requests, requests / result.seconds(),
                      result.percentile(0.5), result.percentile(0.99)));
              log.info(table.getLast());
            }
          }
        }
      }
    } finally {
      if (redisUri != null) {
        RedisServer.deleteKeys(redisUri, prefix);
      }
    }
    log.info("results:\n{}", String.join("\n", table));
  }

  private static String redisUri() {
    String configured = System.getenv(RedisServer.URI_ENV);
    return configured == null || configured.isBlank() ? RedisServer.DEFAULT_URI : configured;
  }

  private static RunningSuite start(Path bundles, List<String> feedbackArgs, boolean fresh) throws Exception {
    return RunningSuite.builder(bundles)
        .featureArgs(feedbackArgs.toArray(String[]::new))
        .gatewayArgs("--recall-fresh-history", Boolean.toString(fresh))
        .start();
  }

  /** Per-call latencies (ms) and the wall time of a closed-loop run. */
  private record Result(double[] millis, double seconds) {
    /** The nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
    double percentile(double p) {
      int rank = Math.max(1, (int) Math.ceil(p * millis.length));
      return millis[Math.min(millis.length, rank) - 1];
    }
  }

  private static Result writes(
      GatewayServiceGrpc.GatewayServiceBlockingStub gateway, AtomicInteger ids, int threads, int batch, int total)
      throws InterruptedException {
    int calls = total / batch;
    double[] millis = new double[calls];
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(31L * t + batch);
      workers.add(
          Thread.ofPlatform().name("writer-" + t).start(() -> {
            int call;
            while ((call = next.getAndIncrement()) < calls) {
              RecordFeedbackRequest.Builder request = RecordFeedbackRequest.newBuilder();
              long now = System.currentTimeMillis();
              for (int e = 0; e < batch; e++) {
                double r = random.nextDouble();
                request.addEvents(
                    FeedbackEvent.newBuilder()
                        .setEventId("bench-" + ids.incrementAndGet())
                        .setUserId(Integer.toString(1 + random.nextInt(USERS)))
                        .setItemId(Integer.toString(1 + (int) (ITEMS * r * r)))
                        .setType(random.nextInt(10) == 0 ? EventType.EVENT_TYPE_PURCHASE : EventType.EVENT_TYPE_CLICK)
                        .setTimestamp(Timestamps.fromMillis(now)));
              }
              long sent = System.nanoTime();
              gateway.withDeadlineAfter(30, TimeUnit.SECONDS).recordFeedback(request.build());
              millis[call] = (System.nanoTime() - sent) / 1e6;
            }
          }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(millis);
    return new Result(millis, seconds);
  }

  private static Result recommends(GatewayServiceGrpc.GatewayServiceBlockingStub gateway, int clients, int requests)
      throws InterruptedException {
    double[] millis = new double[requests];
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      SplittableRandom random = new SplittableRandom(7L * c + clients);
      workers.add(
          Thread.ofPlatform().name("client-" + c).start(() -> {
            int request;
            while ((request = next.getAndIncrement()) < requests) {
              String user = Integer.toString(1 + random.nextInt(USERS));
              long sent = System.nanoTime();
              gateway.withDeadlineAfter(10, TimeUnit.SECONDS)
                  .recommend(RecommendRequest.newBuilder().setUserId(user).setK(10).build());
              millis[request] = (System.nanoTime() - sent) / 1e6;
            }
          }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(millis);
    return new Result(millis, seconds);
  }
}
