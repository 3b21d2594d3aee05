package dev.recsuite.gateway;

import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.FeedbackOutcome;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.OnlineActivity;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.gateway.internal.PopularList;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.ranking.v1.ScoredItem;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fake implementations of the three internal tiers: recall proposes {@code c0..c(n-1)} in that
 * order (and, for the gateway's popular-list refresh, {@code p0..p9} from the POPULAR source),
 * features echo ids with titles (genre "Drama", "Comedy" for {@code p1}), ranking scores the
 * candidates in reverse request order, {@code RecordEvents} stores each event id once (answering
 * STORED, then DUPLICATE) and user features carry {@link #online} and {@link #disliked} when set.
 * Each method can fail permanently or for its next calls, or hold its calls until released; they
 * record what they received. The refresh's calls are not counted nor recorded.
 */
final class FakeTiers {

  /** One fake method's behaviour and record. */
  static final class Method {
    final AtomicReference<Status> failure = new AtomicReference<>();
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicReference<Status> failNextStatus = new AtomicReference<>(Status.UNAVAILABLE);
    /** When set, calls wait on it (at most 10 s) before answering. */
    final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
    /** When positive, only the first this-many calls are held. */
    final AtomicInteger holdFirst = new AtomicInteger(Integer.MAX_VALUE);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<Deadline> lastDeadline = new AtomicReference<>();
    final AtomicReference<Context> lastContext = new AtomicReference<>();

    void failNext(int count, Status status) {
      failNextStatus.set(status);
      failNext.set(count);
    }

    /** Counts the call, waits if held; {@code true} if it answered with an error. */
    boolean enter(StreamObserver<?> responses) {
      int call = calls.incrementAndGet();
      lastDeadline.set(Context.current().getDeadline());
      lastContext.set(Context.current());
      CountDownLatch latch = hold.get();
      if (latch != null && call <= holdFirst.get()) {
        try {
          latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Status status = failure.get();
      if (status == null && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = failNextStatus.get();
      }
      if (status == null) {
        return false;
      }
      responses.onError(status.asRuntimeException());
      return true;
    }

    void release() {
      CountDownLatch latch = hold.getAndSet(null);
      if (latch != null) {
        latch.countDown();
      }
    }
  }

  /** The items of the popular list the refresh asks features for. */
  static final List<String> POPULAR_IDS =
      List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9");

  final Method recallMethod = new Method();
  final Method userMethod = new Method();
  final Method itemMethod = new Method();
  final Method rankMethod = new Method();
  final Method recordMethod = new Method();
  /** Event ids "stored" by the fake RecordEvents. */
  final Set<String> storedEventIds = ConcurrentHashMap.newKeySet();
  /** Every RecordEvents request received, in order. */
  final List<RecordEventsRequest> recorded = new CopyOnWriteArrayList<>();
  /** The online activity user features answer with, when set. */
  final AtomicReference<OnlineActivity> online = new AtomicReference<>();
  /** The disliked items user features answer with. */
  final AtomicReference<List<String>> disliked = new AtomicReference<>(List.of());
  /** Answers of the popular-list refresh fail with this when set. */
  final AtomicReference<Status> refreshFailure = new AtomicReference<>();
  final AtomicReference<RecallRequest> lastRecall = new AtomicReference<>();
  final AtomicReference<RankRequest> lastRank = new AtomicReference<>();
  final AtomicReference<GetUserFeaturesRequest> lastUserFeatures = new AtomicReference<>();
  /** The newest bundle version each tier reports ("recall", "features", "ranking"). */
  final Map<String, String> newest = new ConcurrentHashMap<>();
  /** Bundle versions the ranking tier does not serve: a ranking call pinned to one fails NOT_FOUND. */
  final Map<String, Boolean> rankingMissingVersions = new ConcurrentHashMap<>();
  volatile int candidates = 20;
  /**
   * Whether the fake ranker honours describe_top, max_items and candidate_index (a ranking replica
   * that predates them does not).
   */
  volatile boolean describes = true;
  /**
   * Whether the fake recall answers in columns when asked ({@code c<i>} is dense item {@code i};
   * the fake ranker reads columns either way).
   */
  volatile boolean answersColumns;
  /** Extra item the fake ranker slips in, which recall never proposed. */
  volatile String rankerIntruder;

  final RecallServiceGrpc.RecallServiceImplBase recall =
      new RecallServiceGrpc.RecallServiceImplBase() {
        @Override
        public void recall(RecallRequest request, StreamObserver<RecallResponse> responses) {
          if (request.getUserId().equals(PopularList.REFRESH_USER)) {
            answerRefresh(responses);
            return;
          }
          lastRecall.set(request);
          if (recallMethod.enter(responses)) {
            return;
          }
          RecallResponse.Builder response =
              RecallResponse.newBuilder()
                  .setBundleVersion("recall-v1")
                  .setNewestBundleVersion(newest.getOrDefault("recall", ""));
          if (request.getColumnar() && answersColumns) {
            response.setColumns(columns(candidates, request.getColumnarIds()));
          } else {
            for (int i = 0; i < candidates; i++) {
              response.addCandidates(candidate("c" + i, RecallSource.RECALL_SOURCE_COLLABORATIVE, i));
            }
          }
          responses.onNext(response.build());
          responses.onCompleted();
        }
      };

  final FeatureServiceGrpc.FeatureServiceImplBase features =
      new FeatureServiceGrpc.FeatureServiceImplBase() {
        @Override
        public void getUserFeatures(
            GetUserFeaturesRequest request, StreamObserver<GetUserFeaturesResponse> responses) {
          lastUserFeatures.set(request);
          if (userMethod.enter(responses)) {
            return;
          }
          UserFeatures.Builder features =
              UserFeatures.newBuilder().setUserId(request.getUserId()).setKnown(true).addAllDislikedItemIds(disliked.get());
          if (online.get() != null) {
            features.setOnline(online.get());
          }
          responses.onNext(
              GetUserFeaturesResponse.newBuilder()
                  .setFeatures(features)
                  .setNewestBundleVersion(newest.getOrDefault("features", ""))
                  .build());
          responses.onCompleted();
        }

        @Override
        public void recordEvents(RecordEventsRequest request, StreamObserver<RecordEventsResponse> responses) {
          recorded.add(request);
          if (recordMethod.enter(responses)) {
            return;
          }
          RecordEventsResponse.Builder response = RecordEventsResponse.newBuilder();
          for (FeedbackEvent event : request.getEventsList()) {
            response.addOutcomes(
                storedEventIds.add(event.getEventId())
                    ? FeedbackOutcome.FEEDBACK_OUTCOME_STORED
                    : FeedbackOutcome.FEEDBACK_OUTCOME_DUPLICATE);
          }
          responses.onNext(response.build());
          responses.onCompleted();
        }

        @Override
        public void getItemFeatures(
            GetItemFeaturesRequest request, StreamObserver<GetItemFeaturesResponse> responses) {
          boolean refresh = request.getItemIdsList().equals(POPULAR_IDS);
          if (!refresh && itemMethod.enter(responses)) {
            return;
          }
          GetItemFeaturesResponse.Builder response = GetItemFeaturesResponse.newBuilder();
          for (String id : request.getItemIdsList()) {
            response.addFeatures(
                ItemFeatures.newBuilder()
                    .setItemId(id)
                    .setKnown(true)
                    .setTitle("Title " + id)
                    .addGenres(genre(id)));
          }
          responses.onNext(response.build());
          responses.onCompleted();
        }
      };

  final RankingServiceGrpc.RankingServiceImplBase ranking =
      new RankingServiceGrpc.RankingServiceImplBase() {
        @Override
        public void rank(RankRequest request, StreamObserver<RankResponse> responses) {
          lastRank.set(request);
          if (rankMethod.enter(responses) || missing(request.getBundleVersion(), responses)) {
            return;
          }
          List<RankCandidate> candidates =
              request.hasColumns() ? fromColumns(request.getColumns()) : request.getCandidatesList();
          RankResponse.Builder response =
              RankResponse.newBuilder()
                  .setModelVersion("ranking-v1")
                  .setNewestBundleVersion(newest.getOrDefault("ranking", ""));
          if (rankerIntruder != null) {
            response.addItems(ScoredItem.newBuilder().setItemId(rankerIntruder).setScore(100f));
          }
          for (int i = candidates.size() - 1; i >= 0; i--) {
            if (describes && request.getMaxItems() > 0 && response.getItemsCount() == request.getMaxItems()) {
              break;
            }
            String id = candidates.get(i).getItemId();
            ScoredItem.Builder item = ScoredItem.newBuilder().setItemId(id).setScore(i);
            if (describes) {
              item.setCandidateIndex(i);
            }
            // Like the real tier: the first describe_top items carry the catalogue's display fields.
            if (response.getItemsCount() < request.getDescribeTop() && describes) {
              item.setTitle("Title " + id).addGenres(genre(id));
            }
            response.addItems(item);
          }
          responses.onNext(response.build());
          responses.onCompleted();
        }
      };

  /** Releases every held call. */
  void releaseAll() {
    for (Method method : List.of(recallMethod, userMethod, itemMethod, rankMethod, recordMethod)) {
      method.release();
    }
  }

  private void answerRefresh(StreamObserver<RecallResponse> responses) {
    Status failure = refreshFailure.get();
    if (failure != null) {
      responses.onError(failure.asRuntimeException());
      return;
    }
    RecallResponse.Builder response = RecallResponse.newBuilder().setBundleVersion("popular-v1");
    for (int i = 0; i < 10; i++) {
      response.addCandidates(candidate("p" + i, RecallSource.RECALL_SOURCE_POPULAR, i));
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  private boolean missing(String version, StreamObserver<?> responses) {
    if (version.isEmpty() || !rankingMissingVersions.containsKey(version)) {
      return false;
    }
    responses.onError(
        Status.NOT_FOUND.withDescription("bundle version " + version + " is not loaded").asRuntimeException());
    return true;
  }

  /** The fake catalogue's genre of an item. */
  static String genre(String id) {
    return id.equals("p1") ? "Comedy" : "Drama";
  }

  /** {@code c0..c(n-1)} in columns, with one COLLABORATIVE column, as {@link #candidate} scores them. */
  private static CandidateColumns columns(int n, int ids) {
    CandidateColumns.Builder columns = CandidateColumns.newBuilder();
    SourceColumn.Builder column = SourceColumn.newBuilder().setSource(RecallSource.RECALL_SOURCE_COLLABORATIVE);
    for (int i = 0; i < n; i++) {
      columns.addItems(i);
      if (i < ids) {
        columns.addItemIds("c" + i);
      }
      column.addCandidates(i).addScores(1f - i / 100f).addRanks(i);
    }
    return columns.addSources(column).build();
  }

  /** The candidates of columns as messages, the dense item {@code i} being {@code c<i>}. */
  private static List<RankCandidate> fromColumns(CandidateColumns columns) {
    List<RankCandidate.Builder> candidates = new ArrayList<>();
    for (int item : columns.getItemsList()) {
      candidates.add(RankCandidate.newBuilder().setItemId("c" + item));
    }
    for (SourceColumn column : columns.getSourcesList()) {
      for (int n = 0; n < column.getCandidatesCount(); n++) {
        candidates
            .get(column.getCandidates(n))
            .addSources(
                SourceScore.newBuilder()
                    .setSource(column.getSource())
                    .setScore(column.getScores(n))
                    .setRank(column.getRanks(n)));
      }
    }
    return candidates.stream().map(RankCandidate.Builder::build).toList();
  }

  private static Candidate candidate(String id, RecallSource source, int rank) {
    return Candidate.newBuilder()
        .setItemId(id)
        .addSources(SourceScore.newBuilder().setSource(source).setScore(1f - rank / 100f).setRank(rank))
        .build();
  }
}
