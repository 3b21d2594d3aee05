package dev.recsuite.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one protocol measured.
 *
 * @param protocol the protocol
 * @param users users evaluated
 * @param skipped users left out (see {@link TestSet#skipped()})
 * @param negatives where the sampled negatives came from; empty for full ranking
 * @param listLength the list length asked of every method (20 for full ranking, the candidates
 *     for the sampled protocol)
 * @param methods the baselines, then the pipeline through the gateway, then in process
 * @param recallStages Recall@N of the recall stage per path; empty for the sampled protocol
 * @param pipelineAgreement gateway versus in-process pipeline; null when one of them did not run
 * @param recallAgreement recall tier versus recall engine; null when one of them did not run
 * @param ndcg10Lead by baseline name, the pipeline's NDCG@10 minus the baseline's, averaged over
 *     users with a paired bootstrap interval (the same resampled users for both); empty when the
 *     pipeline did not run
 */
public record ProtocolResult(
    Protocol protocol,
    int users,
    int skipped,
    String negatives,
    int listLength,
    List<MethodResult> methods,
    List<RecallStageResult> recallStages,
    Agreement pipelineAgreement,
    Agreement recallAgreement,
    Map<String, Estimate> ndcg10Lead) {

  /** Copies the collections. */
  public ProtocolResult {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(negatives, "negatives");
    methods = List.copyOf(methods);
    recallStages = List.copyOf(recallStages);
    ndcg10Lead = Collections.unmodifiableMap(new LinkedHashMap<>(ndcg10Lead));
  }

  /** The result of method {@code name}, or null. */
  public MethodResult method(String name) {
    return methods.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  /** Whether every method and probe ran and every comparison of paths agrees. */
  public boolean healthy() {
    return methods.stream().allMatch(MethodResult::ok)
        && recallStages.stream().allMatch(RecallStageResult::ok)
        && (pipelineAgreement == null || pipelineAgreement.agrees())
        && (recallAgreement == null || recallAgreement.agrees());
  }
}
