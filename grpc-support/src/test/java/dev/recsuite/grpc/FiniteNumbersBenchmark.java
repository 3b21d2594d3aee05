package dev.recsuite.grpc;

import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Times {@link FiniteNumbers#allFinite(byte[])} on a {@code RankRequest} as the gateway sends it
 * (500 candidates by id, 1–3 recall sources each, a user with 18 genre affinities); a main
 * program, not a test (the build does not run it). Prints the median of 5 rounds of 200,000 calls.
 *
 * <pre>
 * java -cp "grpc-support/target/test-classes:cli/target/lib/*" dev.recsuite.grpc.FiniteNumbersBenchmark
 * </pre>
 */
public final class FiniteNumbersBenchmark {

  private static final int CALLS = 200_000;
  private static final int ROUNDS = 5;

  private FiniteNumbersBenchmark() {}

  public static void main(String[] args) {
    Random random = new Random(1);
    UserFeatures.Builder user = UserFeatures.newBuilder().setUserId("u1").setKnown(true).setMeanRating(3.6f);
    for (int g = 0; g < 18; g++) {
      user.putGenreAffinity("genre-" + g, random.nextFloat());
    }
    RankRequest.Builder request = RankRequest.newBuilder().setUser(user).setDescribeTop(14).setMaxItems(14);
    RecallSource[] sources = {
      RecallSource.RECALL_SOURCE_COLLABORATIVE, RecallSource.RECALL_SOURCE_CONTENT, RecallSource.RECALL_SOURCE_CO_OCCURRENCE
    };
    for (int i = 0; i < 500; i++) {
      RankCandidate.Builder candidate = RankCandidate.newBuilder().setItemId(Integer.toString(i));
      for (int s = 0, n = 1 + random.nextInt(3); s < n; s++) {
        candidate.addSources(
            SourceScore.newBuilder().setSource(sources[s]).setRank(random.nextInt(300)).setScore(random.nextFloat()));
      }
      request.addCandidates(candidate);
    }
    byte[] encoded = request.build().toByteArray();
    FiniteNumbers finite = FiniteNumbers.of(RankRequest.getDescriptor());
    double[] nanos = new double[ROUNDS];
    boolean all = true;
    for (int round = 0; round < ROUNDS; round++) {
      long started = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        all &= finite.allFinite(encoded);
      }
      nanos[round] = (System.nanoTime() - started) / (double) CALLS;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT, "RankRequest of %,d bytes: %.1f µs per allFinite (median of %d rounds)%s%n",
        encoded.length, nanos[ROUNDS / 2] / 1000, ROUNDS, all ? "" : " (not all finite?)");
  }
}
