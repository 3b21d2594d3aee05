package dev.recsuite.it;

import com.sun.net.httpserver.HttpServer;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expert: the cost of telemetry in throughput, not a test. Runs the four services in this JVM
 * (real loopback sockets) in three configurations side by side and drives each in turn with the
 * same closed loop (8 clients, {@code Recommend} k = 10 for seeded random users), several rounds
 * each, interleaved, and prints the median requests per second of each and its ratio to "off":
 *
 * <ul>
 *   <li>{@code off}: {@link Telemetry#noop()} in every tier (no interceptors, no spans, no metrics);
 *   <li>{@code default}: what a service runs with no {@code OTEL_*} variable set: interceptors,
 *       metrics into a Prometheus endpoint, trace ids in the logs, no span recorded;
 *   <li>{@code export@R}: OTLP export of spans (sampled at ratio R at the gateway, the default 0.1
 *       unless given) and metrics (every 5 s) to a local HTTP sink in this JVM, so serialisation
 *       and sending are paid.
 * </ul>
 *
 * <pre>
 * ./mvnw -B -ntp -o test-compile -pl integration-tests
 * ./mvnw -B -ntp -o -q dependency:build-classpath -pl integration-tests -Dmdep.outputFile=/tmp/cp.txt
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp "integration-tests/target/test-classes:$(cat /tmp/cp.txt)" dev.recsuite.it.TelemetryOverhead [rounds] [seconds] [ratio]
 * </pre>
 */
public final class TelemetryOverhead {

  private static final Logger log = LoggerFactory.getLogger(TelemetryOverhead.class);
  private static final int CLIENTS = 8;

  private TelemetryOverhead() {}

  public static void main(String[] args) throws Exception { // args: [rounds=5] [seconds=8] [ratio=0.1]
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    String ratio = args.length > 2 ? args[2] : "0.1";
    Path bundles = Files.createTempDirectory("recsuite-overhead-");
    new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC())
        .train(SyntheticData.generate(SyntheticSpec.defaults().withSize(1000, 1700, 99)), bundles, "synthetic");

    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    LongAdder exports = new LongAdder();
    sink.createContext(
        "/",
        exchange -> {
          try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            exports.increment();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
          }
        });
    sink.start();

    Map<String, RunningSuite> suites = new LinkedHashMap<>();
    try {
      suites.put("off", RunningSuite.builder(bundles).telemetry(tier -> Telemetry.noop()).start());
      suites.put("default", RunningSuite.builder(bundles).tierArgs("--metrics-port", "0").gatewayArgs("--metrics-port", "0").start());
      // The SDK reads otel.* system properties like OTEL_* variables; only this suite sees them.
      System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + sink.getAddress().getPort());
      System.setProperty("otel.metric.export.interval", "5000");
      try {
        suites.put(
            "export@" + ratio,
            RunningSuite.builder(bundles).tierArgs("--trace-sample-ratio", ratio).gatewayArgs("--trace-sample-ratio", ratio).start());
      } finally {
        System.clearProperty("otel.exporter.otlp.endpoint");
        System.clearProperty("otel.metric.export.interval");
      }

      Map<String, List<Double>> results = new LinkedHashMap<>();
      for (String name : suites.keySet()) {
        results.put(name, new ArrayList<>());
        drive(suites.get(name), seconds, 42); // warm-up, discarded
      }
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, RunningSuite> suite : suites.entrySet()) {
          double rate = drive(suite.getValue(), seconds, round);
          results.get(suite.getKey()).add(rate);
          log.info("round {} {}: {} req/s", round + 1, suite.getKey(), String.format("%.0f", rate));
        }
      }
      double off = median(results.get("off"));
      StringBuilder report = new StringBuilder("\nconfiguration  median req/s  vs off   rounds\n");
      for (Map.Entry<String, List<Double>> result : results.entrySet()) {
        double median = median(result.getValue());
        report.append(String.format("%-14s %12.0f  %6.1f%%  %s%n", result.getKey(), median, 100 * (median / off - 1), result.getValue().stream().map(r -> String.format("%.0f", r)).toList()));
      }
      report.append("OTLP export requests received by the sink: ").append(exports.sum());
      log.info("{}", report);
    } finally {
      for (RunningSuite suite : suites.values()) {
        suite.close();
      }
      sink.stop(0);
    }
  }

  /** Closed loop of {@value #CLIENTS} clients for {@code seconds}; returns completed requests per second. */
  private static double drive(RunningSuite suite, int seconds, long seed) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", suite.gatewayPort()).usePlaintext().build();
    try {
      GatewayServiceGrpc.GatewayServiceBlockingStub stub = GatewayServiceGrpc.newBlockingStub(channel);
      LongAdder done = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        SplittableRandom random = new SplittableRandom(seed * 31 + c);
        clients.add(
            Thread.ofPlatform()
                .name("overhead-client-" + c)
                .start(
                    () -> {
                      while (!stop.get()) {
                        String user = Integer.toString(1 + random.nextInt(1000));
                        stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                            .recommend(RecommendRequest.newBuilder().setUserId(user).setK(10).build());
                        done.increment();
                      }
                    }));
      }
      long started = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      stop.set(true);
      for (Thread client : clients) {
        client.join();
      }
      return done.sum() / ((System.nanoTime() - started) / 1e9);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
