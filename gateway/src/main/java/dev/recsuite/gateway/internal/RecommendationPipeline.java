package dev.recsuite.gateway.internal;

import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.gateway.DownstreamPolicy;
import dev.recsuite.gateway.GatewayConfig;
import dev.recsuite.gateway.v1.DegradedReason;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.ScoredItem;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's fan-out for one validated request: user features, then recall with the user's
 * fresh history (or both in parallel, see below), then item features for the candidates, then
 * ranking; then the final filter and cut. Runs on the calling (virtual) thread, which blocks only
 * while waiting for downstream answers.
 *
 * <p>Fresh history ({@code --recall-fresh-history}, on by default): the user's features come first,
 * and recall gets the items of the user's recorded feedback as recent items (they seed CONTENT,
 * CO_OCCURRENCE and the collaborative fold-in, and are never returned) and the disliked ones (never
 * returned, near-duplicates pushed down), so what the user did a moment ago shapes this answer. It
 * costs one feature hop before recall starts. When the user features fail, recall runs with the
 * bundle's history alone and the answer is flagged {@code USER_FEATURES_UNAVAILABLE}, as before.
 * Off, recall and user features run in parallel and recall sees only the bundle's history. In both
 * modes the final filter drops the user's consumed and disliked items (also from the popular-list
 * fallback).
 *
 * <p>Every call goes through its tier's {@link DownstreamCaller} (bulkhead, circuit breaker,
 * retries, hedging) with a deadline carved from the request's by the {@link TimeBudget}, and every
 * call of one request is pinned to the same bundle version ({@link VersionPins}).
 *
 * <p>Fallbacks, each flagged in the answer and counted: recall failing → the cached {@link
 * PopularList} (or, when the request lists {@code candidate_item_ids}, those items), filtered by
 * the request's exclusions and genres, still ranked when ranking answers; user or item features
 * failing → the feature service's documented defaults ({@code known = false}); ranking failing →
 * recall order. A request with too little time for any call gets the popular list at once. The
 * request fails only without any fallback: {@code UNAVAILABLE} when recall failed before the
 * popular list was ever loaded.
 *
 * <p>Tracing: the request's server span gets the request id, the candidates, the model version
 * and, for a degraded answer, its reasons ({@code recsuite.degraded_reasons}); each fallback is an
 * event ({@code fallback}) naming the reason and the status that caused it. Nothing is computed
 * when the span is not sampled.
 */
public final class RecommendationPipeline {

  private static final Logger log = LoggerFactory.getLogger(RecommendationPipeline.class);

  /** The request id the gateway answers with. */
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("recsuite.request_id");
  /** Whether the answer was degraded. */
  public static final AttributeKey<Boolean> DEGRADED = AttributeKey.booleanKey("recsuite.degraded");
  /** The degraded reasons, e.g. {@code [RECALL_UNAVAILABLE]}. */
  public static final AttributeKey<java.util.List<String>> DEGRADED_REASONS =
      AttributeKey.stringArrayKey("recsuite.degraded_reasons");
  /** The answer's model version. */
  public static final AttributeKey<String> MODEL_VERSION = AttributeKey.stringKey("recsuite.model.version");
  /** Candidates the answer was ranked from. */
  public static final AttributeKey<Long> CANDIDATES = AttributeKey.longKey("recsuite.candidates");
  /** On a {@code fallback} event: the reason, e.g. {@code RANKING_UNAVAILABLE}. */
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("recsuite.fallback.reason");
  /** On a {@code fallback} event: the status that caused it. */
  public static final AttributeKey<String> CAUSE = AttributeKey.stringKey("recsuite.fallback.cause");

  /** The most ids recall accepts in {@code recent_item_ids} and {@code disliked_item_ids}. */
  private static final int MAX_RECALL_IDS = 1_000;

  /** How long past a hop's deadline the pipeline waits for its future: the call ends at the deadline. */
  private static final long AWAIT_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Downstreams stubs;
  private final DownstreamCallers callers;
  private final int recallCandidates;
  private final DownstreamPolicy recallPolicy;
  private final DownstreamPolicy featurePolicy;
  private final DownstreamPolicy rankingPolicy;
  private final TimeBudget budget;
  private final boolean freshHistory;
  private final VersionPins pins;
  private final PopularList popular;
  private final ResilienceMetrics metrics;

