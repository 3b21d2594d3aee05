package dev.recsuite.recall;

import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.grpc.RequestValidation;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.UnavailableException;
import dev.recsuite.grpc.telemetry.Telemetry;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.trace.Span;
import java.util.Objects;

/**
 * The {@code dev.recsuite.recall.v1.RecallService} endpoint: validates a {@link RecallRequest},
 * asks the current {@link RecallEngine} and answers with the merged candidates. Proto types stay
 * here; the engine works on records.
 *
 * <p>Invalid requests fail with {@code INVALID_ARGUMENT} whose description starts with the proto
 * field, e.g. {@code "max_candidates: 0 (expected: 1..2000)"} (through {@code
 * dev.recsuite.grpc.InvalidArgumentException} and the server's exception mapping):
 *
 * <ul>
 *   <li>{@code user_id}: 1 to 128 characters, not blank, no control characters;
 *   <li>{@code max_candidates}: 1 to the server's maximum;
 *   <li>{@code columnar_ids}: 0 to {@code max_candidates};
 *   <li>{@code query}: at most {@value #MAX_QUERY_LENGTH} characters;
 *   <li>{@code recent_item_ids}, {@code exclude_item_ids}, {@code candidate_item_ids}, {@code
 *       disliked_item_ids}: at most {@value #MAX_ITEM_IDS} ids, each a valid id (unknown ids are
 *       fine and ignored);
 *   <li>{@code filter.include_genres}, {@code filter.exclude_genres}: at most {@value #MAX_GENRES}
 *       values, each a valid id;
 *   <li>{@code bundle_version}: empty, or a valid id (a version that is not loaded is {@code
 *       NOT_FOUND}); checked so that a hostile value is never echoed, whole, in the {@code
 *       NOT_FOUND} description.
 * </ul>
 *
 * <p>Telemetry: the engine traces each source and the merge (see {@link RecallEngine}); this
 * endpoint adds the bundle version and whether the user is known to the call's server span and
 * records {@code recsuite.recall.candidates} (candidates per request, attribute {@code source}) and
 * {@code recsuite.recall.returned}.
 */
public final class RecallGrpcService extends RecallServiceGrpc.RecallServiceImplBase {

  /** The longest free-text query accepted. */
  public static final int MAX_QUERY_LENGTH = 512;
  /**
   * The most ids in each of {@code recent_item_ids}, {@code exclude_item_ids}, {@code
   * candidate_item_ids}, {@code disliked_item_ids}.
   */
  public static final int MAX_ITEM_IDS = 1_000;
  /** The most values in each genre list of the filter. */
  public static final int MAX_GENRES = 64;

  /** The bundle version that answered. */
  public static final AttributeKey<String> BUNDLE_VERSION = AttributeKey.stringKey("recsuite.bundle.version");
  /** Whether the bundle knows the user. */
  public static final AttributeKey<Boolean> KNOWN_USER = AttributeKey.booleanKey("recsuite.user.known");

  private static final RecallSource[] SOURCES = CandidateTable.SOURCES;
  private static final Attributes[] SOURCE_ATTRIBUTES = new Attributes[SOURCES.length];

  static {
    for (int s = 0; s < SOURCES.length; s++) {
      SOURCE_ATTRIBUTES[s] =
          Attributes.of(AttributeKey.stringKey("source"), SOURCES[s].name().substring("RECALL_SOURCE_".length()));
    }
  }

  private final ServedBundles<RecallEngine> engines;
  private final int maxCandidates;
  private final LongHistogram candidatesPerSource;
  private final LongHistogram returned;

  /**
   * @param engines the engines of the loaded bundle versions; a request leases the pinned one (or
   *     the newest)
   * @param maxCandidates the largest {@code max_candidates} accepted, {@code > 0}
   * @throws IllegalArgumentException if {@code maxCandidates <= 0}
   */
  public RecallGrpcService(ServedBundles<RecallEngine> engines, int maxCandidates) {
    this(engines, maxCandidates, Telemetry.noop());
  }

  /**
   * @param engines the engines of the loaded bundle versions; a request leases the pinned one (or
   *     the newest)
   * @param maxCandidates the largest {@code max_candidates} accepted, {@code > 0}
   * @param telemetry for the per-source candidate histograms
   * @throws IllegalArgumentException if {@code maxCandidates <= 0}
   */
  public RecallGrpcService(ServedBundles<RecallEngine> engines, int maxCandidates, Telemetry telemetry) {
    this.engines = Objects.requireNonNull(engines, "engines");
    if (maxCandidates <= 0) {
      throw new IllegalArgumentException("maxCandidates: " + maxCandidates + " (expected: > 0)");
    }
    this.maxCandidates = maxCandidates;
    var meter = telemetry.meter("dev.recsuite.recall");
    this.candidatesPerSource =
        meter
            .histogramBuilder("recsuite.recall.candidates")
            .ofLongs()
            .setDescription("Candidates a recall source proposed for one request (0 when it did not run), by source.")
            .setUnit("{candidate}")
            .build();
    this.returned =
        meter
            .histogramBuilder("recsuite.recall.returned")
            .ofLongs()
            .setDescription("Candidates one Recall call returned after the merge and cut.")
            .setUnit("{candidate}")
            .build();
  }

