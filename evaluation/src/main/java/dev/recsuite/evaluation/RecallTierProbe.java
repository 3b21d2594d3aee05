package dev.recsuite.evaluation;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.Channel;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The recall stage as the gateway sees it: {@code RecallService.Recall} over gRPC for the user,
 * without query, exclusions or filter, asking for {@code maxCandidates} merged candidates. Because
 * the merge order does not depend on the cut, one call with a large {@code maxCandidates} answers
 * Recall@N for every smaller N, and (when it is at least the sum of the source quotas) shows every
 * source's whole list.
 */
public final class RecallTierProbe implements RecallProbe {

  private final RecallServiceGrpc.RecallServiceBlockingStub recall;
  private final int maxCandidates;
  private final Duration deadline;

  /**
   * @param channel a channel to the recall tier; it stays owned by the caller
   * @param maxCandidates {@code max_candidates} of each call, within the tier's limit (default 2,000)
   * @throws IllegalArgumentException if {@code maxCandidates < 1}
   */
  public RecallTierProbe(Channel channel, int maxCandidates, Duration deadline) {
    if (maxCandidates < 1) {
      throw new IllegalArgumentException("maxCandidates: " + maxCandidates + " (expected: >= 1)");
    }
    this.recall = RecallServiceGrpc.newBlockingStub(Objects.requireNonNull(channel, "channel"));
    this.maxCandidates = maxCandidates;
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  @Override
  public String name() {
    return "recall tier over gRPC";
  }

  @Override
  public boolean remote() {
    return true;
  }

  /** @throws io.grpc.StatusRuntimeException if the call fails */
  @Override
  public RecallOutcome probe(TestCase testCase) {
    RecallResponse response =
        recall
            .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
            .recall(
                RecallRequest.newBuilder()
                    .setUserId(testCase.userId())
                    .setMaxCandidates(maxCandidates)
                    .build());
    int position = -1;
    Set<RecallSource> sources = EnumSet.noneOf(RecallSource.class);
    Map<RecallSource, Integer> sizes = new EnumMap<>(RecallSource.class);
    for (int i = 0; i < response.getCandidatesCount(); i++) {
      Candidate candidate = response.getCandidates(i);
      boolean held = candidate.getItemId().equals(testCase.itemId());
      if (held) {
        position = i;
      }
      for (SourceScore score : candidate.getSourcesList()) {
        sizes.merge(score.getSource(), 1, Integer::sum);
        if (held) {
          sources.add(score.getSource());
        }
      }
    }
    return new RecallOutcome(position, sources, sizes);
  }
}