  /**
   * @param stubs the tiers' stubs
   * @param callers the resilience policy of each tier
   * @param config the recall candidates, the shares and timeouts of the hops, the reserve
   * @param pins the bundle version requests are pinned to, updated from the tiers' answers
   * @param popular the fallback when recall fails
   */
  public RecommendationPipeline(
      Downstreams stubs,
      DownstreamCallers callers,
      GatewayConfig config,
      VersionPins pins,
      PopularList popular,
      ResilienceMetrics metrics) {
    this.stubs = stubs;
    this.callers = callers;
    this.recallCandidates = config.recallCandidates();
    this.recallPolicy = config.recall();
    this.featurePolicy = config.features();
    this.rankingPolicy = config.ranking();
    this.budget = new TimeBudget(config.answerReserve(), config.minCallTime());
    this.freshHistory = config.freshHistory();
    this.pins = pins;
    this.popular = popular;
    this.metrics = metrics;
  }

  /**
   * Produces the answer to {@code request}, degraded if it has to be.
   *
   * @param deadline the request's deadline; every downstream call ends before it
   * @throws StatusRuntimeException {@code UNAVAILABLE} when recall failed and there is no fallback
   *     list yet, {@code DEADLINE_EXCEEDED} when the deadline is too short for any call and there
   *     is no fallback list yet, {@code CANCELLED} when the caller went away
   */
  public RecommendResponse recommend(RecommendRequest request, String requestId, Deadline deadline) {
    metrics.request();
    try {
      RecommendResponse response = answer(request, requestId, deadline);
      metrics.answered(response.getDegraded(), response.getDegradedReasonsList());
      Span span = Span.current();
      if (span.isRecording()) {
        span.setAttribute(REQUEST_ID, requestId);
        span.setAttribute(MODEL_VERSION, response.getModelVersion());
        span.setAttribute(DEGRADED, response.getDegraded());
        if (response.getDegraded()) {
          span.setAttribute(
              DEGRADED_REASONS, response.getDegradedReasonsList().stream().map(RecommendationPipeline::reasonName).toList());
        }
      }
      return response;
    } catch (RuntimeException | Error e) {
      metrics.failed();
      throw e;
    }
  }

