package dev.recsuite.cli.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.recsuite.feature.v1.FeatureServiceGrpc;
import dev.recsuite.feature.v1.GetItemFeaturesRequest;
import dev.recsuite.feature.v1.GetItemFeaturesResponse;
import dev.recsuite.feature.v1.GetUserFeaturesRequest;
import dev.recsuite.feature.v1.GetUserFeaturesResponse;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import dev.recsuite.gateway.v1.RecommendedItem;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import dev.recsuite.ranking.v1.ScoredItem;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expert: the <em>bare chain</em>, not a test. Four plain gRPC servers (Netty, plaintext, no
 * interceptors) with the suite's call graph and message sizes whose handlers do no work: each
 * answers a cached message. Its throughput is what gRPC transport alone allows for one {@code
 * Recommend} on this machine, and the suite's throughput is reported as a fraction of it ({@code
 * scripts/bench-saturation.sh} runs both with the same driver in one run).
 *
 * <p>The messages are captured once from a running suite ({@code capture}), as the gateway sends
 * them for one user: {@code GetUserFeatures}, {@code Recall} (500 candidates), {@code
 * GetItemFeatures} of every candidate, {@code Rank} with every candidate's item features, and the
 * {@code Recommend} answer. The flows ({@code serve --flow}) replay them in the suite's order:
 *
 * <ul>
 *   <li>{@code naive}: user features, recall, item features of all candidates, ranking with the item
 *       features carried through the gateway (the first flow of the suite);
 *   <li>{@code cached}: user features, recall, ranking with item ids and recall sources only (the
 *       ranking tier keeps the static item features of each bundle version) and display fields
 *       (title, genres) of the top {@code k} in its answer;
 *   <li>{@code cached-top}: as {@code cached}, but ranking answers only the best {@code k + 4} items
 *       ({@code max_items}, {@code describe_top}), each with its {@code candidate_index}: the flow
 *       the suite's gateway uses;
 *   <li>{@code cached-display}: as {@code cached}, but the display fields come from a fourth call,
 *       {@code GetItemFeatures} of the final {@code k} items;
 *   <li>{@code columns}: as {@code cached-top}, but recall answers its candidates in columns (dense
 *       item ids, one packed column per source, the ids of the first {@code k + 4}) and ranking gets
 *       those columns: the flow the suite's gateway uses once requests are pinned to a version.
 * </ul>
 *
 * <pre>
 * java -cp "cli/target/test-classes:cli/target/lib/*" dev.recsuite.cli.bench.BareChain capture \
 *     --gateway H:P --recall H:P --features H:P --ranking H:P --user 1 -k 10 --out DIR
 * java ... BareChain serve --role recall|features|ranking|gateway --flow naive|cached|cached-top|cached-display|columns \
 *     --messages DIR [--port 0] [--executor default|direct] [--recall H:P --features H:P --ranking H:P]
 * </pre>
 *
 * Each server logs {@code bare <role> listening on 127.0.0.1:PORT} once it serves. The gateway is
 * asynchronous (each answer starts the next call from gRPC's callback), so it runs with either
 * executor: {@code default} is gRPC's own cached thread pool on servers and channels, {@code direct}
 * runs handlers and callbacks on the Netty event loops.
 */
public final class BareChain {

  private static final Logger log = LoggerFactory.getLogger(BareChain.class);

  /** The message files of a capture. */
  private static final String USER_REQUEST = "user-request.pb";
  private static final String USER_RESPONSE = "user-response.pb";
  private static final String RECALL_REQUEST = "recall-request.pb";
  private static final String RECALL_RESPONSE = "recall-response.pb";
  private static final String RECALL_COLUMNS_RESPONSE = "recall-columns-response.pb";
  private static final String ITEMS_REQUEST = "items-request.pb";
  private static final String ITEMS_RESPONSE = "items-response.pb";
  private static final String RANK_REQUEST = "rank-request.pb";
  private static final String RANK_RESPONSE = "rank-response.pb";
  private static final String RECOMMEND_REQUEST = "recommend-request.pb";
  private static final String RECOMMEND_RESPONSE = "recommend-response.pb";

  private BareChain() {}

  /** The call graphs the bare chain replays. */
  enum Flow {
    NAIVE,
    CACHED,
    CACHED_TOP,
    CACHED_DISPLAY,
    COLUMNS;

    static Flow parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Every message of one request, as captured (the naive flow) or derived from it (the others). */
  record Messages(
      GetUserFeaturesRequest userRequest,
      GetUserFeaturesResponse userResponse,
      RecallRequest recallRequest,
      RecallResponse recallResponse,
      RecallResponse recallColumnsResponse,
      GetItemFeaturesRequest itemsRequest,
      GetItemFeaturesResponse itemsResponse,
      RankRequest rankRequest,
      RankResponse rankResponse,
      RecommendRequest recommendRequest,
      RecommendResponse recommendResponse) {

    static Messages read(Path dir) throws IOException {
      return new Messages(
          read(dir, USER_REQUEST, GetUserFeaturesRequest.parser()),
          read(dir, USER_RESPONSE, GetUserFeaturesResponse.parser()),
          read(dir, RECALL_REQUEST, RecallRequest.parser()),
          read(dir, RECALL_RESPONSE, RecallResponse.parser()),
          read(dir, RECALL_COLUMNS_RESPONSE, RecallResponse.parser()),
          read(dir, ITEMS_REQUEST, GetItemFeaturesRequest.parser()),
          read(dir, ITEMS_RESPONSE, GetItemFeaturesResponse.parser()),
          read(dir, RANK_REQUEST, RankRequest.parser()),
          read(dir, RANK_RESPONSE, RankResponse.parser()),
          read(dir, RECOMMEND_REQUEST, RecommendRequest.parser()),
          read(dir, RECOMMEND_RESPONSE, RecommendResponse.parser()));
    }

    void write(Path dir) throws IOException {
      Files.createDirectories(dir);
      write(dir, USER_REQUEST, userRequest);
      write(dir, USER_RESPONSE, userResponse);
      write(dir, RECALL_REQUEST, recallRequest);
      write(dir, RECALL_RESPONSE, recallResponse);
      write(dir, RECALL_COLUMNS_RESPONSE, recallColumnsResponse);
      write(dir, ITEMS_REQUEST, itemsRequest);
      write(dir, ITEMS_RESPONSE, itemsResponse);
      write(dir, RANK_REQUEST, rankRequest);
      write(dir, RANK_RESPONSE, rankResponse);
      write(dir, RECOMMEND_REQUEST, recommendRequest);
      write(dir, RECOMMEND_RESPONSE, recommendResponse);
    }

    private static <T> T read(Path dir, String name, Parser<T> parser) throws IOException {
      return parser.parseFrom(Files.readAllBytes(dir.resolve(name)));
    }

    private static void write(Path dir, String name, MessageLite message) throws IOException {
      Files.write(dir.resolve(name), message.toByteArray());
    }

    /**
     * The messages of {@code flow}: the captured ones for {@code NAIVE}; for the cached flows the
     * ranking request without item features and with the top {@code k} to describe, the ranking
     * answer with title and genres on its top {@code k}, and (for {@code CACHED_DISPLAY}) the item
     * features of the answer's items.
     */
    Messages forFlow(Flow flow) {
      if (flow == Flow.NAIVE) {
        return this;
      }
      int k = recommendRequest.getK();
      Map<String, ItemFeatures> features = new HashMap<>();
      for (ItemFeatures item : itemsResponse.getFeaturesList()) {
        features.putIfAbsent(item.getItemId(), item);
      }
      RankRequest.Builder rank = rankRequest.toBuilder().clearCandidates();
      for (RankCandidate candidate : rankRequest.getCandidatesList()) {
        rank.addCandidates(candidate.toBuilder().clearFeatures());
      }
      // The gateway's k plus its slack of 4 (RecommendationPipeline.wanted, no exclusions).
      boolean topOnly = flow == Flow.CACHED_TOP || flow == Flow.COLUMNS;
      int top = topOnly ? Math.min(k + 4, rankResponse.getItemsCount()) : k;
      Map<String, Integer> positions = new HashMap<>();
      for (int i = 0; i < rankRequest.getCandidatesCount(); i++) {
        positions.putIfAbsent(rankRequest.getCandidates(i).getItemId(), i);
      }
      RankResponse.Builder ranked = rankResponse.toBuilder().clearItems();
      for (int i = 0; i < rankResponse.getItemsCount(); i++) {
        ScoredItem item = rankResponse.getItems(i);
        if (topOnly && i == top) {
          break;
        }
        ItemFeatures display = features.get(item.getItemId());
        if (flow != Flow.CACHED_DISPLAY && i < top && display != null) {
          item = item.toBuilder().setTitle(display.getTitle()).addAllGenres(display.getGenresList()).build();
        }
        if (topOnly) {
          item = item.toBuilder().setCandidateIndex(positions.getOrDefault(item.getItemId(), 0)).build();
        }
        ranked.addItems(item);
      }
      GetItemFeaturesRequest.Builder itemsRequest = GetItemFeaturesRequest.newBuilder()
          .setBundleVersion(this.itemsRequest.getBundleVersion());
      GetItemFeaturesResponse.Builder itemsResponse = this.itemsResponse.toBuilder().clearFeatures();
      for (RecommendedItem item : recommendResponse.getItemsList()) {
        itemsRequest.addItemIds(item.getItemId());
        itemsResponse.addFeatures(features.getOrDefault(item.getItemId(), ItemFeatures.getDefaultInstance()));
      }
      if (flow == Flow.CACHED) {
        rank.setDescribeTop(k);
      } else if (topOnly) {
        rank.setDescribeTop(top).setMaxItems(top);
      }
      RecallRequest recall = recallRequest;
      RecallResponse recalled = recallResponse;
      if (flow == Flow.COLUMNS) {
        recall = recallRequest.toBuilder().setColumnar(true).setColumnarIds(top).build();
        recalled = recallColumnsResponse;
        rank.clearCandidates().setColumns(recallColumnsResponse.getColumns());
      }
      return new Messages(
          userRequest, userResponse, recall, recalled, recallColumnsResponse, itemsRequest.build(),
          itemsResponse.build(), rank.build(), ranked.build(), recommendRequest, recommendResponse);
    }

    String sizes() {
      return "user %d/%d B, recall %d/%d B, items %d/%d B, rank %d/%d B, recommend %d/%d B"
          .formatted(
              userRequest.getSerializedSize(), userResponse.getSerializedSize(),
              recallRequest.getSerializedSize(), recallResponse.getSerializedSize(),
              itemsRequest.getSerializedSize(), itemsResponse.getSerializedSize(),
              rankRequest.getSerializedSize(), rankResponse.getSerializedSize(),
              recommendRequest.getSerializedSize(), recommendResponse.getSerializedSize());
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("command: missing (expected: capture or serve)");
    }
    Map<String, String> options = options(args);
    switch (args[0]) {
      case "capture" -> capture(options);
      case "serve" -> serve(options);
      case "sizes" -> {
        Messages captured = Messages.read(Path.of(require(options, "--messages")));
        for (Flow flow : Flow.values()) {
          log.info("{}: {}", flow, captured.forFlow(flow).sizes());
        }
      }
      default -> throw new IllegalArgumentException("command: " + args[0] + " (expected: capture, serve or sizes)");
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + ": missing value");
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static String require(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + ": missing");
    }
    return value;
  }

  /** Asks the suite's tiers what the gateway asks them for one user and writes every message. */
  private static void capture(Map<String, String> options) throws Exception {
    String user = options.getOrDefault("--user", "1");
    int k = Integer.parseInt(options.getOrDefault("-k", "10"));
    int candidates = Integer.parseInt(options.getOrDefault("--candidates", "500"));
    List<ManagedChannel> channels = new ArrayList<>();
    Function<String, ManagedChannel> open =
        target -> {
          ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
          channels.add(channel);
          return channel;
        };
    try {
      RecommendRequest recommendRequest = RecommendRequest.newBuilder().setUserId(user).setK(k).build();
      RecommendResponse recommendResponse =
          GatewayServiceGrpc.newBlockingStub(open.apply(require(options, "--gateway")))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .recommend(recommendRequest);
      String pin = recommendResponse.getModelVersion();
      var features = FeatureServiceGrpc.newBlockingStub(open.apply(require(options, "--features")));
      var recall = RecallServiceGrpc.newBlockingStub(open.apply(require(options, "--recall")));
      var ranking = RankingServiceGrpc.newBlockingStub(open.apply(require(options, "--ranking")));

      GetUserFeaturesRequest userRequest =
          GetUserFeaturesRequest.newBuilder().setUserId(user).setBundleVersion(pin).build();
      GetUserFeaturesResponse userResponse = features.getUserFeatures(userRequest);
      RecallRequest recallRequest =
          RecallRequest.newBuilder()
              .setUserId(user)
              .setMaxCandidates(candidates)
              .setBundleVersion(pin)
              .addAllRecentItemIds(userResponse.getFeatures().getOnline().getConsumedItemIdsList())
              .addAllDislikedItemIds(userResponse.getFeatures().getDislikedItemIdsList())
              .build();
      RecallResponse recallResponse = recall.recall(recallRequest);
      RecallResponse recallColumnsResponse =
          recall.recall(recallRequest.toBuilder().setColumnar(true).setColumnarIds(k + 4).build());
      GetItemFeaturesRequest.Builder itemsRequest = GetItemFeaturesRequest.newBuilder().setBundleVersion(pin);
      for (Candidate candidate : recallResponse.getCandidatesList()) {
        itemsRequest.addItemIds(candidate.getItemId());
      }
      GetItemFeaturesResponse itemsResponse = features.getItemFeatures(itemsRequest.build());
      RankRequest.Builder rankRequest =
          RankRequest.newBuilder().setUser(userResponse.getFeatures()).setBundleVersion(pin);
      for (int i = 0; i < recallResponse.getCandidatesCount(); i++) {
        Candidate candidate = recallResponse.getCandidates(i);
        rankRequest.addCandidates(
            RankCandidate.newBuilder()
                .setItemId(candidate.getItemId())
                .addAllSources(candidate.getSourcesList())
                .setFeatures(itemsResponse.getFeatures(i)));
      }
      RankResponse rankResponse = ranking.rank(rankRequest.build());
      Messages messages =
          new Messages(
              userRequest, userResponse, recallRequest, recallResponse, recallColumnsResponse,
              itemsRequest.build(), itemsResponse, rankRequest.build(), rankResponse, recommendRequest,
              recommendResponse);
      Path out = Path.of(require(options, "--out"));
      messages.write(out);
      log.info("captured the messages of user {} (bundle {}) into {}: {}", user, pin, out, messages.sizes());
    } finally {
      for (ManagedChannel channel : channels) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void serve(Map<String, String> options) throws Exception {
    String role = require(options, "--role");
    Flow flow = Flow.parse(options.getOrDefault("--flow", "naive"));
    Messages messages = Messages.read(Path.of(require(options, "--messages"))).forFlow(flow);
    int port = Integer.parseInt(options.getOrDefault("--port", "0"));
    boolean direct = switch (options.getOrDefault("--executor", "default")) {
      case "default" -> false;
      case "direct" -> true;
      default -> throw new IllegalArgumentException(
          "--executor: " + options.get("--executor") + " (expected: default or direct)");
    };
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).maxInboundMessageSize(16 << 20);
    if (direct) {
      builder.directExecutor();
    }
    List<ManagedChannel> channels = new ArrayList<>();
    switch (role) {
      case "recall" -> builder.addService(new BareRecall(messages));
      case "features" -> builder.addService(new BareFeatures(messages));
      case "ranking" -> builder.addService(new BareRanking(messages));
      case "gateway" -> {
        Function<String, ManagedChannel> open =
            target -> {
              NettyChannelBuilder channel =
                  NettyChannelBuilder.forTarget(require(options, target)).usePlaintext().maxInboundMessageSize(16 << 20);
              if (direct) {
                channel.directExecutor();
              }
              ManagedChannel built = channel.build();
              channels.add(built);
              return built;
            };
        builder.addService(
            new BareGateway(
                flow,
                messages,
                RecallServiceGrpc.newFutureStub(open.apply("--recall")),
                FeatureServiceGrpc.newFutureStub(open.apply("--features")),
                RankingServiceGrpc.newFutureStub(open.apply("--ranking"))));
      }
      default -> throw new IllegalArgumentException(
          "--role: " + role + " (expected: recall, features, ranking or gateway)");
    }
    Server server = ((ServerBuilder<?>) builder).build().start();
    log.info(
        "bare {} listening on 127.0.0.1:{} (flow {}, {} executor): {}",
        role, server.getPort(), flow, direct ? "direct" : "default", messages.sizes());
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("bare-chain-stop")
                .unstarted(
                    () -> {
                      server.shutdownNow();
                      channels.forEach(ManagedChannel::shutdownNow);
                    }));
    server.awaitTermination();
  }

  private static <T> void answer(StreamObserver<T> observer, T message) {
    observer.onNext(message);
    observer.onCompleted();
  }

  /** Recall answering the cached candidates. */
  private static final class BareRecall extends RecallServiceGrpc.RecallServiceImplBase {
    private final RecallResponse response;

    BareRecall(Messages messages) {
      this.response = messages.recallResponse();
    }

    @Override
    public void recall(RecallRequest request, StreamObserver<RecallResponse> responses) {
      answer(responses, response);
    }
  }

  /** The feature tier answering the cached user and item features. */
  private static final class BareFeatures extends FeatureServiceGrpc.FeatureServiceImplBase {
    private final GetUserFeaturesResponse user;
    private final GetItemFeaturesResponse items;

    BareFeatures(Messages messages) {
      this.user = messages.userResponse();
      this.items = messages.itemsResponse();
    }

    @Override
    public void getUserFeatures(GetUserFeaturesRequest request, StreamObserver<GetUserFeaturesResponse> responses) {
      answer(responses, user);
    }

    @Override
    public void getItemFeatures(GetItemFeaturesRequest request, StreamObserver<GetItemFeaturesResponse> responses) {
      answer(responses, items);
    }
  }

  /** Ranking answering the cached order. */
  private static final class BareRanking extends RankingServiceGrpc.RankingServiceImplBase {
    private final RankResponse response;

    BareRanking(Messages messages) {
      this.response = messages.rankResponse();
    }

    @Override
    public void rank(RankRequest request, StreamObserver<RankResponse> responses) {
      answer(responses, response);
    }
  }

  /**
   * The gateway: the flow's calls one after the other, as the suite's gateway makes them (user
   * features before recall: fresh history), each started from the previous answer's callback, then
   * the cached answer.
   */
  private static final class BareGateway extends GatewayServiceGrpc.GatewayServiceImplBase {
    private final Flow flow;
    private final Messages messages;
    private final RecallServiceGrpc.RecallServiceFutureStub recall;
    private final FeatureServiceGrpc.FeatureServiceFutureStub features;
    private final RankingServiceGrpc.RankingServiceFutureStub ranking;
    private final Executor direct = MoreExecutors.directExecutor();

    BareGateway(
        Flow flow,
        Messages messages,
        RecallServiceGrpc.RecallServiceFutureStub recall,
        FeatureServiceGrpc.FeatureServiceFutureStub features,
        RankingServiceGrpc.RankingServiceFutureStub ranking) {
      this.flow = flow;
      this.messages = messages;
      this.recall = recall;
      this.features = features;
      this.ranking = ranking;
    }

    @Override
    public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> responses) {
      ListenableFuture<?> chain = features.getUserFeatures(messages.userRequest());
      chain = Futures.transformAsync(chain, ignored -> recall.recall(messages.recallRequest()), direct);
      if (flow == Flow.NAIVE) {
        chain = Futures.transformAsync(chain, ignored -> features.getItemFeatures(messages.itemsRequest()), direct);
      }
      chain = Futures.transformAsync(chain, ignored -> ranking.rank(messages.rankRequest()), direct);
      if (flow == Flow.CACHED_DISPLAY) {
        chain = Futures.transformAsync(chain, ignored -> features.getItemFeatures(messages.itemsRequest()), direct);
      }
      Futures.addCallback(
          chain,
          new FutureCallback<Object>() {
            @Override
            public void onSuccess(Object ignored) {
              answer(responses, messages.recommendResponse());
            }

            @Override
            public void onFailure(Throwable failure) {
              responses.onError(io.grpc.Status.fromThrowable(failure).asRuntimeException());
            }
          },
          direct);
    }
  }
}
