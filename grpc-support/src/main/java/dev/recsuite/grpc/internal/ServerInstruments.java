package dev.recsuite.grpc.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's load as OpenTelemetry instruments, read when metrics are collected (nothing on the
 * call path): {@code recsuite.server.calls_in_flight}, {@code recsuite.server.shed_calls} and
 * {@code recsuite.server.max_concurrent_calls}, each with the attribute {@code service} (the
 * server's name). Close it when the server stops.
 */
public final class ServerInstruments implements AutoCloseable {

  /** The attribute naming the server, e.g. {@code recall-service}. */
  public static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service");

  /** The attribute naming the client of a throttled call, e.g. {@code web-frontend}. */
  public static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client");

  private static final Logger log = LoggerFactory.getLogger(ServerInstruments.class);

  private final List<AutoCloseable> instruments;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Registers the instruments.
   *
   * @param inFlight the calls of the server's own services in flight
   * @param shed the calls shed so far
   * @param limit the concurrency limit, 0 when shedding is off
   */
  public ServerInstruments(Meter meter, String service, IntSupplier inFlight, LongSupplier shed, int limit) {
    Attributes attributes = Attributes.of(SERVICE, service);
    this.instruments =
        List.of(
            meter
                .upDownCounterBuilder("recsuite.server.calls_in_flight")
                .setDescription("Calls of the server's own services in flight (health and reflection not counted).")
                .setUnit("{call}")
                .buildWithCallback(m -> m.record(inFlight.getAsInt(), attributes)),
            meter
                .counterBuilder("recsuite.server.shed_calls")
                .setDescription("Calls answered RESOURCE_EXHAUSTED at once by load shedding (--max-concurrent-calls).")
                .setUnit("{call}")
                .buildWithCallback(m -> m.record(shed.getAsLong(), attributes)),
            meter
                .gaugeBuilder("recsuite.server.max_concurrent_calls")
                .ofLongs()
                .setDescription("The load-shedding limit; 0 = off.")
                .setUnit("{call}")
                .buildWithCallback(m -> m.record(limit, attributes)));
  }

  /**
   * The counter {@code recsuite.server.throttled_calls}: calls answered {@code RESOURCE_EXHAUSTED}
   * because their client was over its quota, with the attributes {@code service} and {@code
   * client}. The returned consumer counts one call of the client it is given.
   */
  public static Consumer<String> throttledCalls(Meter meter, String service) {
    LongCounter counter =
        meter
            .counterBuilder("recsuite.server.throttled_calls")
            .setDescription("Calls refused because their client was over its quota (--client-quota), by client.")
            .setUnit("{call}")
            .build();
    return client -> counter.add(1, Attributes.of(SERVICE, service, CLIENT, client));
  }

  /** Unregisters the instruments; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable instrument : instruments) {
      try {
        instrument.close();
      } catch (Exception e) {
        log.debug("closing an instrument failed", e);
      }
    }
  }
}
