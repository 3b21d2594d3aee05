package dev.recsuite.gateway.internal;

import dev.recsuite.gateway.Downstream;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's metrics beyond the RPC histograms: its counters ({@link ResilienceMetrics}) as
 * observable counters, each tier's breaker and bulkhead ({@link ResilienceInstruments}), the
 * popular list's size and the bundle version requests are pinned to. Everything but the breakers'
 * call histograms is read when metrics are collected, so the request path pays nothing for it.
 *
 * <table>
 *   <caption>Instruments</caption>
 *   <tr><th>Name</th><th>Attributes</th><th>What</th></tr>
 *   <tr><td>{@code recsuite.gateway.requests}</td><td>{@code outcome}: {@code all}, {@code
 *       degraded}, {@code failed}</td><td>validated requests; degraded answers; failed ones</td></tr>
 *   <tr><td>{@code recsuite.gateway.fallbacks}</td><td>{@code reason}</td><td>answers flagged with
 *       the reason</td></tr>
 *   <tr><td>{@code recsuite.gateway.downstream.calls}</td><td>{@code tier}, {@code kind}: {@code
 *       attempt}, {@code failure}, {@code retry}, {@code hedge}, {@code refused}</td><td>attempts
 *       sent, failed, retries and hedges among them, calls refused by the breaker or
 *       bulkhead</td></tr>
 *   <tr><td>{@code recsuite.gateway.breaker.openings}</td><td>{@code tier}</td><td>times the
 *       breaker opened</td></tr>
 *   <tr><td>{@code recsuite.gateway.popular_list.size}</td><td></td><td>items in the fallback
 *       list (0: no fallback yet)</td></tr>
 *   <tr><td>{@code recsuite.gateway.bundle.pinned}</td><td>{@code version}</td><td>1 for the
 *       version requests are pinned to</td></tr>
 * </table>
 */
public final class GatewayInstruments implements Managed {

  private static final Logger log = LoggerFactory.getLogger(GatewayInstruments.class);
  private static final AttributeKey<String> TIER = AttributeKey.stringKey("tier");
  private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> VERSION = AttributeKey.stringKey("version");

  private final Telemetry telemetry;
  private final ResilienceMetrics metrics;
  private final DownstreamCallers callers;
  private final PopularList popular;
  private final VersionPins pins;
  private final List<AutoCloseable> registered = new ArrayList<>();

  public GatewayInstruments(
      Telemetry telemetry, ResilienceMetrics metrics, DownstreamCallers callers, PopularList popular, VersionPins pins) {
    this.telemetry = telemetry;
    this.metrics = metrics;
    this.callers = callers;
    this.popular = popular;
    this.pins = pins;
  }

  /** Registers the instruments. */
  @Override
  public synchronized void start() {
    if (!registered.isEmpty()) {
      return;
    }
    Meter meter = telemetry.meter("dev.recsuite.gateway");
    Attributes all = Attributes.of(OUTCOME, "all");
    Attributes degraded = Attributes.of(OUTCOME, "degraded");
    Attributes failed = Attributes.of(OUTCOME, "failed");
    counter(meter, "recsuite.gateway.requests", "{request}",
        "Recommend requests that passed validation (outcome=all), answered degraded, or failed.",
        m -> {
          m.record(metrics.requests(), all);
          m.record(metrics.degradedRequests(), degraded);
          m.record(metrics.failedRequests(), failed);
        });
    List<DegradedReason> reasons = new ArrayList<>();
    List<Attributes> reasonAttributes = new ArrayList<>();
    for (DegradedReason reason : DegradedReason.values()) {
      if (reason != DegradedReason.DEGRADED_REASON_UNSPECIFIED && reason != DegradedReason.UNRECOGNIZED) {
        reasons.add(reason);
        reasonAttributes.add(Attributes.of(REASON, RecommendationPipeline.reasonName(reason)));
      }
    }
    counter(meter, "recsuite.gateway.fallbacks", "{answer}",
        "Answers flagged with a degraded reason; one answer may count under several.",
        m -> {
          for (int i = 0; i < reasons.size(); i++) {
            m.record(metrics.fallbacks(reasons.get(i)), reasonAttributes.get(i));
          }
        });
    List<String> kinds = List.of("attempt", "failure", "retry", "hedge", "refused");
    List<ToLongFunction<Downstream>> readers =
        List.of(metrics::attempts, metrics::failures, metrics::retries, metrics::hedges, metrics::refused);
    counter(meter, "recsuite.gateway.downstream.calls", "{call}",
        "Per tier: attempts sent, failed attempts, retries and hedges among them, calls refused by the breaker or bulkhead.",
        m -> {
          for (Downstream downstream : Downstream.values()) {
            for (int k = 0; k < kinds.size(); k++) {
              m.record(readers.get(k).applyAsLong(downstream), Attributes.of(TIER, downstream.label(), KIND, kinds.get(k)));
            }
          }
        });
    counter(meter, "recsuite.gateway.breaker.openings", "{opening}",
        "Times a tier's circuit breaker opened.",
        m -> {
          for (Downstream downstream : Downstream.values()) {
            m.record(metrics.breakerOpenings(downstream), Attributes.of(TIER, downstream.label()));
          }
        });
    registered.add(
        meter
            .gaugeBuilder("recsuite.gateway.popular_list.size")
            .ofLongs()
            .setDescription("Items in the cached popular list, the fallback when recall fails; 0 = no fallback yet.")
            .setUnit("{item}")
            .buildWithCallback(m -> m.record(popular.current().items().size())));
    registered.add(
        meter
            .gaugeBuilder("recsuite.gateway.bundle.pinned")
            .ofLongs()
            .setDescription("1 for the bundle version requests are pinned to (the newest every tier has loaded).")
            .setUnit("{bundle}")
            .buildWithCallback(
                m -> {
                  String pin = pins.current();
                  if (!pin.isEmpty()) {
                    m.record(1, Attributes.of(VERSION, pin));
                  }
                }));
    for (Downstream downstream : Downstream.values()) {
      DownstreamCaller caller = callers.of(downstream);
      registered.add(ResilienceInstruments.bind(meter, downstream.label(), caller.breaker(), caller.bulkhead()));
    }
  }

  private void counter(
      Meter meter, String name, String unit, String description, Consumer<ObservableLongMeasurement> callback) {
    registered.add(meter.counterBuilder(name).setDescription(description).setUnit(unit).buildWithCallback(callback));
  }

  /** Unregisters the instruments. */
  @Override
  public synchronized void stop() {
    for (AutoCloseable instrument : registered) {
      try {
        instrument.close();
      } catch (Exception e) {
        log.debug("closing an instrument failed", e);
      }
    }
    registered.clear();
  }
}
