package dev.recsuite.ranking.internal;

import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.OnlineActivity;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.grpc.InvalidArgumentException;
import dev.recsuite.grpc.RequestValidation;
import dev.recsuite.grpc.UnavailableException;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.ranking.FactorizationMachineRanker;
import dev.recsuite.ranking.LinearRanker;
import dev.recsuite.ranking.Ranker;
import dev.recsuite.ranking.ServingModel;
import dev.recsuite.ranking.StaticItemFeatures;
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
import java.util.Map;
import java.util.Objects;

/**
 * {@code dev.recsuite.ranking.v1.RankingService}: validates a {@link RankRequest}, scores every
 * candidate with the current model and returns them all by descending score (ties in request
 * order), or the best {@code max_items} of them. A candidate without {@code features} is scored
 * with the static item features of the bundle version that serves the request; the first {@code
 * describe_top} items of the answer carry their title and genres from that bundle's catalogue; each
 * item carries its position among the request's candidates. Candidates sent in columns ({@code
 * columns}: dense item ids of the pinned {@code bundle_version}, one column per source) are scored
 * with that version's static features, exactly as the same candidates sent as messages, and
 * answered the same way ({@code candidate_index} indexes {@code columns.items}). Invalid requests
 * throw {@link InvalidArgumentException}, which the server's interceptor turns into {@code
 * INVALID_ARGUMENT} naming the field.
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
    boolean columnar = validate(request);
    List<RankCandidate> candidates = request.getCandidatesList();
    CandidateColumns columns = request.getColumns();
    int batch = columnar ? columns.getItemsCount() : candidates.size();
    float[] scores;
    String version;
    StaticItemFeatures items;
    batchSizes.record(batch);
    // Nothing at all when the call's span is not sampled: the hot path stays as it was.
    Span span = Span.current().isRecording() ? tracer.spanBuilder("ranking.score").startSpan() : Span.getInvalid();
    try (ServedBundles.Lease<ServingModel> lease = models.acquire(request.getBundleVersion())) {
      // A request without `user` reads as the default instance: an unknown user, as the features say.
      Ranker ranker = lease.model().ranker();
      // The table stays valid after the lease ends: it is immutable and only dropped from the map.
      items = lease.model().items();
      version = lease.version();
      if (columnar) {
        requireCatalogueItems(columns, items, version);
        scores = ranker.score(request.getUser(), columns, items);
      } else {
        scores = ranker.score(request.getUser(), candidates, items);
      }
      if (span.isRecording()) {
        span.setAttribute(MODEL_VERSION, version);
        span.setAttribute(MODEL_KIND, kind(ranker));
        span.setAttribute(BATCH_SIZE, (long) batch);
      }
    } catch (IllegalStateException e) {
      // Only while the process stops: the client should retry on another replica.
      throw new UnavailableException("ranking-service is stopping", e);
    } finally {
      span.end();
    }
    int answered = request.getMaxItems() > 0 ? Math.min(request.getMaxItems(), scores.length) : scores.length;
    // Only the answered items are ordered: the gateway asks for a few dozen of 500 candidates.
    int[] order = ScoreOrder.descending(scores, answered);
    RankResponse.Builder response =
        RankResponse.newBuilder().setModelVersion(version).setNewestBundleVersion(models.newestVersion());
    int describe = Math.min(request.getDescribeTop(), answered);
    for (int i = 0; i < answered; i++) {
      int position = order[i];
      String itemId;
      ItemFeatures features = null;
      if (columnar) {
        int item = columns.getItems(position);
        itemId = items.id(item);
        if (i < describe) {
          features = items.item(item);
        }
      } else {
        itemId = candidates.get(position).getItemId();
        if (i < describe) {
          // From the bundle's catalogue even when the request carried features: one source of
          // truth for display, whoever computed the features.
          features = items.item(itemId);
        }
      }
      ScoredItem.Builder item =
          ScoredItem.newBuilder().setItemId(itemId).setScore(scores[position]).setCandidateIndex(position);
      if (features != null && features.getKnown()) {
        item.setTitle(features.getTitle()).addAllGenres(features.getGenresList());
      }
      response.addItems(item);
    }
    responseObserver.onNext(response.build());
    responseObserver.onCompleted();
  }

  /**
   * Checks that every dense item id of {@code columns} is a position in the catalogue of the leased
   * version: only known once the version is leased.
   */
  private static void requireCatalogueItems(CandidateColumns columns, StaticItemFeatures items, String version) {
    int size = items.size();
    for (int i = 0, n = columns.getItemsCount(); i < n; i++) {
      int item = columns.getItems(i);
      if (item < 0 || item >= size) {
        throw new InvalidArgumentException(
            "columns.items[" + i + "]",
            item
                + (size == 0
                    ? " (expected: a dense item id, but bundle version " + version + " has no catalogue items)"
                    : " (expected: 0.." + (size - 1) + ", a position in the catalogue of bundle version "
                        + version + ")"));
      }
    }
  }

  private static String kind(Ranker ranker) {
    return switch (ranker) {
      case LinearRanker ignored -> LinearRanker.KIND;
      case FactorizationMachineRanker ignored -> FactorizationMachineRanker.KIND;
      default -> ranker.getClass().getSimpleName();
    };
  }

  /** Most recent, disliked or consumed item ids of the user a request may carry (per list). */
  static final int MAX_USER_ITEMS = 1_000;
  /** Most entries of the user's genre affinities, attributes or online counts. */
  static final int MAX_USER_ENTRIES = 256;
  /** Most recall sources per candidate, or columns of a request in columns (there are six sources). */
  static final int MAX_SOURCES = 16;

  /**
   * Checks what can be checked before a bundle version is leased.
   *
   * @return whether the candidates come in columns
   */
  private boolean validate(RankRequest request) {
    if (!request.getBundleVersion().isEmpty()) {
      // Checked as an id: a hostile value would otherwise be repeated whole in NOT_FOUND.
      RequestValidation.requireId("bundle_version", request.getBundleVersion());
    }
    validateUser(request.getUser());
    if (request.getDescribeTop() < 0) {
      throw new InvalidArgumentException("describe_top", request.getDescribeTop() + " (expected: >= 0)");
    }
    if (request.getMaxItems() < 0) {
      throw new InvalidArgumentException("max_items", request.getMaxItems() + " (expected: >= 0)");
    }
    int count = request.getCandidatesCount();
    CandidateColumns columns = request.getColumns();
    // Columns count as set when they hold candidates or sources; `item_ids` alone is ignored.
    boolean columnar = columns.getItemsCount() > 0 || columns.getSourcesCount() > 0;
    if (count > 0 && columnar) {
      throw new InvalidArgumentException("columns", "set with candidates (expected: one of the two)");
    }
    if (columnar) {
      validateColumns(request);
      return true;
    }
    if (count < 1 || count > maxBatch) {
      throw new InvalidArgumentException(
          "candidates",
          count + " candidates" + (count == 0 ? " and no columns.items" : "") + " (expected: 1.." + maxBatch + ")");
    }
    for (int i = 0; i < count; i++) {
      String itemId = request.getCandidates(i).getItemId();
      try {
        RequestValidation.requireId("item_id", itemId);
      } catch (InvalidArgumentException e) {
        // The indexed field name is built only on failure: no string per valid candidate.
        throw new InvalidArgumentException("candidates[" + i + "].item_id", e.problem());
      }
      RankCandidate candidate = request.getCandidates(i);
      if (candidate.getSourcesCount() > MAX_SOURCES) {
        throw new InvalidArgumentException(
            "candidates[" + i + "].sources", candidate.getSourcesCount() + " (expected: at most " + MAX_SOURCES + ")");
      }
      for (int j = 0; j < candidate.getSourcesCount(); j++) {
        if (candidate.getSources(j).getRank() < 0) {
          throw new InvalidArgumentException(
              "candidates[" + i + "].sources[" + j + "].rank", candidate.getSources(j).getRank() + " (expected: >= 0)");
        }
      }
    }
    return false;
  }

  /**
   * The columns' shape: 1..maxBatch items, parallel arrays of equal length, candidate indexes into
   * the items, ranks {@code >= 0}. Whether each item is in the catalogue is known only once the
   * version is leased ({@link #requireCatalogueItems}).
   */
  private void validateColumns(RankRequest request) {
    if (request.getBundleVersion().isEmpty()) {
      throw new InvalidArgumentException(
          "bundle_version", "required with columns (dense item ids are read against that version's catalogue)");
    }
    CandidateColumns columns = request.getColumns();
    int count = columns.getItemsCount();
    if (count < 1 || count > maxBatch) {
      throw new InvalidArgumentException("columns.items", count + " items (expected: 1.." + maxBatch + ")");
    }
    if (columns.getSourcesCount() > MAX_SOURCES) {
      throw new InvalidArgumentException(
          "columns.sources", columns.getSourcesCount() + " columns (expected: at most " + MAX_SOURCES + ")");
    }
    for (int j = 0; j < columns.getSourcesCount(); j++) {
      SourceColumn column = columns.getSources(j);
      int entries = column.getCandidatesCount();
      if (column.getScoresCount() != entries) {
        throw new InvalidArgumentException(
            "columns.sources[" + j + "].scores",
            column.getScoresCount() + " values (expected: " + entries + ", one per candidate of the column)");
      }
      if (column.getRanksCount() != entries) {
        throw new InvalidArgumentException(
            "columns.sources[" + j + "].ranks",
            column.getRanksCount() + " values (expected: " + entries + ", one per candidate of the column)");
      }
      for (int n = 0; n < entries; n++) {
        int candidate = column.getCandidates(n);
        if (candidate < 0 || candidate >= count) {
          throw new InvalidArgumentException(
              "columns.sources[" + j + "].candidates[" + n + "]",
              candidate + " (expected: 0.." + (count - 1) + ", an index into columns.items)");
        }
        if (column.getRanks(n) < 0) {
          throw new InvalidArgumentException(
              "columns.sources[" + j + "].ranks[" + n + "]", column.getRanks(n) + " (expected: >= 0)");
        }
      }
    }
  }

  /** The user's features as the gateway forwards them: ids, counts and sizes within bounds. */
  private static void validateUser(UserFeatures user) {
    if (!user.getUserId().isEmpty()) {
      RequestValidation.requireId("user.user_id", user.getUserId());
    }
    RequestValidation.requireNonNegative("user.interaction_count", user.getInteractionCount());
    RequestValidation.requireIds("user.recent_item_ids", user.getRecentItemIdsList(), MAX_USER_ITEMS);
    RequestValidation.requireIds("user.disliked_item_ids", user.getDislikedItemIdsList(), MAX_USER_ITEMS);
    requireAtMost("user.genre_affinity", user.getGenreAffinityCount(), MAX_USER_ENTRIES);
    requireAtMost("user.attributes", user.getAttributesCount(), MAX_USER_ENTRIES);
    OnlineActivity online = user.getOnline();
    RequestValidation.requireNonNegative("user.online.event_count", online.getEventCount());
    RequestValidation.requireIds("user.online.consumed_item_ids", online.getConsumedItemIdsList(), MAX_USER_ITEMS);
    requireAtMost("user.online.counts", online.getCountsCount(), MAX_USER_ENTRIES);
    for (Map.Entry<String, Long> count : online.getCountsMap().entrySet()) {
      String key = RequestValidation.requireId("user.online.counts (a key)", count.getKey());
      if (count.getValue() < 0) {
        throw new InvalidArgumentException("user.online.counts[\"" + key + "\"]", count.getValue() + " (expected: >= 0)");
      }
    }
  }

  private static void requireAtMost(String field, int count, int max) {
    if (count > max) {
      throw new InvalidArgumentException(field, count + " entries (expected: at most " + max + ")");
    }
  }

  @Override
  public String toString() {
    return "RankingGrpcService[maxBatch=" + maxBatch + ", versions=" + models.versions() + "]";
  }
}
