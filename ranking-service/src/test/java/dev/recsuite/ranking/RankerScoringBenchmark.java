package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.CatalogItem;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.RankerModel;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.ranking.internal.RankingGrpcService;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Not a unit test: a rough single-threaded timing of batch scoring (500 candidates with realistic
 * features: 18 genre affinities, 1–3 genres and 1–3 recall sources per candidate), for one case per
 * JVM so that the JIT profiles of the cases do not mix (but for the forms of the bundle case). Cases: {@code extract} (feature extraction
 * only), {@code logistic}, {@code fm4}, {@code fm8}, {@code fm16}, and {@code bundle ROOT}: the
 * ranker of the newest bundle under {@code ROOT} on the first 500 catalogue items with their
 * sources only (scored with the bundle's static item features), in the two forms a gateway sends:
 * {@code ids} (500 {@code RankCandidate} messages by item id) and {@code columns} (the same
 * candidates as a {@code CandidateColumns} of dense item ids, one column per source), each also
 * with the parse of its {@code RankRequest} bytes ({@code ids+parse}, {@code columns+parse}), and
 * each parsed and answered by the service's handler ({@code ids+Rank}, {@code columns+Rank}:
 * validation, scoring, the best 50 ordered and answered, 10 of them described; no transport). The
 * forms are checked to give the same scores and answers, then timed in the same JVM in alternating
 * rounds, so that load on the machine affects them alike (the rankers' scoring loop then sees both
 * forms, as a server that answers both would).
 *
 * <pre>
 * for c in extract logistic fm4 fm8 fm16 "bundle /tmp/bundles"; do
 *   java -cp ranking-service/target/test-classes:ranking-service/target/classes:$(cat /tmp/cp.txt) \
 *       dev.recsuite.ranking.RankerScoringBenchmark $c
 * done
 * </pre>
 *
 * (the class path as in {@link RankerComparison}).
 */
public final class RankerScoringBenchmark {

  private static final int CANDIDATES = 500;
  private static final int WARMUP = 10_000;
  private static final int MEASURED = 20_000;
  /** Measured calls of each case are split into this many rounds, the cases taking turns. */
  private static final int ROUNDS = 10;
  /** The items a timed {@code Rank} answers, and how many of them it describes (a gateway's). */
  private static final int MAX_ITEMS = 50;
  private static final int DESCRIBE_TOP = 10;

