package dev.recsuite.it;

import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bounded closed-loop load on the gateway: a fixed number of {@code Recommend} requests sent by a
 * fixed number of workers, each waiting for its answer before sending the next. Users cycle
 * through {@code "1".."users"}. Every request's outcome is kept: ok, degraded (with its reasons) or
 * failed (with its status), and its latency.
 */
final class Load {

  /** One answered or failed request. */
  record Outcome(long nanos, RecommendResponse response, Status.Code failure) {}

  private final GatewayServiceGrpc.GatewayServiceBlockingStub stub;
  private final int requests;
  private final Duration deadline;
  private final int users;
  private final int k;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final Outcome[] outcomes;
  private final List<Thread> workers = new ArrayList<>();
  private final Consumer<RecommendResponse> check;

  private Load(
      Channel channel, int requests, Duration deadline, int users, int k, Consumer<RecommendResponse> check) {
    this.stub = GatewayServiceGrpc.newBlockingStub(channel);
    this.requests = requests;
    this.deadline = deadline;
    this.users = users;
    this.k = k;
    this.check = check;
    this.outcomes = new Outcome[requests];
  }

  /**
   * Starts {@code concurrency} workers sending {@code requests} requests with {@code deadline}
   * each; {@code check} sees every answer (and may throw: the request then counts as failed).
   */
  static Load start(
      Channel channel, int requests, int concurrency, Duration deadline, Consumer<RecommendResponse> check) {
    Load load = new Load(channel, requests, deadline, 300, 10, check);
    for (int i = 0; i < concurrency; i++) {
      load.workers.add(Thread.ofPlatform().name("load-" + i).daemon(true).start(load::work));
    }
    return load;
  }

  private void work() {
    int index;
    while ((index = next.getAndIncrement()) < requests) {
      RecommendRequest request =
          RecommendRequest.newBuilder().setUserId(Integer.toString(1 + index % users)).setK(k).build();
      long started = System.nanoTime();
      Outcome outcome;
      try {
        RecommendResponse response =
            stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).recommend(request);
        outcome = new Outcome(System.nanoTime() - started, response, null);
        check.accept(response);
      } catch (StatusRuntimeException e) {
        outcome = new Outcome(System.nanoTime() - started, null, e.getStatus().getCode());
      } catch (AssertionError | RuntimeException e) {
        outcome = new Outcome(System.nanoTime() - started, null, Status.Code.UNKNOWN);
      }
      outcomes[index] = outcome;
      completed.incrementAndGet();
    }
  }

  /** Requests sent so far (answered or not). */
  int sent() {
    return Math.min(next.get(), requests);
  }

  /** Requests answered or failed so far. */
  int completed() {
    return completed.get();
  }

  /** Waits for the last request and summarises the run. */
  Result await() throws InterruptedException {
    for (Thread worker : workers) {
      worker.join(Duration.ofMinutes(2));
      if (worker.isAlive()) {
        throw new AssertionError("load worker " + worker.getName() + " still running after 2 minutes");
      }
    }
    return Result.of(List.of(outcomes));
  }

  /** Every request's outcome, once {@link #await()} has returned. */
  List<Outcome> outcomes() {
    return List.of(outcomes);
  }

  /**
   * The counts of a run.
   *
   * @param sent requests sent
   * @param ok answered, not degraded
   * @param degraded answered with {@code degraded = true}
   * @param failed ended with an error status (or an answer that failed the check, as UNKNOWN)
   * @param p50Millis median latency
   * @param p99Millis 99th percentile latency
   * @param maxMillis slowest request
   * @param failures failed requests per status code
   * @param reasons degraded answers per reason
   */
  record Result(
      int sent,
      int ok,
      int degraded,
      int failed,
      long p50Millis,
      long p99Millis,
      long maxMillis,
      Map<Status.Code, Integer> failures,
      Map<DegradedReason, Integer> reasons) {

    static Result of(List<Outcome> outcomes) {
      int ok = 0;
      int degraded = 0;
      int failed = 0;
      long[] nanos = new long[outcomes.size()];
      Map<Status.Code, Integer> failures = new TreeMap<>();
      Map<DegradedReason, Integer> reasons = new EnumMap<>(DegradedReason.class);
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome outcome = outcomes.get(i);
        nanos[i] = outcome.nanos();
        if (outcome.failure() != null) {
          failed++;
          failures.merge(outcome.failure(), 1, Integer::sum);
        } else if (outcome.response().getDegraded()) {
          degraded++;
          for (DegradedReason reason : outcome.response().getDegradedReasonsList()) {
            reasons.merge(reason, 1, Integer::sum);
          }
        } else {
          ok++;
        }
      }
      Arrays.sort(nanos);
      return new Result(
          outcomes.size(), ok, degraded, failed, millis(percentile(nanos, 0.50)), millis(percentile(nanos, 0.99)),
          millis(nanos.length == 0 ? 0 : nanos[nanos.length - 1]), failures, reasons);
    }

    private static long percentile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return 0;
      }
      int index = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long millis(long nanos) {
      return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** One Markdown table row: scenario, sent, ok, degraded, failed, p50, p99, max, details. */
    String row(String scenario) {
      return "| %s | %d | %d | %d | %d | %d | %d | %d | %s |"
          .formatted(scenario, sent, ok, degraded, failed, p50Millis, p99Millis, maxMillis, details());
    }

    private String details() {
      List<String> parts = new ArrayList<>();
      reasons.forEach((reason, count) -> parts.add(reason.name().replace("DEGRADED_REASON_", "") + " " + count));
      failures.forEach((code, count) -> parts.add(code + " " + count));
      return String.join(", ", parts);
    }
  }
}
