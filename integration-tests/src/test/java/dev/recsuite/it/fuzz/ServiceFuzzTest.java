package dev.recsuite.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Timestamps;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Item;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.RecordEventsRequest;
import dev.recsuite.feature.v1.RecordEventsResponse;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.gateway.v1.RecordFeedbackRequest;
import dev.recsuite.gateway.v1.RecordFeedbackResponse;
import dev.recsuite.gateway.v1.StreamFeedbackRequest;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded fuzzing of every RPC of the four services: {@value #DEFAULT_ITERATIONS} mutated requests
 * each by default ({@code -Dfuzz.iterations=200000} for a long run, {@code -Dfuzz.seed=N} to vary
 * or reproduce one), sent as raw frames over real loopback connections to the services as their
 * processes wire them, on a small synthetic bundle trained once for the class.
 *
 * <p>Every call must end, within its deadline, with a status a client can act on: {@code OK}, or
 * {@code INVALID_ARGUMENT}, {@code NOT_FOUND}, {@code RESOURCE_EXHAUSTED}, {@code
 * FAILED_PRECONDITION}, never {@code UNKNOWN}, {@code INTERNAL}, {@code UNAVAILABLE} or {@code
 * DEADLINE_EXCEEDED}; a frame that is not a protobuf message at all included (grpc-support's
 * request screening answers it {@code INVALID_ARGUMENT}). An {@code OK} answer must keep the
 * response's contract (at most
 * {@code k} items, no excluded item, one feature entry per id...). After the run, the service
 * still answers a valid request and reports {@code SERVING}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceFuzzTest {

  /** Requests per RPC when {@code fuzz.iterations} is not set: the whole class stays under a minute. */
  static final int DEFAULT_ITERATIONS = 800;

  private static final Logger log = LoggerFactory.getLogger(ServiceFuzzTest.class);
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final int WORKERS = 4;
  private static final int MAX_REPORTED = 15;
  private static final Set<Status.Code> ALLOWED =
      Set.of(
          Status.Code.OK,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.FAILED_PRECONDITION);

  private final int iterations = Integer.getInteger("fuzz.iterations", DEFAULT_ITERATIONS);
  private final long seed = Long.getLong("fuzz.seed", 20261130L);
  private final AtomicLong eventIds = new AtomicLong();

  private FuzzSuite suite;
  private Dataset data;
  private List<String> users;
  private List<String> items;
  private List<String> vocabulary;
  private ExecutorService workers;

  @BeforeAll
  void trainAndStart(@TempDir Path root) throws Exception {
    data = SyntheticData.generate(SyntheticSpec.defaults().withSize(150, 200, 20));
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    new TrainingPipeline(TrainerSettings.defaults(), clock).train(data, root.resolve("bundles"), "fuzz");
    suite = FuzzSuite.start(root.resolve("bundles"), root.resolve("feedback"));
    users = data.users().stream().map(u -> u.id()).toList();
    items = data.items().stream().map(Item::id).toList();
    Set<String> words = new HashSet<>(users.subList(0, 20));
    words.addAll(items.subList(0, 40));
    data.items().forEach(item -> words.addAll(item.genres()));
    words.add("unknown-user");
    vocabulary = words.stream().sorted().toList();
    workers = Executors.newFixedThreadPool(WORKERS, Thread.ofPlatform().name("fuzz-worker-", 0).factory());
  }

  @AfterAll
  void stop() throws Exception {
    if (workers != null) {
      workers.shutdownNow();
    }
    if (suite != null) {
      suite.close();
    }
  }

  @Test
  void gatewayRecommend_mutatedRequests_getClientStatusesAndKeepTheContract() throws Exception {
    List<RecommendRequest> seeds =
        List.of(
            RecommendRequest.newBuilder().setUserId(users.get(0)).setK(10).build(),
            RecommendRequest.newBuilder()
                .setUserId(users.get(1))
                .setK(5)
                .setQuery("space drama")
                .addExcludeItemIds(items.get(0))
                .setFilter(ItemFilter.newBuilder().addIncludeGenres(data.items().get(0).genres().getFirst()))
                .putContext("surface", "home")
                .build(),
            RecommendRequest.newBuilder()
                .setUserId("cold-start-user")
                .setK(3)
                .addAllCandidateItemIds(items.subList(0, 20))
                .build());
    fuzz(
        "GatewayService/Recommend",
        suite.gatewayTarget(),
        GatewayServiceGrpc.getRecommendMethod(),
        seeds,
        false,
        (requestBytes, responseBytes) -> {
          RecommendRequest request = parse(requestBytes, RecommendRequest.parser());
          RecommendResponse response = parse(responseBytes, RecommendResponse.parser());
          assertThat(response.getItemsCount()).as("items for k=%d", request.getK()).isLessThanOrEqualTo(request.getK());
          List<String> returned = response.getItemsList().stream().map(RecommendedItem::getItemId).toList();
          assertThat(returned).as("items").doesNotHaveDuplicates();
          assertThat(common(returned, request.getExcludeItemIdsList())).as("excluded items returned").isEmpty();
          assertThat(response.getDegraded()).as("degraded (%s)", response.getDegradedReasonsList()).isFalse();
        });
  }

  @Test
  void gatewayRecordFeedback_mutatedBatches_getClientStatuses() throws Exception {
    List<RecordFeedbackRequest> seeds =
        List.of(
            RecordFeedbackRequest.newBuilder().addEvents(event(EventType.EVENT_TYPE_CLICK, 0, false)).build(),
            RecordFeedbackRequest.newBuilder()
                .addEvents(event(EventType.EVENT_TYPE_RATING, 4.5, true))
                .addEvents(event(EventType.EVENT_TYPE_DISLIKE, 0, false).toBuilder().putContext("page", "home"))
                .build());
    fuzz(
        "GatewayService/RecordFeedback",
        suite.gatewayTarget(),
        GatewayServiceGrpc.getRecordFeedbackMethod(),
        seeds,
        false,
        (requestBytes, responseBytes) -> {
          RecordFeedbackRequest request = parse(requestBytes, RecordFeedbackRequest.parser());
          RecordFeedbackResponse response = parse(responseBytes, RecordFeedbackResponse.parser());
          assertThat(response.getOutcomesCount()).as("outcomes").isEqualTo(request.getEventsCount());
        });
  }

  @Test
  void gatewayStreamFeedback_mutatedStreams_getClientStatuses() throws Exception {
    List<StreamFeedbackRequest> seeds =
        List.of(
            StreamFeedbackRequest.newBuilder().addEvents(event(EventType.EVENT_TYPE_VIEW, 0, false)).build(),
            StreamFeedbackRequest.newBuilder()
                .addEvents(event(EventType.EVENT_TYPE_LIKE, 0, true))
                .addEvents(event(EventType.EVENT_TYPE_PURCHASE, 0, false))
                .build());
    fuzz(
        "GatewayService/StreamFeedback",
        suite.gatewayTarget(),
        GatewayServiceGrpc.getStreamFeedbackMethod(),
        seeds,
        true,
        (requestBytes, responseBytes) -> {});
  }

  @Test
  void recall_mutatedRequests_getClientStatusesAndKeepTheContract() throws Exception {
    List<RecallRequest> seeds =
        List.of(
            RecallRequest.newBuilder().setUserId(users.get(2)).setMaxCandidates(100).build(),
            RecallRequest.newBuilder()
                .setUserId(users.get(3))
                .setMaxCandidates(50)
                .setQuery("love")
                .addAllRecentItemIds(items.subList(10, 13))
                .addExcludeItemIds(items.get(14))
                .addDislikedItemIds(items.get(15))
                .setFilter(ItemFilter.newBuilder().addExcludeGenres(data.items().get(1).genres().getFirst()))
                .build(),
            RecallRequest.newBuilder()
                .setUserId("nobody")
                .setMaxCandidates(20)
                .addAllCandidateItemIds(items.subList(20, 40))
                .build());
    fuzz(
        "RecallService/Recall",
        suite.recallTarget(),
        RecallServiceGrpc.getRecallMethod(),
        seeds,
        false,
        (requestBytes, responseBytes) -> {
          RecallRequest request = parse(requestBytes, RecallRequest.parser());
          RecallResponse response = parse(responseBytes, RecallResponse.parser());
          assertThat(response.getCandidatesCount()).as("candidates").isLessThanOrEqualTo(request.getMaxCandidates());
          List<String> returned = response.getCandidatesList().stream().map(Candidate::getItemId).toList();
          assertThat(returned).as("candidates").doesNotHaveDuplicates();
          assertThat(common(returned, request.getExcludeItemIdsList())).as("excluded items returned").isEmpty();
          assertThat(common(returned, request.getRecentItemIdsList())).as("recent items returned").isEmpty();
          assertThat(common(returned, request.getDislikedItemIdsList())).as("disliked items returned").isEmpty();
        });
  }

  @Test
  void featureLookups_mutatedRequests_getClientStatusesAndKeepTheContract() throws Exception {
    fuzz(
        "FeatureService/GetUserFeatures",
        suite.featureTarget(),
        FeatureServiceGrpc.getGetUserFeaturesMethod(),
        List.of(
            GetUserFeaturesRequest.newBuilder().setUserId(users.get(4)).build(),
            GetUserFeaturesRequest.newBuilder().setUserId("new-user").build()),
        false,
        (requestBytes, responseBytes) -> {
          GetUserFeaturesRequest request = parse(requestBytes, GetUserFeaturesRequest.parser());
          GetUserFeaturesResponse response = parse(responseBytes, GetUserFeaturesResponse.parser());
          assertThat(response.getFeatures().getUserId()).isEqualTo(request.getUserId());
        });
    fuzz(
        "FeatureService/GetItemFeatures",
        suite.featureTarget(),
        FeatureServiceGrpc.getGetItemFeaturesMethod(),
        List.of(
            GetItemFeaturesRequest.newBuilder().addAllItemIds(items.subList(0, 10)).build(),
            GetItemFeaturesRequest.newBuilder().addItemIds("unknown-item").addItemIds(items.get(5)).build()),
        false,
        (requestBytes, responseBytes) -> {
          GetItemFeaturesRequest request = parse(requestBytes, GetItemFeaturesRequest.parser());
          GetItemFeaturesResponse response = parse(responseBytes, GetItemFeaturesResponse.parser());
          assertThat(response.getFeaturesList()).extracting(ItemFeatures::getItemId)
              .containsExactlyElementsOf(request.getItemIdsList());
        });
  }

  @Test
  void featureRecordEvents_mutatedBatches_getClientStatuses() throws Exception {
    long now = System.currentTimeMillis();
    List<RecordEventsRequest> seeds =
        List.of(
            RecordEventsRequest.newBuilder()
                .addEvents(event(EventType.EVENT_TYPE_SHARE, 0, false).toBuilder().setTimestamp(Timestamps.fromMillis(now)))
                .build(),
            RecordEventsRequest.newBuilder()
                .addEvents(event(EventType.EVENT_TYPE_RATING, 0.5, true).toBuilder().setTimestamp(Timestamps.fromMillis(now - 60_000)))
                .addEvents(event(EventType.EVENT_TYPE_ADD_TO_CART, 0, false).toBuilder().setTimestamp(Timestamps.fromMillis(now)))
                .build());
    fuzz(
        "FeatureService/RecordEvents",
        suite.featureTarget(),
        FeatureServiceGrpc.getRecordEventsMethod(),
        seeds,
        false,
        (requestBytes, responseBytes) -> {
          RecordEventsRequest request = parse(requestBytes, RecordEventsRequest.parser());
          RecordEventsResponse response = parse(responseBytes, RecordEventsResponse.parser());
          assertThat(response.getOutcomesCount()).as("outcomes").isEqualTo(request.getEventsCount());
        });
  }

  @Test
  void rank_mutatedRequests_getClientStatusesAndKeepTheContract() throws Exception {
    UserFeatures user =
        UserFeatures.newBuilder()
            .setUserId(users.get(5))
            .setKnown(true)
            .setInteractionCount(12)
            .setMeanRating(3.5f)
            .setRatingStddev(0.8f)
            .putGenreAffinity(data.items().get(0).genres().getFirst(), 0.4f)
            .addAllRecentItemIds(items.subList(0, 3))
            .putAttributes("age", "25")
            .setMeanItemYear(1994)
            .build();
    RankRequest.Builder plain = RankRequest.newBuilder().setUser(user);
    for (int i = 0; i < 8; i++) {
      plain.addCandidates(
          RankCandidate.newBuilder()
              .setItemId(items.get(i))
              .addSources(SourceScore.newBuilder().setSource(RecallSource.RECALL_SOURCE_COLLABORATIVE).setScore(0.9f - i * 0.1f).setRank(i)));
    }
    RankRequest withFeatures =
        RankRequest.newBuilder()
            .setUser(user)
            .addCandidates(
                RankCandidate.newBuilder()
                    .setItemId(items.get(30))
                    .setFeatures(
                        ItemFeatures.newBuilder()
                            .setItemId(items.get(30))
                            .setKnown(true)
                            .setYear(1999)
                            .setInteractionCount(40)
                            .setPopularity(0.5f)
                            .setMeanRating(3.9f)
                            .setShrunkRating(3.7f)
                            .addGenres(data.items().get(30).genres().getFirst())))
            .build();
    fuzz(
        "RankingService/Rank",
        suite.rankingTarget(),
        RankingServiceGrpc.getRankMethod(),
        List.of(plain.build(), withFeatures),
        false,
        Set.of(),
        (requestBytes, responseBytes) -> {
          RankRequest request = parse(requestBytes, RankRequest.parser());
          RankResponse response = parse(responseBytes, RankResponse.parser());
          // max_items (newer servers): only the best ones are answered.
          var maxItemsField = RankRequest.getDescriptor().findFieldByName("max_items");
          int maxItems = maxItemsField == null ? 0 : (Integer) request.getField(maxItemsField);
          int expected = maxItems > 0 ? Math.min(maxItems, request.getCandidatesCount()) : request.getCandidatesCount();
          assertThat(response.getItemsCount()).as("scored items (max_items %d)", maxItems).isEqualTo(expected);
          for (int i = 1; i < response.getItemsCount(); i++) {
            assertThat(response.getItems(i).getScore())
                .as("score %d is finite and not above the one before", i)
                .isFinite()
                .isLessThanOrEqualTo(response.getItems(i - 1).getScore());
          }
        });
  }

  /**
   * Sends {@link #iterations} fuzz inputs derived from {@code seeds} to {@code method}, on {@value
   * #WORKERS} threads, then checks that the seeds still succeed and that the server is healthy.
   *
   * @param contract checks an {@code OK} answer against the request that got it
   */
  private void fuzz(
      String name,
      String target,
      MethodDescriptor<?, ?> method,
      List<? extends Message> seeds,
      boolean streaming,
      BiConsumer<byte[], byte[]> contract)
      throws Exception {
    fuzz(name, target, method, seeds, streaming, Set.of(), contract);
  }

  /** As {@link #fuzz(String, String, MethodDescriptor, List, boolean, BiConsumer)}, never changing the {@code frozen} fields. */
  private void fuzz(
      String name,
      String target,
      MethodDescriptor<?, ?> method,
      List<? extends Message> seeds,
      boolean streaming,
      Set<String> frozen,
      BiConsumer<byte[], byte[]> contract)
      throws Exception {
    MethodDescriptor<byte[], byte[]> raw = RawCalls.raw(method);
    ManagedChannel channel = suite.channel(target);
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    Map<Status.Code, AtomicLong> codes = new EnumMap<>(Status.Code.class);
    for (Status.Code code : Status.Code.values()) {
      codes.put(code, new AtomicLong());
    }
    AtomicLong slowest = new AtomicLong();
    long started = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      int share = iterations / WORKERS + (w < iterations % WORKERS ? 1 : 0);
      long workerSeed = seed * 31 + name.hashCode() * 7L + worker;
      // Streams get a connection per worker; a corrupt frame must not cost the connection.
      ManagedChannel workerChannel = streaming ? suite.channel(target) : channel;
      running.add(
          workers.submit(
              () -> {
                ProtoFuzzer fuzzer = new ProtoFuzzer(new SplittableRandom(workerSeed), vocabulary, frozen);
                SplittableRandom frames = new SplittableRandom(workerSeed ^ 0x5DEECE66DL);
                for (int i = 0; i < share; i++) {
                  List<ProtoFuzzer.Input> inputs = new ArrayList<>();
                  int count = streaming ? 1 + frames.nextInt(3) : 1;
                  for (int f = 0; f < count; f++) {
                    inputs.add(fuzzer.next(seeds));
                  }
                  String where = "seed " + workerSeed + " iteration " + i + ": " + inputs.stream().map(in -> in.shape() + " " + in.description()).toList();
                  RawCalls.Outcome outcome;
                  try {
                    outcome = RawCalls.call(workerChannel, raw, inputs.stream().map(ProtoFuzzer.Input::bytes).toList(), DEADLINE);
                  } catch (TimeoutException e) {
                    failures.add(where + " -> no answer within the deadline");
                    continue;
                  }
                  codes.get(outcome.status().getCode()).incrementAndGet();
                  slowest.accumulateAndGet(outcome.took().toMillis(), Math::max);
                  Status status = outcome.status();
                  if (status.isOk()) {
                    if (!streaming) {
                      try {
                        contract.accept(inputs.getFirst().bytes(), outcome.response());
                      } catch (AssertionError | RuntimeException e) {
                        failures.add(where + " -> OK but " + ProtoFuzzer.printable(String.valueOf(e.getMessage()).replaceAll("\\s+", " ")));
                      }
                    }
                  } else if (!ALLOWED.contains(status.getCode())) {
                    failures.add(where + " -> " + status.getCode() + ": " + ProtoFuzzer.printable(String.valueOf(status.getDescription())));
                  }
                }
                return null;
              }));
    }
    // No class-wide timeout, so that a long run (-Dfuzz.iterations=200000) is not cut: every call
    // has its deadline, and the whole run gets a bound proportional to its size.
    long bound = Math.max(TimeUnit.MINUTES.toMillis(2), iterations * 50L);
    for (Future<?> future : running) {
      future.get(bound, TimeUnit.MILLISECONDS);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Map<Status.Code, Long> seen = new EnumMap<>(Status.Code.class);
    codes.forEach((code, count) -> {
      if (count.get() > 0) {
        seen.put(code, count.get());
      }
    });
    log.info("fuzz {}: {} calls in {} ms (slowest {} ms), statuses {}, failures {}",
        name, iterations, took.toMillis(), slowest.get(), seen, failures.size());

    assertThat(failures).as("%s: calls that crashed, hung or broke the contract (of %d)", name, iterations)
        .isEmpty();
    assertThat(seen.keySet()).as("%s: the fuzzer reaches both success and rejection", name)
        .contains(Status.Code.OK, Status.Code.INVALID_ARGUMENT);
    // The server is still well: every seed succeeds, and health says SERVING.
    for (Message seedRequest : seeds) {
      RawCalls.Outcome after = RawCalls.call(channel, raw, List.of(seedRequest.toByteArray()), DEADLINE);
      assertThat(after.status().getCode()).as("%s: a valid request after the run (%s)", name, after.status()).isEqualTo(Status.Code.OK);
    }
    ServingStatus health =
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus();
    assertThat(health).as("%s: health after the run", name).isEqualTo(ServingStatus.SERVING);
  }

  private static List<String> common(List<String> returned, List<String> forbidden) {
    Set<String> set = new HashSet<>(forbidden);
    return returned.stream().filter(set::contains).toList();
  }

  private FeedbackEvent event(EventType type, double value, boolean known) {
    String user = known ? users.get(6) : "fuzz-user";
    return FeedbackEvent.newBuilder()
        .setEventId("fuzz-" + eventIds.incrementAndGet())
        .setUserId(user)
        .setItemId(items.get((int) (eventIds.get() % items.size())))
        .setType(type)
        .setValue(value)
        .build();
  }

  private static <T extends Message> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an answered frame does not parse: " + e.getMessage(), e);
    }
  }
}