  @Override
  public void recall(RecallRequest request, StreamObserver<RecallResponse> responseObserver) {
    RecallQuery query = toQuery(request);
    RecallResult result;
    try (ServedBundles.Lease<RecallEngine> lease = engines.acquire(request.getBundleVersion())) {
      result = lease.model().recall(query);
    } catch (IllegalStateException e) {
      // Only while the process stops: the client should retry on another replica.
      throw new UnavailableException("recall-service is stopping", e);
    }
    for (int s = 0; s < SOURCES.length; s++) {
      candidatesPerSource.record(result.count(SOURCES[s]), SOURCE_ATTRIBUTES[s]);
    }
    returned.record(result.candidates().size());
    Span span = Span.current();
    if (span.isRecording()) {
      span.setAttribute(BUNDLE_VERSION, result.version());
      span.setAttribute(KNOWN_USER, result.knownUser());
    }
    responseObserver.onNext(
        request.getColumnar()
            ? toColumnarResponse(result, engines.newestVersion(), request.getColumnarIds())
            : toResponse(result, engines.newestVersion()));
    responseObserver.onCompleted();
  }

  private RecallQuery toQuery(RecallRequest request) {
    String userId = RequestValidation.requireId("user_id", request.getUserId());
    int max = RequestValidation.requireInRange("max_candidates", request.getMaxCandidates(), 1, maxCandidates);
    RequestValidation.requireInRange("columnar_ids", request.getColumnarIds(), 0, max);
    String text = RequestValidation.requireMaxLength("query", request.getQuery(), MAX_QUERY_LENGTH);
    RequestValidation.requireIds("recent_item_ids", request.getRecentItemIdsList(), MAX_ITEM_IDS);
    RequestValidation.requireIds("exclude_item_ids", request.getExcludeItemIdsList(), MAX_ITEM_IDS);
    RequestValidation.requireIds("candidate_item_ids", request.getCandidateItemIdsList(), MAX_ITEM_IDS);
    RequestValidation.requireIds("disliked_item_ids", request.getDislikedItemIdsList(), MAX_ITEM_IDS);
    ItemFilter filter = request.getFilter();
    RequestValidation.requireIds("filter.include_genres", filter.getIncludeGenresList(), MAX_GENRES);
    RequestValidation.requireIds("filter.exclude_genres", filter.getExcludeGenresList(), MAX_GENRES);
    if (!request.getBundleVersion().isEmpty()) {
      RequestValidation.requireId("bundle_version", request.getBundleVersion());
    }
    return new RecallQuery(
        userId,
        max,
        text,
        request.getRecentItemIdsList(),
        request.getExcludeItemIdsList(),
        filter.getIncludeGenresList(),
        filter.getExcludeGenresList(),
        request.getCandidateItemIdsList(),
        request.getDislikedItemIdsList());
  }

  /**
   * The answer in columns: dense item ids, one column per source that proposed something (in
   * {@code RecallSource} number order), and the external ids of the first {@code ids} candidates.
   */
  private static RecallResponse toColumnarResponse(RecallResult result, String newestVersion, int ids) {
    CandidateTable table = result.table();
    int size = table.size();
    CandidateColumns.Builder columns = CandidateColumns.newBuilder();
    for (int c = 0; c < size; c++) {
      columns.addItems(table.item(c));
    }
    for (int c = 0, n = Math.min(ids, size); c < n; c++) {
      columns.addItemIds(table.itemId(c));
    }
    for (int s = 0; s < SOURCES.length; s++) {
      SourceColumn.Builder column = null;
      for (int c = 0; c < size; c++) {
        int rank = table.rank(c, s);
        if (rank >= 0) {
          if (column == null) {
            column = columns.addSourcesBuilder().setSource(SOURCES[s]);
          }
          column.addCandidates(c).addScores(table.score(c, s)).addRanks(rank);
        }
      }
    }
    return RecallResponse.newBuilder()
        .setBundleVersion(result.version())
        .setNewestBundleVersion(newestVersion)
        .setKnownUser(result.knownUser())
        .setColumns(columns)
        .build();
  }

  private static RecallResponse toResponse(RecallResult result, String newestVersion) {
    RecallResponse.Builder response =
        RecallResponse.newBuilder()
            .setBundleVersion(result.version())
            .setNewestBundleVersion(newestVersion)
            .setKnownUser(result.knownUser());
    CandidateTable table = result.table();
    for (int c = 0; c < table.size(); c++) {
      Candidate.Builder out = response.addCandidatesBuilder().setItemId(table.itemId(c));
      for (int s = 0; s < SOURCES.length; s++) {
        int rank = table.rank(c, s);
        if (rank >= 0) {
          out.addSources(SourceScore.newBuilder().setSource(SOURCES[s]).setScore(table.score(c, s)).setRank(rank));
        }
      }
    }
    return response.build();
  }
}
