package dev.recsuite.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one method under one protocol.
 *
 * @param name the method's name
 * @param description what the method is
 * @param users users evaluated
 * @param metrics per-user metrics averaged over users, by name ({@code hr@10}, {@code ndcg@10},
 *     {@code mrr}...), in display order
 * @param coverage catalogue coverage of the top-10 lists (see {@link Metrics})
 * @param novelty mean novelty of the top-10 items (see {@link Metrics})
 * @param seconds wall-clock time the method took over all users
 * @param failure why the method could not be evaluated; empty when it was
 */
public record MethodResult(
    String name,
    String description,
    int users,
    Map<String, Estimate> metrics,
    double coverage,
    double novelty,
    double seconds,
    String failure) {

  /** Copies the metrics, keeping their order. */
  public MethodResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    Objects.requireNonNull(failure, "failure");
  }

  /** A method that failed: no figures, only the reason. */
  public static MethodResult failed(String name, String description, double seconds, String failure) {
    return new MethodResult(name, description, 0, Map.of(), 0, 0, seconds, failure);
  }

  /** Whether the method was evaluated. */
  public boolean ok() {
    return failure.isEmpty();
  }

  /** The mean of metric {@code name}, or NaN when absent. */
  public double mean(String metric) {
    Estimate estimate = metrics.get(metric);
    return estimate == null ? Double.NaN : estimate.mean();
  }
}
