package dev.recsuite.ranking.internal;

import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.RequestValidation;
import dev.recsuite.grpc.UnavailableException;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.FactorizationMachineRanker;
import dev.recsuite.ranking.LinearRanker;
import dev.recsuite.ranking.Ranker;
import dev.recsuite.ranking.ServingModel;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.ranking.v1.ScoredItem;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.Objects;

/**
 * {@code dev.recsuite.ranking.v1.RankingService}: validates a {@link RankRequest}, scores every
 * candidate with the current model and returns them all by descending score (ties in request
 * order). Invalid requests throw {@link InvalidArgumentException}, which the server's interceptor
 * turns into {@code INVALID_ARGUMENT} naming the field.
 *
 * <p>A request leases one bundle version's model (the pinned one, or the newest) from {@link
 * ServedBundles}, so a model swap never mixes two models (or reports the wrong version) within one
 * answer.
 *
 * <p>Telemetry: the scoring is a span ({@code ranking.score}) under the call's server span with the
 * model version and kind and the batch size; {@code recsuite.ranking.batch_size} records the
 * candidates per request.
 */
public final class RankingGrpcService extends RankingServiceGrpc.RankingServiceImplBase {

  /** The bundle version of the model that scored. */
  public static final AttributeKey<String> MODEL_VERSION = AttributeKey.stringKey("recsuite.model.version");
  /** The model's kind, e.g. {@code fm}. */
  public static final AttributeKey<String> MODEL_KIND = AttributeKey.stringKey("recsuite.model.kind");
  /** Candidates scored. */
  public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("recsuite.ranking.batch_size");

  private final ServedBundles<ServingModel> models;
  private final int maxBatch;
  private final Tracer tracer;
  private final LongHistogram batchSizes;

  /**
   * @param models the models of the loaded bundle versions
   * @param maxBatch the most candidates one request may carry, {@code > 0}
   * @throws IllegalArgumentException if {@code maxBatch <= 0}
   */
  public RankingGrpcService(ServedBundles<ServingModel> models, int maxBatch) {
    this(models, maxBatch, Telemetry.noop());
  }

  /**
   * @param models the models of the loaded bundle versions
   * @param maxBatch the most candidates one request may carry, {@code > 0}
   * @param telemetry for the scoring span and the batch-size histogram
   * @throws IllegalArgumentException if {@code maxBatch <= 0}
   */
  public RankingGrpcService(ServedBundles<ServingModel> models, int maxBatch, Telemetry telemetry) {
    this.models = Objects.requireNonNull(models, "models");
    if (maxBatch <= 0) {
      throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: > 0)");
    }
    this.maxBatch = maxBatch;
    this.tracer = telemetry.tracer("dev.recsuite.ranking");
    this.batchSizes =
        telemetry
            .meter("dev.recsuite.ranking")
            .histogramBuilder("recsuite.ranking.batch_size")
            .ofLongs()
            .setDescription("Candidates scored per Rank call.")
            .setUnit("{candidate}")
            .build();
  }

  @Override
  public void rank(RankRequest request, StreamObserver<RankResponse> responseObserver) {
    validate(request);
    List<RankCandidate> candidates = request.getCandidatesList();
    float[] scores;
    String version;
    batchSizes.record(candidates.size());
    // Nothing at all when the call's span is not sampled: the hot path stays as it was.
    Span span = Span.current().isRecording() ? tracer.spanBuilder("ranking.score").startSpan() : Span.getInvalid();
    try (ServedBundles.Lease<ServingModel> lease = models.acquire(request.getBundleVersion())) {
      // A request without `user` reads as the default instance: an unknown user, as the features say.
      Ranker ranker = lease.model().ranker();
      scores = ranker.score(request.getUser(), candidates);
      version = lease.version();
      if (span.isRecording()) {
        span.setAttribute(MODEL_VERSION, version);
        span.setAttribute(MODEL_KIND, kind(ranker));
        span.setAttribute(BATCH_SIZE, (long) candidates.size());
      }
    } catch (IllegalStateException e) {
      // Only while the process stops: the client should retry on another replica.
      throw new UnavailableException("ranking-service is stopping", e);
    } finally {
      span.end();
    }
    int[] order = ScoreOrder.descending(scores);
    RankResponse.Builder response =
        RankResponse.newBuilder().setModelVersion(version).setNewestBundleVersion(models.newestVersion());
    for (int position : order) {
      response.addItems(
          ScoredItem.newBuilder()
              .setItemId(candidates.get(position).getItemId())
              .setScore(scores[position]));
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  private static String kind(Ranker ranker) {
    return switch (ranker) {
      case LinearRanker ignored -> LinearRanker.KIND;
      case FactorizationMachineRanker ignored -> FactorizationMachineRanker.KIND;
      default -> ranker.getClass().getSimpleName();
    };
  }

  private void validate(RankRequest request) {
    int count = request.getCandidatesCount();
    if (count < 1 || count > maxBatch) {
      throw new InvalidArgumentException(
          "candidates", count + " candidates (expected: 1.." + maxBatch + ")");
    }
    for (int i = 0; i < count; i++) {
      String itemId = request.getCandidates(i).getItemId();
      try {
        RequestValidation.requireId("item_id", itemId);
      } catch (InvalidArgumentException e) {
        // The indexed field name is built only on failure: no string per valid candidate.
        throw new InvalidArgumentException("candidates[" + i + "].item_id", e.problem());
      }
    }
  }

  @Override
  public String toString() {
    return "RankingGrpcService[maxBatch=" + maxBatch + ", versions=" + models.versions() + "]";
  }
}
