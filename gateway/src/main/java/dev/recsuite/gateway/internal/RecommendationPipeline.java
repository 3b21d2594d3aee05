package dev.recsuite.gateway.internal;

import com.google.common.util.concurrent.MoreExecutors;
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
import java.util.function.Function;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's fan-out for one validated request: user features, then recall with the user's
 * fresh history (or both in parallel, see below), then ranking; then the final filter and cut.
 * Asynchronous: no thread waits for a tier; each step runs on the thread that took the answer it
 * needs (the downstream channels' transport threads), in the request's gRPC context.
 *
 * <p>Item features do not travel through the gateway: {@code Rank} gets the candidates' ids and
 * recall sources, and the ranking tier scores them with the static item features of the bundle
 * version it serves (the same values {@code GetItemFeatures} answers for that version: the item
 * features the model reads have no online part) and describes the items the answer can show
 * ({@code describe_top}: k plus the candidates the final filter drops, see {@link #wanted}), whose
 * titles and genres the answer carries. It answers only those ({@code max_items}), each with its
 * candidate's index, so that the gateway neither parses 500 scored items nor builds a map of the
 * candidates per request. Only when ranking fails does the gateway ask the feature tier, for the
 * display fields of the k items it shows.
 *
 * <p>Candidates in columns: once requests are pinned to a bundle version and recall is told every
 * item the answer excludes (fresh history on, at most 1,000 ids per list), recall answers its
 * candidates as dense item ids of that version with one packed column per source ({@code
 * columnar}), plus the ids of the first k + slack, and the gateway forwards the columns to ranking
 * as they are ({@link CandidateList.Columns}): no message per candidate is built or parsed on the
 * way. Otherwise (the first requests, fresh history off, a recall replica that predates columns,
 * the fallbacks) candidates travel as messages.
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
 * the request's exclusions and genres, still ranked when ranking answers; user features failing →
 * the feature service's documented defaults ({@code known = false}); ranking failing → recall
 * order, with titles and genres from the feature tier, or (flagged {@code
 * ITEM_FEATURES_UNAVAILABLE}) from the popular list's cache where it has them when that fails too.
 * A request with too little time for any call gets the popular list at once. The
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

  /** Ranked items asked for beyond those the answer needs (see {@link #wanted}). */
  private static final int RANKED_SLACK = 4;

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
   * Produces the answer to {@code request}, degraded if it has to be, without blocking a thread:
   * each hop starts from the answer of the one before, on the thread that took it (the transport's),
   * in the calling gRPC {@link Context} (deadline, cancellation, the request's trace).
   *
   * @param deadline the request's deadline; every downstream call ends before it
   * @return the answer; it fails with {@code UNAVAILABLE} when recall failed and there is no
   *     fallback list yet, {@code DEADLINE_EXCEEDED} when the deadline is too short for any call and
   *     there is no fallback list yet, {@code CANCELLED} when the caller went away
   */
  public CompletableFuture<RecommendResponse> recommend(RecommendRequest request, String requestId, Deadline deadline) {
    metrics.request();
    Span span = Span.current();
    CompletableFuture<RecommendResponse> answer;
    try {
      answer = new Run(request, requestId, deadline).answer();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            metrics.failed();
            return;
          }
          metrics.answered(response.getDegraded(), response.getDegradedReasonsList());
          if (span.isRecording()) {
            span.setAttribute(REQUEST_ID, requestId);
            span.setAttribute(MODEL_VERSION, response.getModelVersion());
            span.setAttribute(DEGRADED, response.getDegraded());
            if (response.getDegraded()) {
              span.setAttribute(
                  DEGRADED_REASONS,
                  response.getDegradedReasonsList().stream().map(RecommendationPipeline::reasonName).toList());
            }
          }
        });
  }

  /**
   * One request on its way through the tiers, and what it learnt so far. Its steps run one after
   * the other (each from the completion of the one before), so its fields need no locking.
   */
  private final class Run {
    private final RecommendRequest request;
    private final String requestId;
    private final Deadline deadline;
    /** Runs a step on the thread that completed the hop before, in the request's context. */
    private final Executor inContext = Context.current().fixedContextExecutor(MoreExecutors.directExecutor());
    private final Set<DegradedReason> degraded = EnumSet.noneOf(DegradedReason.class);
    private String pin = "";
    private boolean pinned;
    private CompletableFuture<GetUserFeaturesResponse> userCall;
    private UserFeatures user;
    private Fresh fresh = Fresh.NONE;
    private CandidateList candidates;
    private String recallVersion;

    Run(RecommendRequest request, String requestId, Deadline deadline) {
      this.request = request;
      this.requestId = requestId;
      this.deadline = deadline;
    }

    CompletableFuture<RecommendResponse> answer() {
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
        CandidateList popularCandidates = new CandidateList.Messages(fallback.candidates());
        return CompletableFuture.completedFuture(
            assemble(
                request, requestId, popularCandidates, recallOrder(popularCandidates), Display.CACHED,
                fallback.version(), degraded, excluded(request, Fresh.NONE)));
      }
      pin = pins.current();
      pinned = !pin.isEmpty();
      GetUserFeaturesRequest userRequest =
          GetUserFeaturesRequest.newBuilder().setUserId(request.getUserId()).setBundleVersion(pin).build();
      Deadline userHop = budget.hop(deadline, featurePolicy.share(), featurePolicy.timeout());
      userCall =
          callers.features().call(userHop, pinned, d -> stubs.features().withDeadline(d).getUserFeatures(userRequest));
      if (!freshHistory) {
        return recall();
      }
      // One hop before recall: recall must see what the user did a moment ago.
      return userCall.handleAsync(this::user, inContext).thenComposeAsync(ignored -> recall(), inContext);
    }

    /** The user's features, or the defaults (flagged) when the call failed; sets the fresh history. */
    private UserFeatures user(GetUserFeaturesResponse response, Throwable failure) {
      if (failure == null) {
        pins.featuresLoaded(response.getNewestBundleVersion());
        user = response.getFeatures();
      } else {
        Status status = statusOf(failure);
        log.debug("user features failed, using defaults: {}", status);
        degraded.add(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE);
        fallbackEvent(DegradedReason.DEGRADED_REASON_USER_FEATURES_UNAVAILABLE, status);
        user = UserFeatures.newBuilder().setUserId(request.getUserId()).build();
      }
      fresh = Fresh.of(user);
      return user;
    }

    private CompletableFuture<RecommendResponse> recall() {
      int maxCandidates = Math.max(Math.max(recallCandidates, request.getK()), request.getCandidateItemIdsCount());
      // Columns (dense ids of the pinned version) when recall is told every item the answer
      // excludes, so that none of them comes back and the gateway needs only the first ids.
      boolean columnar = freshHistory && pinned && fresh.allSent(MAX_RECALL_IDS);
      RecallRequest recallRequest =
          RecallRequest.newBuilder()
              .setUserId(request.getUserId())
              .setMaxCandidates(maxCandidates)
              .setColumnar(columnar)
              .setColumnarIds(columnar ? Math.min(maxCandidates, request.getK() + RANKED_SLACK) : 0)
              .setQuery(request.getQuery())
              .addAllExcludeItemIds(request.getExcludeItemIdsList())
              .setFilter(request.getFilter())
              .addAllCandidateItemIds(request.getCandidateItemIdsList())
              .setBundleVersion(pin)
              .addAllRecentItemIds(limit(fresh.consumed(), MAX_RECALL_IDS))
              .addAllDislikedItemIds(limit(fresh.disliked(), MAX_RECALL_IDS))
              .build();
      Deadline recallHop = budget.hop(deadline, recallPolicy.share(), recallPolicy.timeout());
      return callers
          .recall()
          .call(recallHop, pinned, d -> stubs.recall().withDeadline(d).recall(recallRequest))
          .handleAsync(this::candidates, inContext)
          .thenComposeAsync(ignored -> afterRecall(), inContext);
    }

    /**
     * Recall's candidates, or the fallback's (flagged) when recall failed.
     *
     * @throws StatusRuntimeException {@code UNAVAILABLE} when recall failed and there is no
     *     fallback list yet
     */
    private CandidateList candidates(RecallResponse recall, Throwable failure) {
      if (failure == null) {
        pins.recallLoaded(recall.getNewestBundleVersion());
        recallVersion = recall.getBundleVersion();
        // A recall replica that predates columns answers messages.
        candidates =
            recall.getColumns().getItemsCount() > 0
                ? new CandidateList.Columns(recall.getColumns())
                : new CandidateList.Messages(recall.getCandidatesList());
        return candidates;
      }
      Status status = statusOf(failure);
      Fallback fallback = fallback(request, fresh);
      if (fallback == null) {
        userCall.cancel(true);
        throw Status.UNAVAILABLE
            .withDescription(
                "recall tier failed (" + status.getCode() + ": " + nullToEmpty(status.getDescription())
                    + ") and the gateway has no cached popular list yet")
            .asRuntimeException();
      }
      log.debug("recall failed, answering from the popular list: {}", status);
      degraded.add(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE);
      fallbackEvent(DegradedReason.DEGRADED_REASON_RECALL_UNAVAILABLE, status);
      recallVersion = fallback.version();
      candidates = new CandidateList.Messages(fallback.candidates());
      return candidates;
    }

    private CompletableFuture<RecommendResponse> afterRecall() {
      Span span = Span.current();
      if (span.isRecording()) {
        span.setAttribute(CANDIDATES, (long) candidates.size());
      }
      if (candidates.isEmpty()) {
        userCall.cancel(true);
        return CompletableFuture.completedFuture(
            assemble(
                request, requestId, candidates, List.of(), Display.CACHED, recallVersion, degraded,
                excluded(request, fresh)));
      }
      if (user != null) {
        return rank();
      }
      return userCall.handleAsync(this::user, inContext).thenComposeAsync(ignored -> rank(), inContext);
    }

    private CompletableFuture<RecommendResponse> rank() {
      Set<String> excluded = excluded(request, fresh);
      // Ids, sources and the user only: the ranking tier scores with the static item features of the
      // bundle version it serves (no 500-item feature round trip through the gateway), and describes
      // the items this answer can show: the first k plus as many as the final filter may drop.
      int wanted = wanted(request.getK(), candidates, excluded);
      RankRequest.Builder rank =
          RankRequest.newBuilder().setUser(user).setBundleVersion(pin).setDescribeTop(wanted).setMaxItems(wanted);
      candidates.addTo(rank);
      RankRequest rankRequest = rank.build();
      Deadline rankHop = budget.hop(deadline, rankingPolicy.share(), rankingPolicy.timeout());
      return callers
          .ranking()
          .call(rankHop, pinned, d -> stubs.ranking().withDeadline(d).rank(rankRequest))
          .handleAsync((ranking, failure) -> ranked(ranking, failure, excluded), inContext)
          .thenCompose(Function.identity());
    }

    /**
     * The answer from ranking's; when ranking failed, in recall order (flagged), with the display
     * fields of the items shown from the feature tier (k ids, not the whole batch), else from the
     * popular list's cache.
     */
    private CompletableFuture<RecommendResponse> ranked(RankResponse ranking, Throwable failure, Set<String> excluded) {
      if (failure == null) {
        pins.rankingLoaded(ranking.getNewestBundleVersion());
        return CompletableFuture.completedFuture(
            assemble(
                request, requestId, candidates, ranking.getItemsList(), Display.RANKED, ranking.getModelVersion(),
                degraded, excluded));
      }
      Status status = statusOf(failure);
      log.debug("ranking failed, answering in recall order: {}", status);
      degraded.add(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE);
      fallbackEvent(DegradedReason.DEGRADED_REASON_RANKING_UNAVAILABLE, status);
      List<ScoredItem> shown = shown(request.getK(), candidates, recallOrder(candidates), excluded);
      return describe(shown)
          .thenApplyAsync(
              display ->
                  assemble(request, requestId, candidates, shown, display, recallVersion, degraded, excluded),
              inContext);
    }

    /**
     * The display fields of the items shown when ranking did not describe them: one {@code
     * GetItemFeatures} call for those ids; when it fails (or answers the wrong number of rows), the
     * answer is flagged {@code ITEM_FEATURES_UNAVAILABLE} and the popular list's cache is all there
     * is.
     */
    private CompletableFuture<Display> describe(List<ScoredItem> shown) {
      if (shown.isEmpty()) {
        return CompletableFuture.completedFuture(Display.CACHED);
      }
      List<String> ids = new ArrayList<>(shown.size());
      for (ScoredItem item : shown) {
        ids.add(item.getItemId());
      }
      GetItemFeaturesRequest itemRequest =
          GetItemFeaturesRequest.newBuilder().addAllItemIds(ids).setBundleVersion(pin).build();
      Deadline itemHop = budget.hop(deadline, featurePolicy.share(), featurePolicy.timeout());
      return callers
          .features()
          .call(itemHop, pinned, d -> stubs.features().withDeadline(d).getItemFeatures(itemRequest))
          .handleAsync((response, failure) -> display(ids, response, failure), inContext);
    }

    private Display display(List<String> ids, GetItemFeaturesResponse response, Throwable failure) {
      if (failure == null) {
        pins.featuresLoaded(response.getNewestBundleVersion());
        List<ItemFeatures> features = response.getFeaturesList();
        if (features.size() == ids.size()) {
          Map<String, ItemFeatures> byId = HashMap.newHashMap(ids.size());
          for (int i = 0; i < ids.size(); i++) {
            byId.put(ids.get(i), features.get(i));
          }
          return Display.of(byId);
        }
        log.warn("item features answered {} rows for {} ids, using the popular list's titles", features.size(), ids.size());
        fallbackEvent(
            DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE,
            features.size() + " rows for " + ids.size() + " ids");
      } else {
        Status status = statusOf(failure);
        log.debug("item features failed, using the popular list's titles: {}", status);
        fallbackEvent(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE, status);
      }
      degraded.add(DegradedReason.DEGRADED_REASON_ITEM_FEATURES_UNAVAILABLE);
      return Display.CACHED;
    }
  }

  /** The status a failed downstream call ended with. */
  private static Status statusOf(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof CancellationException
        ? Status.CANCELLED.withDescription("cancelled")
        : Status.fromThrowable(cause);
  }

  /**
   * How many of the best-ranked items the answer can use, which the ranking tier answers and
   * describes: {@code k} plus every candidate the final filter drops for being excluded, plus {@link
   * #RANKED_SLACK}; at most the number of candidates. Recall answers each item once, so no other
   * candidate is dropped; the slack covers a ranker that answers a stray item (one recall did not
   * propose, or twice), which would otherwise cost the answer one of its k.
   */
  static int wanted(int k, CandidateList candidates, Set<String> excluded) {
    int dropped = RANKED_SLACK;
    if (!excluded.isEmpty()) {
      // Columns carry only the first ids; recall was then told every excluded item (see answer).
      for (int i = 0, n = candidates.identified(); i < n; i++) {
        if (excluded.contains(candidates.id(i))) {
          dropped++;
        }
      }
    }
    return (int) Math.min(candidates.size(), (long) k + dropped);
  }

  /** The request's excluded items and the user's fresh consumed and disliked ones. */
  private static Set<String> excluded(RecommendRequest request, Fresh fresh) {
    Set<String> excluded = new HashSet<>(request.getExcludeItemIdsList());
    fresh.addTo(excluded);
    return excluded;
  }

  /**
   * What the feature tier knows of the user's recorded feedback: the consumed items (most recent
   * first, without disliked ones) and the disliked items. Both are never recommended.
   */
  private record Fresh(List<String> consumed, List<String> disliked) {
    static final Fresh NONE = new Fresh(List.of(), List.of());

    /** Whether recall can be told every item: neither list is longer than {@code max} ids. */
    boolean allSent(int max) {
      return consumed.size() <= max && disliked.size() <= max;
    }

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
   * Where an answer's titles and genres come from: the ranking tier's description of its top items
   * ({@link #RANKED}), the feature tier's answer for the items shown ({@link #of}), or only the
   * popular list's cache ({@link #CACHED}). The cache also covers an item the first two leave
   * without any display field (e.g. a ranking replica that predates {@code describe_top}).
   */
  private record Display(boolean ranked, Map<String, ItemFeatures> features) {
    static final Display RANKED = new Display(true, Map.of());
    static final Display CACHED = new Display(false, Map.of());

    static Display of(Map<String, ItemFeatures> features) {
      return new Display(false, features);
    }
  }

  /**
   * The final filter and cut: keeps the ranked items recall proposed and neither the request nor
   * the user's fresh history excludes, at most {@code k}, with their sources, titles and genres.
   *
   * @param excluded the request's exclusions and the user's fresh consumed and disliked items
   */
  private RecommendResponse assemble(
      RecommendRequest request,
      String requestId,
      CandidateList candidates,
      List<ScoredItem> ranked,
      Display display,
      String modelVersion,
      Set<DegradedReason> degraded,
      Set<String> excluded) {
    Positions positions = new Positions(candidates);
    Map<String, ItemFeatures> cached = null;
    Set<String> returned = HashSet.newHashSet(request.getK());
    RecommendResponse.Builder response = RecommendResponse.newBuilder().setRequestId(requestId);
    for (ScoredItem scored : ranked) {
      if (response.getItemsCount() == request.getK()) {
        break;
      }
      String id = scored.getItemId();
      int position = positions.of(scored);
      // Ranking may only reorder what recall proposed; anything else is dropped, as are exclusions.
      if (position < 0 || excluded.contains(id) || !returned.add(id)) {
        continue;
      }
      RecommendedItem.Builder item =
          RecommendedItem.newBuilder()
              .setItemId(id)
              .setScore(scored.getScore())
              .addAllSources(candidates.sources(position));
      ItemFeatures features = display.features().get(id);
      if (display.ranked() && (!scored.getTitle().isEmpty() || scored.getGenresCount() > 0)) {
        item.setTitle(scored.getTitle()).addAllGenres(scored.getGenresList());
      } else if (features != null && features.getKnown()) {
        item.setTitle(features.getTitle()).addAllGenres(features.getGenresList());
      } else {
        if (cached == null) {
          cached = cachedFeatures();
        }
        ItemFeatures popular = cached.get(id);
        if (popular != null) {
          item.setTitle(popular.getTitle()).addAllGenres(popular.getGenresList());
        }
      }
      response.addItems(item);
    }
    return response
        .setModelVersion(modelVersion)
        .setDegraded(!degraded.isEmpty())
        .addAllDegradedReasons(degraded)
        .build();
  }

  /**
   * Finds a ranked item's candidate: by the {@code candidate_index} the ranking tier answers with,
   * checked against the id where the list carries it, so that no answer builds a map of every
   * candidate; by id only for an item whose index does not match (a ranker that predates the
   * field, or an item recall did not propose), from a map built on first use. Candidates in columns
   * beyond their first ids are found by index alone: a ranker that reads columns answers indexes.
   */
  private static final class Positions {
    private final CandidateList candidates;
    private Map<String, Integer> byId;

    Positions(CandidateList candidates) {
      this.candidates = candidates;
    }

    /**
     * The item's position among the candidates (its {@code candidate_index} when that matches its
     * id, else the first position of the id), or -1 when recall did not propose it.
     */
    int of(ScoredItem scored) {
      int index = scored.getCandidateIndex();
      String id = scored.getItemId();
      if (index >= 0 && index < candidates.size()
          && (index >= candidates.identified() || candidates.id(index).equals(id))) {
        return index;
      }
      if (byId == null) {
        byId = HashMap.newHashMap(candidates.identified());
        for (int i = 0; i < candidates.identified(); i++) {
          byId.putIfAbsent(candidates.id(i), i);
        }
      }
      Integer position = byId.get(id);
      return position == null ? -1 : position;
    }
  }

  /** The items {@link #assemble} keeps of {@code ranked}, in order: at most {@code k}. */
  private static List<ScoredItem> shown(
      int k, CandidateList candidates, List<ScoredItem> ranked, Set<String> excluded) {
    Positions positions = new Positions(candidates);
    Set<String> returned = HashSet.newHashSet(k);
    List<ScoredItem> shown = new ArrayList<>(k);
    for (ScoredItem scored : ranked) {
      if (shown.size() == k) {
        break;
      }
      String id = scored.getItemId();
      if (positions.of(scored) >= 0 && !excluded.contains(id) && returned.add(id)) {
        shown.add(scored);
      }
    }
    return shown;
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

  /**
   * Recall's merge order as scores: the first candidate scores 1, the next 1/2, and so on; only the
   * candidates whose id the list carries (all of a message list, the first ones of columns).
   */
  private static List<ScoredItem> recallOrder(CandidateList candidates) {
    List<ScoredItem> ordered = new ArrayList<>(candidates.identified());
    for (int i = 0; i < candidates.identified(); i++) {
      ordered.add(
          ScoredItem.newBuilder()
              .setItemId(candidates.id(i))
              .setScore(1f / (1 + i))
              .setCandidateIndex(i)
              .build());
    }
    return ordered;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
