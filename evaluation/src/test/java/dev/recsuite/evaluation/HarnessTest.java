package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.recsuite.core.bundle.Bundle;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.recall.RecallSettings;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import dev.recsuite.trainer.TrainerSettings;
import dev.recsuite.trainer.TrainingPipeline;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness end to end on a small synthetic data set: one bundle trained for the class, the four
 * services on loopback in this JVM, and the pipeline through the gateway compared with the same
 * pipeline in process, user by user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HarnessTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path dir;

  private Bundle bundle;
  private InProcessModels models;
  private LocalSuite suite;
  private ManagedChannel gatewayChannel;
  private ManagedChannel recallChannel;
  private Evaluator evaluator;

  @BeforeAll
  void trainAndStart() throws Exception {
    SyntheticSpec spec = SyntheticSpec.defaults().withSeed(7).withSize(300, 500, 40);
    Path root = dir.resolve("bundles");
    bundle =
        Bundle.open(
            new TrainingPipeline(TrainerSettings.defaults(), Clock.systemUTC())
                .train(SyntheticData.generate(spec), root, "synthetic")
                .directory());
    models = InProcessModels.load(bundle, RecallSettings.defaults(), 500, 0);
    suite = LocalSuite.start(bundle, 500);
    gatewayChannel = NettyChannelBuilder.forTarget(suite.gatewayTarget()).usePlaintext().build();
    recallChannel = NettyChannelBuilder.forTarget(suite.recallTarget()).usePlaintext().build();
    evaluator =
        new Evaluator(
            new EvaluationSettings(4, 2, new Bootstrap(200, 1), List.of(100, 500), 2_000, Duration.ofSeconds(30)),
            models.catalogue());
  }

  @AfterAll
  void stop() throws Exception {
    for (ManagedChannel channel : new ManagedChannel[] {gatewayChannel, recallChannel}) {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    if (suite != null) {
      suite.close();
    }
    if (models != null) {
      models.close();
    }
  }

  @Test
  void fullRanking_gatewayAndInProcessPipeline_giveTheSameListsForEveryUser() throws Exception {
    TestSet set = TestSet.fullRanking(models.train(), models.holdout());
    GatewayRecommender gateway = new GatewayRecommender(gatewayChannel, DEADLINE, bundle.version());

    // Directly, for a few users: same items, same order, same scores.
    for (TestCase c : set.cases().subList(0, 5)) {
      List<Recommendation> remote = gateway.recommend(c, 20);
      List<Recommendation> local = models.pipeline().recommend(c, 20);
      assertThat(remote).hasSize(20);
      assertThat(remote).extracting(Recommendation::itemId).isEqualTo(local.stream().map(Recommendation::itemId).toList());
      for (int i = 0; i < remote.size(); i++) {
        assertThat(remote.get(i).score()).isCloseTo(local.get(i).score(), within(1e-5f));
      }
    }

    // Through the harness, for all of them, with the recall stage both ways.
    ProtocolResult result =
        evaluator.evaluate(
            set,
            models.baselines(),
            gateway,
            models.pipeline(),
            new RecallTierProbe(recallChannel, 2_000, DEADLINE),
            models.recallProbe(2_000));

    assertThat(result.users()).isEqualTo(set.cases().size()).isGreaterThan(250);
    assertThat(result.pipelineAgreement().agrees()).as("%s", result.pipelineAgreement()).isTrue();
    assertThat(result.recallAgreement().agrees()).as("%s", result.recallAgreement()).isTrue();
    assertThat(result.healthy()).isTrue();
    MethodResult remote = result.method("pipeline (gRPC)");
    MethodResult local = result.method("pipeline (in-process)");
    for (String metric : remote.metrics().keySet()) {
      assertThat(remote.metrics().get(metric)).as(metric).isEqualTo(local.metrics().get(metric));
    }
    assertThat(remote.coverage()).isEqualTo(local.coverage());
    assertThat(result.methods())
        .extracting(MethodResult::name)
        .containsExactly(
            "most-popular", "item-knn", "cf-only", "content-only", "pipeline (gRPC)", "pipeline (in-process)");
    // The recall stage: merged@500 is at most the share of users any source found.
    RecallStageResult stage = result.recallStages().getFirst();
    assertThat(stage.merged().get(500).mean()).isGreaterThan(stage.merged().get(100).mean());
    assertThat(stage.perSource()).containsKeys("collaborative", "content", "popular");
  }

  @Test
  void fullRanking_harnessFigures_matchARecomputationFromTheLists() throws Exception {
    TestSet set = TestSet.fullRanking(models.train(), models.holdout()).limit(100, 3);
    Recommender cf = models.baselines().get(2);

    ProtocolResult result = evaluator.evaluate(set, List.of(cf), null, models.pipeline(), null, null);

    double hits = 0;
    double ndcg = 0;
    double mrr = 0;
    for (TestCase c : set.cases()) {
      List<String> ids = cf.recommend(c, 20).stream().map(Recommendation::itemId).toList();
      int index = ids.indexOf(c.itemId());
      if (index >= 0 && index < 10) {
        hits++;
        ndcg += Math.log(2) / Math.log(index + 2);
      }
      mrr += index >= 0 ? 1.0 / (index + 1) : 0;
    }
    MethodResult method = result.method("cf-only");
    assertThat(method.mean("hr@10")).isCloseTo(hits / 100, within(1e-12));
    assertThat(method.mean("ndcg@10")).isCloseTo(ndcg / 100, within(1e-12));
    assertThat(method.mean("mrr")).isCloseTo(mrr / 100, within(1e-12));
  }

  @Test
  void sampled_gatewayAndInProcessPipeline_rankTheCandidatesAlike() throws Exception {
    TestSet set = TestSet.sampled(models.train(), models.holdout(), 99, 42);
    GatewayRecommender gateway = new GatewayRecommender(gatewayChannel, DEADLINE, bundle.version());

    ProtocolResult result =
        evaluator.evaluate(set, models.baselines(), gateway, models.pipeline(), null, null);

    MethodResult local = result.method("pipeline (in-process)");
    assertThat(local.ok()).isTrue();
    assertThat(result.listLength()).isEqualTo(100);
    // Every in-process list ranks all 100 candidates.
    TestCase first = set.cases().getFirst();
    assertThat(models.pipeline().recommend(first, 100))
        .extracting(Recommendation::itemId)
        .containsExactlyInAnyOrderElementsOf(first.candidateIds());
    MethodResult remote = result.method("pipeline (gRPC)");
    assertThat(remote.ok()).as(remote.failure()).isTrue();
    assertThat(result.pipelineAgreement().agrees()).as("%s", result.pipelineAgreement()).isTrue();
    for (String metric : remote.metrics().keySet()) {
      assertThat(remote.metrics().get(metric)).as(metric).isEqualTo(local.metrics().get(metric));
    }
  }

  @Test
  void recallTier_candidateItemIds_answersThemInMergeOrderWithTheirSourcesThenInRequestOrder() {
    // The sampled protocol means "rank these 100 with the evidence recall has for them" only if
    // the tier honours candidate_item_ids as documented; check it against its unrestricted answer.
    RecallServiceGrpc.RecallServiceBlockingStub recall =
        RecallServiceGrpc.newBlockingStub(recallChannel).withDeadlineAfter(30, TimeUnit.SECONDS);
    for (TestCase c : TestSet.sampled(models.train(), models.holdout(), 99, 42).cases().subList(0, 10)) {
      RecallResponse all =
          recall.recall(RecallRequest.newBuilder().setUserId(c.userId()).setMaxCandidates(2_000).build());
      RecallResponse restricted =
          recall.recall(
              RecallRequest.newBuilder()
                  .setUserId(c.userId())
                  .setMaxCandidates(500)
                  .addAllCandidateItemIds(c.candidateIds())
                  .build());

      Set<String> requested = new HashSet<>(c.candidateIds());
      List<Candidate> expected = new ArrayList<>();
      Set<String> proposed = new HashSet<>();
      for (Candidate candidate : all.getCandidatesList()) {
        if (requested.contains(candidate.getItemId())) {
          expected.add(candidate);
          proposed.add(candidate.getItemId());
        }
      }
      for (String id : c.candidateIds()) {
        if (!proposed.contains(id)) {
          expected.add(Candidate.newBuilder().setItemId(id).build());
        }
      }
      assertThat(restricted.getCandidatesList()).as("user %s", c.userId()).isEqualTo(expected);
    }
  }

  @Test
  void evaluateCommand_onTheBundle_printsTheTableAndWritesTheJson() throws Exception {
    Path json = dir.resolve("out/report.json");
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new EvaluateCommand());
    command.setOut(new PrintWriter(out));

    int exit =
        command.execute(
            "--bundle", bundle.directory().toString(),
            "--protocol", "full",
            "--max-users", "60",
            "--bootstrap", "100",
            "--json", json.toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("Leave-last-out, full ranking: 60 users")
        .contains("pipeline (gRPC)")
        .contains("Agreement pipeline (gRPC) vs pipeline (in-process): 60/60 users identical")
        .contains("Recall stage, recall tier over gRPC");
    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertThat(report.getAsJsonArray("command_line").get(0).getAsString()).isEqualTo("evaluate");
    assertThat(report.getAsJsonArray("command_line").get(1).getAsString()).isEqualTo("--bundle");
    assertThat(report.getAsJsonObject("bundle_manifest").get("version").getAsString()).isEqualTo(bundle.version());
    JsonObject full = report.getAsJsonArray("protocols").get(0).getAsJsonObject();
    assertThat(full.get("protocol").getAsString()).isEqualTo("full");
    assertThat(full.get("users").getAsInt()).isEqualTo(60);
    assertThat(full.getAsJsonArray("methods")).hasSize(6);
    JsonObject ndcg =
        full.getAsJsonArray("methods").get(4).getAsJsonObject().getAsJsonObject("metrics").getAsJsonObject("ndcg@10");
    assertThat(ndcg.getAsJsonArray("ci95").get(0).getAsDouble()).isLessThanOrEqualTo(ndcg.get("mean").getAsDouble());
    assertThat(full.getAsJsonObject("pipeline_agreement").get("agrees").getAsBoolean()).isTrue();
    assertThat(report.get("healthy").getAsBoolean()).isTrue();
  }
}
