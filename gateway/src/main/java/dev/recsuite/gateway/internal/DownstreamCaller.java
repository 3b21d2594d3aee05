package dev.recsuite.gateway.internal;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.recsuite.gateway.Downstream;
import dev.recsuite.gateway.DownstreamPolicy;
import dev.recsuite.grpc.telemetry.Telemetry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the gateway's calls to one downstream tier under its {@link DownstreamPolicy}: a
 * Resilience4j {@link Bulkhead} (semaphore, no waiting) bounds the calls in flight, a {@link
 * CircuitBreaker} refuses calls while the tier is failing or slow, failed attempts are retried
 * when another replica may help ({@link Failures#isRetryable}) and time and the {@link RetryBudget}
 * allow, and a slow first attempt may be hedged by a second one.
 *
 * <p>Why not gRPC's own retry policy or Resilience4j's Retry: the decision depends on the call (a
 * {@code NOT_FOUND} is retried only on calls pinned to a bundle version), on the time left in the
 * hop and on a budget shared with hedging; gRPC's retries would also hide attempts from the
 * breaker, and Resilience4j's Retry has no budget. The loop is a few lines on top of the futures.
 *
 * <p>Attempts carry the hop's deadline and are cancelled when the caller's gRPC {@link Context} is
 * (the caller went away), but they are started in {@link Context#ROOT}, not in the caller's
 * context. The reason: starting a call may run channel housekeeping on the calling thread, such as
 * opening a replica's {@code Health/Watch} stream, and a stream opened there would belong to this
 * request and die with it, turning the healthy replica {@code TRANSIENT_FAILURE} (gRPC then says
 * "Health-check stream unexpectedly closed with CANCELLED: io.grpc.Context was cancelled without
 * error"). Nothing blocks: attempts complete on gRPC's callback threads and hedges start on the
 * {@link GatewayTimer}.
 *
 * <p>Tracing: gRPC's {@link Context} is not OpenTelemetry's. Attempts start in {@link
 * Context#ROOT} (above), retries on gRPC's callback threads and hedges on the timer thread, so the
 * OpenTelemetry context of the caller (the request's server span) is captured when {@link #call}
 * is made and made current around every attempt's start: each attempt's client span is a child of
 * the request's span, retries and hedges included. (The gRPC instrumentation's context bridge keeps
 * the OpenTelemetry context when {@code Context.ROOT} is attached, and {@code ROOT} is attached
 * inside that scope, so the attempt still runs in gRPC's root context.) Retries and hedges are also
 * events on the request's span. {@code recsuite.gateway.downstream.duration} records each call,
 * retries included, by tier and final status.
 */
public final class DownstreamCaller {

  private static final Logger log = LoggerFactory.getLogger(DownstreamCaller.class);

  private final Downstream downstream;
  private final DownstreamPolicy policy;
  private final long minCallNanos;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final RetryBudget retryBudget;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoTime;
  private final ResilienceMetrics metrics;
  private final DoubleHistogram durations;
  private final Attributes[] statusAttributes;

  private static final AttributeKey<String> TIER = AttributeKey.stringKey("tier");
  private static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("recsuite.attempt");
  private static final List<Double> DURATION_BUCKETS =
      List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0);

  /**
   * @param policy the downstream's policy
   * @param minCallTime the least time worth starting an attempt with
   * @param clock the breaker's clock (when an open breaker lets probes through)
   * @param nanoTime measures call durations and refills the retry budget
   * @param timer starts hedged attempts
   */
  public DownstreamCaller(
      DownstreamPolicy policy,
      Duration minCallTime,
      Clock clock,
      LongSupplier nanoTime,
      ScheduledExecutorService timer,
      ResilienceMetrics metrics) {
    this(policy, minCallTime, clock, nanoTime, timer, metrics, Telemetry.noop());
  }

  /**
   * @param policy the downstream's policy
   * @param minCallTime the least time worth starting an attempt with
   * @param clock the breaker's clock (when an open breaker lets probes through)
   * @param nanoTime measures call durations and refills the retry budget
   * @param timer starts hedged attempts
   * @param telemetry for the call-duration histogram
   */
  public DownstreamCaller(
      DownstreamPolicy policy,
      Duration minCallTime,
      Clock clock,
      LongSupplier nanoTime,
      ScheduledExecutorService timer,
      ResilienceMetrics metrics,
      Telemetry telemetry) {
    this.downstream = policy.downstream();
    this.policy = policy;
    this.minCallNanos = minCallTime.toNanos();
    this.timer = timer;
    this.nanoTime = nanoTime;
    this.metrics = metrics;
    this.durations =
        telemetry
            .meter("dev.recsuite.gateway")
            .histogramBuilder("recsuite.gateway.downstream.duration")
            .setDescription(
                "Duration of the gateway's calls to a tier, retries and hedges included, by final status"
                    + " (refused calls too).")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    Status.Code[] codes = Status.Code.values();
    this.statusAttributes = new Attributes[codes.length];
    for (Status.Code code : codes) {
      statusAttributes[code.ordinal()] = Attributes.of(TIER, downstream.label(), STATUS, code.name());
    }
    this.breaker =
        CircuitBreaker.of(
            downstream.label(),
            CircuitBreakerConfig.custom()
                .failureRateThreshold(policy.breaker().failureRatePercent())
                .slowCallRateThreshold(policy.breaker().slowCallRatePercent())
                .slowCallDurationThreshold(policy.slowCall())
                .slidingWindow(
                    policy.breaker().window(), policy.breaker().minimumCalls(), SlidingWindowType.COUNT_BASED)
                .waitDurationInOpenState(policy.breaker().openDuration())
                .permittedNumberOfCallsInHalfOpenState(policy.breaker().halfOpenCalls())
                .recordException(Failures::isFailure)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build());
    this.bulkhead =
        Bulkhead.of(
            downstream.label(),
            BulkheadConfig.custom()
                .maxConcurrentCalls(policy.bulkhead())
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build());
    this.retryBudget =
        new RetryBudget(policy.retry().budgetRatio(), policy.retry().budgetFloorPerSecond(), nanoTime);
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.Metrics m = breaker.getMetrics();
              log.warn(
                  "{} circuit breaker {} (failure rate {}%, slow-call rate {}% over {} calls)",
                  downstream.label(),
                  event.getStateTransition(),
                  m.getFailureRate(),
                  m.getSlowCallRate(),
                  m.getNumberOfBufferedCalls());
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                metrics.countBreakerOpened(downstream);
              }
            });
  }

  /** The downstream this caller calls. */
  public Downstream downstream() {
    return downstream;
  }

  /** The circuit breaker, for state and metrics. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** The bulkhead, for its permits. */
  public Bulkhead bulkhead() {
    return bulkhead;
  }

  /**
   * Calls the downstream. The returned future completes with the first successful answer, or fails
   * with a {@link io.grpc.StatusRuntimeException}: the last attempt's status, or one saying why no
   * attempt was made ({@code UNAVAILABLE} "recall circuit breaker is OPEN", {@code
   * RESOURCE_EXHAUSTED} for a full bulkhead, {@code DEADLINE_EXCEEDED} when the hop has less than
   * {@code min-call-time} left). Cancelling it cancels the attempts in flight. It completes by
   * {@code deadline} (plus scheduling delays): every attempt carries that deadline.
   *
   * @param deadline the hop's deadline
   * @param pinned whether the request is pinned to a bundle version ({@code NOT_FOUND} is then
   *     worth another replica)
   * @param attempt starts one attempt with the given deadline, e.g. {@code d ->
   *     stub.withDeadline(d).recall(request)}
   */
  public <T> CompletableFuture<T> call(
      Deadline deadline, boolean pinned, Function<Deadline, ListenableFuture<T>> attempt) {
    retryBudget.deposit();
    long startedAt = nanoTime.getAsLong();
    Call<T> call =
        new Call<>(deadline, pinned, attempt, Context.current(), io.opentelemetry.context.Context.current());
    call.start();
    call.result.whenComplete(
        (value, error) ->
            durations.record(
                (nanoTime.getAsLong() - startedAt) / 1e9,
                statusAttributes[(error == null ? Status.Code.OK : Status.fromThrowable(error).getCode()).ordinal()]));
    return call.result;
  }

  private final class Call<T> {

    final CompletableFuture<T> result = new CompletableFuture<>();
    private final Deadline deadline;
    private final boolean pinned;
    private final Function<Deadline, ListenableFuture<T>> attempt;
    private final Context context;
    /** The caller's OpenTelemetry context (the request's span): the parent of every attempt. */
    private final io.opentelemetry.context.Context trace;
    /** Attempts in flight; guarded by {@code this}. */
    private final List<ListenableFuture<T>> running = new ArrayList<>(2);
    /** Attempts started; guarded by {@code this}. */
    private int started;
    private ScheduledFuture<?> hedgeTimer;

    Call(
        Deadline deadline,
        boolean pinned,
        Function<Deadline, ListenableFuture<T>> attempt,
        Context context,
        io.opentelemetry.context.Context trace) {
      this.deadline = deadline;
      this.pinned = pinned;
      this.attempt = attempt;
      this.context = context;
      this.trace = trace;
    }

    void start() {
      // The caller's cancellation still reaches the attempts, through the result.
      Context.CancellationListener callerGone = ignored -> result.cancel(false);
      context.addListener(callerGone, MoreExecutors.directExecutor());
      result.whenComplete((value, error) -> context.removeListener(callerGone));
      Status refused = tryStart();
      if (refused != null) {
        result.completeExceptionally(refused.asRuntimeException());
        return;
      }
      if (policy.hedging() && policy.retry().maxAttempts() > 1) {
        ScheduledFuture<?> scheduled =
            timer.schedule(this::hedge, policy.hedgeDelay().toNanos(), TimeUnit.NANOSECONDS);
        synchronized (this) {
          hedgeTimer = scheduled;
        }
      }
      result.whenComplete((value, error) -> finish());
    }

    /** Starts an attempt; returns {@code null}, or why none could start (nothing was sent). */
    private Status tryStart() {
      long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
      if (left < minCallNanos) {
        return Status.DEADLINE_EXCEEDED.withDescription(
            "no time left for a " + downstream.label() + " call: " + Math.max(0, left / 1_000_000)
                + " ms (min-call-time: " + minCallNanos / 1_000_000 + " ms)");
      }
      if (!bulkhead.tryAcquirePermission()) {
        metrics.countRefused(downstream);
        return Status.RESOURCE_EXHAUSTED.withDescription(
            downstream.label() + " bulkhead full: " + policy.bulkhead() + " calls in flight");
      }
      if (!breaker.tryAcquirePermission()) {
        bulkhead.onComplete();
        metrics.countRefused(downstream);
        return Status.UNAVAILABLE.withDescription(
            downstream.label() + " circuit breaker is " + breaker.getState());
      }
      long startedAt = nanoTime.getAsLong();
      ListenableFuture<T> future;
      // The request's span current first, then gRPC's root context attached inside it: the
      // attempt's client span is the request span's child, the call is not the request's (above).
      try (Scope ignored = trace.makeCurrent()) {
        future = Context.ROOT.call(() -> attempt.apply(deadline));
      } catch (Exception e) {
        future = Futures.immediateFailedFuture(e);
      }
      synchronized (this) {
        running.add(future);
        started++;
      }
      metrics.countAttempt(downstream);
      if (result.isDone()) {
        future.cancel(true); // raced with the answer of another attempt
      }
      ListenableFuture<T> attemptFuture = future;
      future.addListener(() -> done(attemptFuture, startedAt), MoreExecutors.directExecutor());
      return null;
    }

    private void done(ListenableFuture<T> future, long startedAt) {
      bulkhead.onComplete();
      long took = nanoTime.getAsLong() - startedAt;
      synchronized (this) {
        running.remove(future);
      }
      T value;
      try {
        value = Futures.getDone(future);
      } catch (CancellationException e) {
        breaker.releasePermission(); // the gateway cancelled it: says nothing about the tier
        return;
      } catch (ExecutionException e) {
        failed(e.getCause(), took);
        return;
      }
      breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      result.complete(value);
    }

    private void failed(Throwable error, long took) {
      if (context.isCancelled()) {
        // The gateway's caller went away: the tier is not to blame, and nobody needs an answer.
        breaker.releasePermission();
        result.completeExceptionally(error);
        return;
      }
      breaker.onError(took, TimeUnit.NANOSECONDS, error);
      if (Failures.isFailure(error)) {
        metrics.countFailure(downstream);
      }
      synchronized (this) {
        if (result.isDone() || !running.isEmpty()) {
          return; // answered already, or another attempt (a hedge) may still answer
        }
      }
      if (Failures.isRetryable(error, pinned) && attemptsLeft() && retryBudget.tryWithdraw()) {
        metrics.countRetry(downstream);
        event("retry", error);
        if (tryStart() == null) {
          return;
        }
      }
      result.completeExceptionally(error);
    }

    private void hedge() {
      if (result.isDone() || context.isCancelled()) {
        return;
      }
      synchronized (this) {
        if (running.size() != 1 || started >= policy.retry().maxAttempts()) {
          return;
        }
      }
      if (deadline.timeRemaining(TimeUnit.NANOSECONDS) < minCallNanos || !retryBudget.tryWithdraw()) {
        return;
      }
      metrics.countHedge(downstream);
      event("hedge", null);
      tryStart(); // a refusal (open breaker, full bulkhead) just means no hedge
    }

    /** Notes a retry or hedge on the request's span, when it is sampled. */
    private void event(String name, Throwable cause) {
      Span span = Span.fromContext(trace);
      if (!span.isRecording()) {
        return;
      }
      long attemptNumber;
      synchronized (this) {
        attemptNumber = started + 1;
      }
      Attributes attributes =
          cause == null
              ? Attributes.of(TIER, downstream.label(), ATTEMPT, attemptNumber)
              : Attributes.of(
                  TIER, downstream.label(), ATTEMPT, attemptNumber, STATUS, Status.fromThrowable(cause).getCode().name());
      span.addEvent(name, attributes);
    }

    private synchronized boolean attemptsLeft() {
      return started < policy.retry().maxAttempts()
          && deadline.timeRemaining(TimeUnit.NANOSECONDS) >= minCallNanos;
    }

    private void finish() {
      List<ListenableFuture<T>> toCancel;
      synchronized (this) {
        if (hedgeTimer != null) {
          hedgeTimer.cancel(false);
        }
        toCancel = List.copyOf(running);
      }
      for (ListenableFuture<T> future : toCancel) {
        future.cancel(true);
      }
    }
  }
}
