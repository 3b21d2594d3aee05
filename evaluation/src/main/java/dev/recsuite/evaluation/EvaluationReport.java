package dev.recsuite.evaluation;

import dev.recsuite.bundle.v1.BundleManifest;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of the harness: what was evaluated, how, and every figure.
 *
 * @param commandLine the arguments the command ran with
 * @param started when the run started
 * @param seconds how long the whole run took, training included
 * @param manifest the manifest of the evaluated bundle
 * @param settings the run's settings by name, for the record
 * @param protocols the results, one per protocol run
 * @param anchors published figures printed beside the sampled protocol's
 */
public record EvaluationReport(
    List<String> commandLine,
    Instant started,
    double seconds,
    BundleManifest manifest,
    Map<String, String> settings,
    List<ProtocolResult> protocols,
    List<Anchor> anchors) {

  /** Copies the collections. */
  public EvaluationReport {
    commandLine = List.copyOf(commandLine);
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(manifest, "manifest");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    protocols = List.copyOf(protocols);
    anchors = List.copyOf(anchors);
  }

  /** Whether every protocol is healthy (see {@link ProtocolResult#healthy()}). */
  public boolean healthy() {
    return protocols.stream().allMatch(ProtocolResult::healthy);
  }
}