  private RankerScoringBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    String name = args.length > 0 ? args[0] : "fm8";
    Random random = new Random(1);
    String[] genres = {
      "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
      "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"
    };
    UserFeatures.Builder user =
        UserFeatures.newBuilder()
            .setUserId("u")
            .setKnown(true)
            .setInteractionCount(120)
            .setMeanRating(3.6f)
            .setMeanItemYear(1992);
    for (String genre : genres) {
      user.putGenreAffinity(genre, random.nextFloat());
    }
    RecallSource[] sources = {
      RecallSource.RECALL_SOURCE_COLLABORATIVE, RecallSource.RECALL_SOURCE_CONTENT, RecallSource.RECALL_SOURCE_POPULAR
    };
    List<RankCandidate> candidates = new ArrayList<>();
    for (int i = 0; i < CANDIDATES; i++) {
      ItemFeatures.Builder item =
          ItemFeatures.newBuilder()
              .setItemId("i" + i)
              .setKnown(true)
              .setPopularity(random.nextFloat())
              .setShrunkRating(3 + random.nextFloat())
              .setInteractionCount(random.nextInt(500))
              .setYear(1980 + random.nextInt(20));
      for (int g = 0, n = 1 + random.nextInt(3); g < n; g++) {
        item.addGenres(genres[random.nextInt(genres.length)]);
      }
      RankCandidate.Builder candidate = RankCandidate.newBuilder().setItemId("i" + i).setFeatures(item);
      for (int s = 0, n = 1 + random.nextInt(3); s < n; s++) {
        candidate.addSources(
            SourceScore.newBuilder().setSource(sources[s]).setScore(random.nextFloat()).setRank(random.nextInt(300)));
      }
      candidates.add(candidate.build());
    }
    UserFeatures features = user.build();
    Map<String, Supplier<?>> cases = new LinkedHashMap<>();
    switch (name) {
      case "extract" -> {
        float[] x = new float[RankingFeatures.SIZE];
        cases.put(name, () -> {
          float[] scores = new float[candidates.size()];
          for (int i = 0; i < scores.length; i++) {
            RankCandidate c = candidates.get(i);
            RankingFeatures.extract(features, c.getFeatures(), c.getSourcesList(), x);
            scores[i] = x[i % x.length];
          }
          return scores;
        });
      }
      case "logistic" -> {
        RankerModel fm = FactorizationMachineRankerTest.randomModel(random, 1);
        LinearRanker ranker =
            LinearRanker.fromModel(fm.toBuilder().setKind(LinearRanker.KIND).clearFmFactors().clearFmVectors().build());
        cases.put(name, () -> ranker.score(features, candidates));
      }
      case "fm4", "fm8", "fm16" -> {
        Ranker ranker =
            FactorizationMachineRanker.fromModel(
                FactorizationMachineRankerTest.randomModel(random, Integer.parseInt(name.substring(2))));
        cases.put(name, () -> ranker.score(features, candidates));
      }
      case "bundle" -> {
        Bundle bundle = new BundleRepository(Path.of(args[1])).openLatest();
        ServingModel model = ServingModel.load(bundle);
        Ranker ranker = model.ranker();
        StaticItemFeatures items = model.items();
        List<RankCandidate> byId = new ArrayList<>();
        for (CatalogItem item : bundle.read(BundleFiles.CATALOG, ItemCatalog.parser()).getItemsList()) {
          if (byId.size() == CANDIDATES) {
            break;
          }
          byId.add(candidates.get(byId.size()).toBuilder().clearFeatures().setItemId(item.getId()).build());
        }
        CandidateColumns columns = columns(byId);
        RankRequest idsRequest =
            RankRequest.newBuilder().setUser(features).setBundleVersion(model.version()).addAllCandidates(byId).build();
        RankRequest columnsRequest =
            RankRequest.newBuilder().setUser(features).setBundleVersion(model.version()).setColumns(columns).build();
        byte[] idsBytes = idsRequest.toByteArray();
        byte[] columnsBytes = columnsRequest.toByteArray();
        out.printf(
            Locale.ROOT, "bundle %s (%s): RankRequest of %d candidates, %d bytes by id, %d bytes in columns%n",
            model.version(), ranker, byId.size(), idsBytes.length, columnsBytes.length);
        cases.put("ids", () -> ranker.score(features, byId, items));
        cases.put("columns", () -> ranker.score(features, columns, items));
        cases.put("ids+parse", () -> {
          RankRequest request = parse(idsBytes);
          return ranker.score(request.getUser(), request.getCandidatesList(), items);
        });
        cases.put("columns+parse", () -> {
          RankRequest request = parse(columnsBytes);
          return ranker.score(request.getUser(), request.getColumns(), items);
        });
        // The whole handler as a server runs it after the parse: validation, lease, scoring, the
        // best MAX_ITEMS ordered and answered, DESCRIBE_TOP of them described.
        ServedBundles<ServingModel> served =
            new ServedBundles<>("ranking-service", Clock.systemUTC(), Duration.ofMinutes(5));
        served.publish(model.version(), model);
        RankingGrpcService service = new RankingGrpcService(served, CANDIDATES);
        byte[] idsRankBytes = idsRequest.toBuilder().setMaxItems(MAX_ITEMS).setDescribeTop(DESCRIBE_TOP).build().toByteArray();
        byte[] columnsRankBytes =
            columnsRequest.toBuilder().setMaxItems(MAX_ITEMS).setDescribeTop(DESCRIBE_TOP).build().toByteArray();
        cases.put("ids+Rank", () -> rank(service, idsRankBytes));
        cases.put("columns+Rank", () -> rank(service, columnsRankBytes));
        if (!rank(service, idsRankBytes).equals(rank(service, columnsRankBytes))) {
          throw new AssertionError("Rank answers other items in columns than by id");
        }
        float[] expected = ranker.score(features, byId, items);
        for (Map.Entry<String, Supplier<?>> form : cases.entrySet()) {
          if (!form.getKey().endsWith("+Rank") && !Arrays.equals((float[]) form.getValue().get(), expected)) {
            throw new AssertionError(form.getKey() + ": other scores than by id");
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown case " + name);
    }
    double sink = 0;
    for (int i = 0; i < WARMUP; i++) {
      for (Supplier<?> scoring : cases.values()) {
        sink += sample(scoring.get(), i);
      }
    }
    Map<String, Long> nanos = new LinkedHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      for (Map.Entry<String, Supplier<?>> scoring : cases.entrySet()) {
        long started = System.nanoTime();
        for (int i = 0; i < MEASURED / ROUNDS; i++) {
          sink += sample(scoring.getValue().get(), i);
        }
        nanos.merge(scoring.getKey(), System.nanoTime() - started, Long::sum);
      }
    }
    for (Map.Entry<String, Long> measured : nanos.entrySet()) {
      double micros = measured.getValue() / 1e3 / MEASURED;
      out.printf(
          Locale.ROOT, "%-14s %7.1f µs per %d candidates (%.0f ns each)%s%n",
          measured.getKey(), micros, CANDIDATES, micros * 1000 / CANDIDATES, Double.isNaN(sink) ? " NaN" : "");
    }
  }

  /** One number of a case's result, so that the JIT cannot drop the work. */
  private static double sample(Object result, int i) {
    return result instanceof float[] scores
        ? scores[i % scores.length]
        : ((RankResponse) result).getItems(i % MAX_ITEMS).getScore();
  }

  /** Parses {@code bytes} and answers the {@code RankRequest} with {@code service}. */
  private static RankResponse rank(RankingGrpcService service, byte[] bytes) {
    RankResponse[] answer = new RankResponse[1];
    service.rank(
        parse(bytes),
        new StreamObserver<>() {
          @Override
          public void onNext(RankResponse response) {
            answer[0] = response;
          }

          @Override
          public void onError(Throwable t) {
            throw new IllegalStateException(t);
          }

          @Override
          public void onCompleted() {}
        });
    return answer[0];
  }

  /** The candidates in columns: dense id {@code i} for candidate {@code i}, one column per source. */
  private static CandidateColumns columns(List<RankCandidate> byId) {
    CandidateColumns.Builder columns = CandidateColumns.newBuilder();
    Map<RecallSource, SourceColumn.Builder> bySource = new TreeMap<>();
    for (int i = 0; i < byId.size(); i++) {
      columns.addItems(i);
      for (SourceScore source : byId.get(i).getSourcesList()) {
        bySource
            .computeIfAbsent(source.getSource(), s -> SourceColumn.newBuilder().setSource(s))
            .addCandidates(i)
            .addScores(source.getScore())
            .addRanks(source.getRank());
      }
    }
    bySource.values().forEach(columns::addSources);
    return columns.build();
  }

  private static RankRequest parse(byte[] bytes) {
    try {
      return RankRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(e);
    }
  }
}