  private RecommendResponse answer(RecommendRequest request, String requestId, Deadline deadline) {
    Set<DegradedReason> degraded = EnumSet.noneOf(DegradedReason.class);
    if (budget.tooShort(deadline)) {
      Fallback fallback = fallback(request, Fresh.NONE);
      if (fallback == null) {
        throw Status.DEADLINE_EXCEEDED
            .withDescription(
                "deadline too short: " + Math.max(0, deadline.timeRemaining(TimeUnit.MILLISECONDS))
                    + " ms left, the gateway needs at least " + budget.needed().toMillis()
                    + " ms to call its tiers, and it has no cached popular list yet")
            .asRuntimeException();
      }
      degraded.add(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
      degraded.add(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
      fallbackEvent(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE, "deadline too short for any call");
      return assemble(
          request, requestId, fallback.candidates(), recallOrder(fallback.candidates()), null,
          fallback.version(), degraded, Fresh.NONE);
    }

    String pin = pins.current();
    boolean pinned = !pin.isEmpty();
    GetUserFeaturesRequest userRequest =
        GetUserFeaturesRequest.newBuilder().setUserId(request.getUserId()).setBundleVersion(pin).build();
    Deadline userHop = budget.hop(deadline, featurePolicy.share(), featurePolicy.timeout());
    CompletableFuture<GetUserFeaturesResponse> userCall =
        callers.features().call(userHop, pinned, d -> stubs.features().withDeadline(d).getUserFeatures(userRequest));
    UserFeatures user = null;
    Fresh fresh = Fresh.NONE;
    if (freshHistory) {
      // One hop before recall: recall must see what the user did a moment ago.
      user = awaitUser(userCall, userHop, request.getUserId(), degraded);
      fresh = Fresh.of(user);
    }
    RecallRequest recallRequest =
        RecallRequest.newBuilder()
            .setUserId(request.getUserId())
            .setMaxCandidates(
                Math.max(Math.max(recallCandidates, request.getK()), request.getCandidateItemIdsCount()))
            .setQuery(request.getQuery())
            .addAllExcludeItemIds(request.getExcludeItemIdsList())
            .setFilter(request.getFilter())
            .addAllCandidateItemIds(request.getCandidateItemIdsList())
            .setBundleVersion(pin)
            .addAllRecentItemIds(limit(fresh.consumed(), MAX_RECALL_IDS))
            .addAllDislikedItemIds(limit(fresh.disliked(), MAX_RECALL_IDS))
            .build();
    Deadline recallHop = budget.hop(deadline, recallPolicy.share(), recallPolicy.timeout());
    CompletableFuture<RecallResponse> recallCall =
        callers.recall().call(recallHop, pinned, d -> stubs.recall().withDeadline(d).recall(recallRequest));

    List<Candidate> candidates;
    String recallVersion;
    try {
      RecallResponse recall = await(recallCall, recallHop);
      pins.recallLoaded(recall.getNewestBundleVersion());
      candidates = recall.getCandidatesList();
      recallVersion = recall.getBundleVersion();
    } catch (StatusRuntimeException e) {
      Fallback fallback = fallback(request, fresh);
      if (fallback == null) {
        userCall.cancel(true);
        throw Status.UNAVAILABLE
            .withDescription(
                "recall tier failed (" + e.getStatus().getCode() + ": " + nullToEmpty(e.getStatus().getDescription())
                    + ") and the gateway has no cached popular list yet")
            .asRuntimeException();
      }
      log.debug("recall failed, answering from the popular list: {}", e.getStatus());
      degraded.add(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
      fallbackEvent(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE, e.getStatus());
      candidates = fallback.candidates();
      recallVersion = fallback.version();
    }
    Span span = Span.current();
    if (span.isRecording()) {
      span.setAttribute(CANDIDATES, (long) candidates.size());
    }
    if (candidates.isEmpty()) {
      userCall.cancel(true);
      return assemble(request, requestId, candidates, List.of(), null, recallVersion, degraded, fresh);
    }

    List<String> candidateIds = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      candidateIds.add(candidate.getItemId());
    }
    GetItemFeaturesRequest itemRequest =
        GetItemFeaturesRequest.newBuilder().addAllItemIds(candidateIds).setBundleVersion(pin).build();
    Deadline itemHop = budget.hop(deadline, featurePolicy.share(), featurePolicy.timeout());
    CompletableFuture<GetItemFeaturesResponse> itemCall =
        callers.features().call(itemHop, pinned, d -> stubs.features().withDeadline(d).getItemFeatures(itemRequest));

    if (user == null) {
      user = awaitUser(userCall, userHop, request.getUserId(), degraded);
      fresh = Fresh.of(user);
    }
    List<ItemFeatures> items = awaitItems(itemCall, itemHop, candidateIds, degraded);

    RankRequest.Builder rank = RankRequest.newBuilder().setUser(user).setBundleVersion(pin);
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      rank.addCandidates(
          RankCandidate.newBuilder()
              .setItemId(candidate.getItemId())
              .addAllSources(candidate.getSourcesList())
              .setFeatures(items.get(i)));
    }
    RankRequest rankRequest = rank.build();
    List<ScoredItem> ranked;
    String modelVersion;
    Deadline rankHop = budget.hop(deadline, rankingPolicy.share(), rankingPolicy.timeout());
    try {
      RankResponse ranking =
          await(
              callers.ranking().call(rankHop, pinned, d -> stubs.ranking().withDeadline(d).rank(rankRequest)),
              rankHop);
      ranked = ranking.getItemsList();
      modelVersion = ranking.getModelVersion();
      pins.rankingLoaded(ranking.getNewestBundleVersion());
    } catch (StatusRuntimeException e) {
      log.debug("ranking failed, answering in recall order: {}", e.getStatus());
      degraded.add(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
      fallbackEvent(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE, e.getStatus());
      ranked = recallOrder(candidates);
      modelVersion = recallVersion;
    }
    boolean itemsDegraded = degraded.contains(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE);
    return assemble(
        request, requestId, candidates, ranked, itemsDegraded ? null : items, modelVersion, degraded, fresh);
  }

  /**
   * What the feature tier knows of the user's recorded feedback: the consumed items (most recent
   * first, without disliked ones) and the disliked items. Both are never recommended.
   */
  private record Fresh(List<String> consumed, List<String> disliked) {
    static final Fresh NONE = new Fresh(List.of(), List.of());

    static Fresh of(UserFeatures user) {
      if (!user.hasOnline() && user.getDislikedItemIdsCount() == 0) {
        return NONE;
      }
      return new Fresh(user.getOnline().getConsumedItemIdsList(), user.getDislikedItemIdsList());
    }

    /** Adds the consumed and disliked items to {@code blocked}. */
    void addTo(Set<String> blocked) {
      blocked.addAll(consumed);
      blocked.addAll(disliked);
    }
  }

  private static List<String> limit(List<String> ids, int max) {
    return ids.size() <= max ? ids : ids.subList(0, max);
  }

  /**
   * The final filter and cut: keeps the ranked items recall proposed and neither the request nor
   * the user's fresh history excludes, at most {@code k}, with their sources, titles and genres.
   *
   * @param items the candidates' item features, or {@code null} when the feature tier did not
   *     answer: titles and genres then come from the cached popular list where it has them
   */
  private RecommendResponse assemble(
      RecommendRequest request,
      String requestId,
      List<Candidate> candidates,
      List<ScoredItem> ranked,
      List<ItemFeatures> items,
      String modelVersion,
      Set<DegradedReason> degraded,
      Fresh fresh) {
    Map<String, Integer> positions = HashMap.newHashMap(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      positions.putIfAbsent(candidates.get(i).getItemId(), i);
    }
    Map<String, ItemFeatures> cached = items == null ? cachedFeatures() : Map.of();
    Set<String> excluded = new HashSet<>(request.getExcludeItemIdsList());
    fresh.addTo(excluded);
    Set<String> returned = new HashSet<>();
    RecommendResponse.Builder response = RecommendResponse.newBuilder().setRequestId(requestId);
    for (ScoredItem scored : ranked) {
      if (response.getItemsCount() == request.getK()) {
        break;
      }
      Integer position = positions.get(scored.getItemId());
      // Ranking may only reorder what recall proposed; anything else is dropped, as are exclusions.
      if (position == null || excluded.contains(scored.getItemId()) || !returned.add(scored.getItemId())) {
        continue;
      }
      ItemFeatures features = items != null ? items.get(position) : cached.get(scored.getItemId());
      response.addItems(toItem(scored, candidates.get(position).getSourcesList(), features));
    }
    return response
        .setModelVersion(modelVersion)
        .setDegraded(!degraded.isEmpty())
        .addAllDegradedReasons(degraded)
        .build();
  }

  private static RecommendedItem toItem(ScoredItem scored, List<SourceScore> sources, ItemFeatures features) {
    RecommendedItem.Builder item =
        RecommendedItem.newBuilder().setItemId(scored.getItemId()).setScore(scored.getScore()).addAllSources(sources);
    if (features != null) {
      item.setTitle(features.getTitle()).addAllGenres(features.getGenresList());
    }
    return item.build();
  }

  /** Candidates when recall cannot help, or {@code null} when there are none. */
  private record Fallback(List<Candidate> candidates, String version) {}

  /**
   * The recall fallback: the request's own {@code candidate_item_ids} when it lists some (in its
   * order, without sources), else the cached popular list; minus excluded items, the user's fresh
   * consumed and disliked items, and items failing the genre filter (an item whose genres are
   * unknown passes an exclusion, fails an inclusion). Items the user has seen in the bundle's
   * history are not known to the gateway and may be in it.
   */
  private Fallback fallback(RecommendRequest request, Fresh fresh) {
    if (Context.current().isCancelled()) {
      throw Status.CANCELLED.withDescription("the caller cancelled the request").asRuntimeException();
    }
    PopularList.Snapshot snapshot = popular.current();
    Set<String> excluded = new HashSet<>(request.getExcludeItemIdsList());
    fresh.addTo(excluded);
    List<Candidate> candidates = new ArrayList<>();
    if (request.getCandidateItemIdsCount() > 0) {
      for (String id : new LinkedHashSet<>(request.getCandidateItemIdsList())) {
        if (!excluded.contains(id)) {
          candidates.add(Candidate.newBuilder().setItemId(id).build());
        }
      }
      return new Fallback(candidates, snapshot.bundleVersion());
    }
    if (snapshot.isEmpty()) {
      return null;
    }
    int limit = Math.max(recallCandidates, request.getK());
    Set<String> include = lowerCase(request.getFilter().getIncludeGenresList());
    Set<String> exclude = lowerCase(request.getFilter().getExcludeGenresList());
    for (PopularList.Item item : snapshot.items()) {
      if (candidates.size() == limit) {
        break;
      }
      if (!excluded.contains(item.candidate().getItemId()) && passes(item.features(), include, exclude)) {
        candidates.add(item.candidate());
      }
    }
    return new Fallback(candidates, snapshot.bundleVersion());
  }

  private static boolean passes(ItemFeatures features, Set<String> include, Set<String> exclude) {
    if (include.isEmpty() && exclude.isEmpty()) {
      return true;
    }
    if (features == null) {
      return include.isEmpty();
    }
    Set<String> genres = lowerCase(features.getGenresList());
    if (!include.isEmpty() && genres.stream().noneMatch(include::contains)) {
      return false;
    }
    return genres.stream().noneMatch(exclude::contains);
  }

  private static Set<String> lowerCase(List<String> values) {
    Set<String> lower = new HashSet<>();
    for (String value : values) {
      lower.add(value.toLowerCase(Locale.ROOT));
    }
    return lower;
  }

  private Map<String, ItemFeatures> cachedFeatures() {
    Map<String, ItemFeatures> cached = new HashMap<>();
    for (PopularList.Item item : popular.current().items()) {
      if (item.features() != null) {
        cached.put(item.candidate().getItemId(), item.features());
      }
    }
    return cached;
  }

  private UserFeatures awaitUser(
      CompletableFuture<GetUserFeaturesResponse> call, Deadline hop, String userId, Set<DegradedReason> degraded) {
    try {
      GetUserFeaturesResponse response = await(call, hop);
      pins.featuresLoaded(response.getNewestBundleVersion());
      return response.getFeatures();
    } catch (StatusRuntimeException e) {
      log.debug("user features failed, using defaults: {}", e.getStatus());
      degraded.add(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE);
      fallbackEvent(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE, e.getStatus());
      return UserFeatures.newBuilder().setUserId(userId).build();
    }
  }

  private List<ItemFeatures> awaitItems(
      CompletableFuture<GetItemFeaturesResponse> call, Deadline hop, List<String> ids, Set<DegradedReason> degraded) {
    try {
      GetItemFeaturesResponse response = await(call, hop);
      pins.featuresLoaded(response.getNewestBundleVersion());
      List<ItemFeatures> features = response.getFeaturesList();
      if (features.size() == ids.size()) {
        return features;
      }
      log.warn("item features answered {} rows for {} ids, using defaults", features.size(), ids.size());
      fallbackEvent(
          DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE, features.size() + " rows for " + ids.size() + " ids");
    } catch (StatusRuntimeException e) {
      log.debug("item features failed, using defaults: {}", e.getStatus());
      fallbackEvent(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE, e.getStatus());
    }
    degraded.add(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE);
    List<ItemFeatures> defaults = new ArrayList<>(ids.size());
    for (String id : ids) {
      defaults.add(ItemFeatures.newBuilder().setItemId(id).build());
    }
    return defaults;
  }

  /**
   * Waits for a downstream call. It ends by its hop's deadline (every attempt carries it); the
   * slack only guards against a lost callback.
   *
   * @throws StatusRuntimeException the call's status
   */
  static <T> T await(CompletableFuture<T> call, Deadline hop) {
    long wait = Math.max(0, hop.timeRemaining(TimeUnit.NANOSECONDS)) + AWAIT_SLACK_NANOS;
    try {
      return call.get(wait, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      call.cancel(true);
      throw Status.DEADLINE_EXCEEDED.withDescription("no answer by the hop's deadline").asRuntimeException();
    } catch (CancellationException e) {
      throw Status.CANCELLED.withDescription("cancelled").asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  /** Adds a {@code fallback} event to the request's span, when it is sampled. */
  private static void fallbackEvent(DegradedReason reason, Status cause) {
    if (Span.current().isRecording()) {
      fallbackEvent(reason, cause.getCode() + (cause.getDescription() == null ? "" : ": " + cause.getDescription()));
    }
  }

  private static void fallbackEvent(DegradedReason reason, String cause) {
    Span span = Span.current();
    if (span.isRecording()) {
      span.addEvent("fallback", Attributes.of(REASON, reasonName(reason), CAUSE, cause));
    }
  }

  /** {@code RECALL_UNAVAILABLE} for {@code DEGRADED_REASON_RECALL_UNAVAILABLE}. */
  static String reasonName(DegradedReason reason) {
    return reason.name().startsWith("DEGRADED_REASON_") ? reason.name().substring("DEGRADED_REASON_".length()) : reason.name();
  }

  /** Recall's merge order as scores: the first candidate scores 1, the next 1/2, and so on. */
  private static List<ScoredItem> recallOrder(List<Candidate> candidates) {
    List<ScoredItem> ordered = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      ordered.add(
          ScoredItem.newBuilder().setItemId(candidates.get(i).getItemId()).setScore(1f / (1 + i)).build());
    }
    return ordered;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
