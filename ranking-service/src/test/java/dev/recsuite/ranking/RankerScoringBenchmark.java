package dev.recsuite.ranking;

import dev.recsuite.bundle.v1.CatalogItem;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Not a unit test: a rough single-threaded timing of batch scoring (500 candidates with realistic
 * features: 18 genre affinities, 1–3 genres and 1–3 recall sources per candidate), for one case per
 * JVM so that the JIT profiles of the cases do not mix. Cases: {@code extract} (feature extraction
 * only), {@code logistic}, {@code fm4}, {@code fm8}, {@code fm16}, and {@code bundle ROOT}: the
 * ranker of the newest bundle under {@code ROOT} on the first 500 catalogue items sent by id with
 * their sources only, as the gateway sends them (scored with the bundle's static item features).
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
    Supplier<float[]> scoring =
        switch (name) {
          case "extract" -> {
            float[] x = new float[RankingFeatures.SIZE];
            yield () -> {
              float[] scores = new float[candidates.size()];
              for (int i = 0; i < scores.length; i++) {
                RankCandidate c = candidates.get(i);
                RankingFeatures.extract(features, c.getFeatures(), c.getSourcesList(), x);
                scores[i] = x[i % x.length];
              }
              return scores;
            };
          }
          case "logistic" -> {
            RankerModel fm = FactorizationMachineRankerTest.randomModel(random, 1);
            LinearRanker ranker =
                LinearRanker.fromModel(fm.toBuilder().setKind(LinearRanker.KIND).clearFmFactors().clearFmVectors().build());
            yield () -> ranker.score(features, candidates);
          }
          case "fm4", "fm8", "fm16" -> {
            Ranker ranker =
                FactorizationMachineRanker.fromModel(
                    FactorizationMachineRankerTest.randomModel(random, Integer.parseInt(name.substring(2))));
            yield () -> ranker.score(features, candidates);
          }
          case "bundle" -> {
            Bundle bundle = new BundleRepository(Path.of(args[1])).openLatest();
            ServingModel model = ServingModel.load(bundle);
            List<RankCandidate> byId = new ArrayList<>();
            for (CatalogItem item : bundle.read(BundleFiles.CATALOG, ItemCatalog.parser()).getItemsList()) {
              if (byId.size() == CANDIDATES) {
                break;
              }
              byId.add(candidates.get(byId.size()).toBuilder().clearFeatures().setItemId(item.getId()).build());
            }
            yield () -> model.ranker().score(features, byId, model.items());
          }
          default -> throw new IllegalArgumentException("unknown case " + name);
        };
    double sink = 0;
    for (int i = 0; i < WARMUP; i++) {
      sink += scoring.get()[i % CANDIDATES];
    }
    long started = System.nanoTime();
    for (int i = 0; i < MEASURED; i++) {
      sink += scoring.get()[i % CANDIDATES];
    }
    double micros = (System.nanoTime() - started) / 1e3 / MEASURED;
    out.printf(
        Locale.ROOT, "%-8s %7.1f µs per %d candidates (%.0f ns each)%s%n",
        name, micros, CANDIDATES, micros * 1000 / CANDIDATES, Double.isNaN(sink) ? " NaN" : "");
  }
}
