package dev.recsuite.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recsuite.common.v1.RecallSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic on hand-made lists whose figures are computed by hand. */
class EvaluatorTest {

  private static final double EPS = 1e-12;

  private static final List<TestCase> CASES =
      List.of(
          new TestCase(0, "u1", "h1", List.of()),
          new TestCase(1, "u2", "h2", List.of()),
          new TestCase(2, "u3", "h3", List.of()),
          new TestCase(3, "u4", "h4", List.of()));

  /** Held-out item at rank 1, 3, absent, and 11 (beyond the top 10). */
  private static final Map<String, List<String>> LISTS =
      Map.of(
          "u1", List.of("h1", "a", "b"),
          "u2", List.of("a", "b", "h2"),
          "u3", List.of("a", "b", "c"),
          "u4", List.of("a", "b", "c", "d", "e", "f", "g", "x", "y", "z", "h4"));

  /** 20 items, 8 training users; a was seen by all 8, b by 4, every other item by 1. */
  private static final Catalogue CATALOGUE =
      new Catalogue() {
        @Override
        public int size() {
          return 20;
        }

        @Override
        public int trainingUsers() {
          return 8;
        }

        @Override
        public int usersOf(String itemId) {
          return switch (itemId) {
            case "a" -> 8;
            case "b" -> 4;
            default -> 1;
          };
        }
      };

  private final Evaluator evaluator =
      new Evaluator(
          new EvaluationSettings(2, 2, new Bootstrap(200, 1), List.of(100, 500), 2_000, Duration.ofSeconds(5)),
          CATALOGUE);

  @Test
  void evaluate_fixedLists_givesHandComputedFigures() throws Exception {
    TestSet set = new TestSet(Protocol.FULL_RANKING, CASES, "", 0);

    ProtocolResult result = evaluator.evaluate(set, List.of(), null, fixed("fixed", LISTS), null, null);

    MethodResult method = result.method("fixed");
    assertThat(method.ok()).isTrue();
    assertThat(method.users()).isEqualTo(4);
    assertThat(method.mean("hr@1")).isCloseTo(0.25, within(EPS));
    assertThat(method.mean("hr@5")).isCloseTo(0.5, within(EPS));
    assertThat(method.mean("hr@10")).isCloseTo(0.5, within(EPS));
    assertThat(method.mean("hr@20")).isCloseTo(0.75, within(EPS));
    assertThat(method.mean("ndcg@1")).isCloseTo(0.25, within(EPS));
    assertThat(method.mean("ndcg@5")).isCloseTo((1 + 0.5) / 4, within(EPS));
    assertThat(method.mean("ndcg@10")).isCloseTo((1 + 0.5) / 4, within(EPS));
    assertThat(method.mean("ndcg@20")).isCloseTo((1 + 0.5 + 1 / (Math.log(12) / Math.log(2))) / 4, within(EPS));
    assertThat(method.mean("mrr")).isCloseTo((1 + 1 / 3.0 + 1 / 11.0) / 4, within(EPS));
    // Top-10 lists hold h1, h2, a, b, c, d, e, f, g, x, y, z: 12 of 20 items.
    assertThat(method.coverage()).isCloseTo(12 / 20.0, within(EPS));
    // -log2(share): a 0, b 1, every other item 3; 19 top-10 items, novelty sum 4 + 4 + 4 + 25.
    assertThat(method.novelty()).isCloseTo(37 / 19.0, within(EPS));
    Estimate hr10 = method.metrics().get("hr@10");
    assertThat(hr10.lower()).isBetween(0.0, 0.5);
    assertThat(hr10.upper()).isBetween(0.5, 1.0);
    assertThat(hr10.standardError()).isCloseTo(Math.sqrt(1 / 3.0 / 4), within(EPS));
    assertThat(result.listLength()).isEqualTo(Protocol.FULL_RANKING_LIST_LENGTH);
  }

  @Test
  void evaluate_baseline_givesThePipelinesPairedNdcgLead() throws Exception {
    TestSet set = new TestSet(Protocol.FULL_RANKING, CASES, "", 0);
    // The baseline finds u3's item at rank 1 and nobody else's: per-user NDCG@10 1, 0.5, -1, 0
    // differences → mean (1 + 0.5 - 1 + 0) / 4.
    Map<String, List<String>> baseline = Map.of("u1", List.of("a"), "u2", List.of("a"), "u3", List.of("h3"), "u4", List.of());

    ProtocolResult result =
        evaluator.evaluate(set, List.of(fixed("baseline", baseline)), null, fixed("pipeline", LISTS), null, null);

    Estimate lead = result.ndcg10Lead().get("baseline");
    assertThat(lead.mean()).isCloseTo(0.125, within(EPS));
    assertThat(lead.lower()).isLessThanOrEqualTo(lead.mean());
    assertThat(lead.upper()).isGreaterThanOrEqualTo(lead.mean());
  }

  @Test
  void evaluate_recallProbes_giveRecallAtNAndPerSourceHits() throws Exception {
    TestSet set = new TestSet(Protocol.FULL_RANKING, CASES, "", 0);
    // Held-out item at position 0 (CF and popular), 99 (CF), 100 (content) and absent.
    List<RecallOutcome> outcomes =
        List.of(
            outcome(0, RecallSource.RECALL_SOURCE_COLLABORATIVE, RecallSource.RECALL_SOURCE_POPULAR),
            outcome(99, RecallSource.RECALL_SOURCE_COLLABORATIVE),
            outcome(100, RecallSource.RECALL_SOURCE_CONTENT),
            outcome(-1));

    ProtocolResult result =
        evaluator.evaluate(set, List.of(), null, fixed("fixed", LISTS), probe("tier", outcomes), probe("engine", outcomes));

    RecallStageResult stage = result.recallStages().getFirst();
    assertThat(stage.merged().get(100).mean()).isCloseTo(0.5, within(EPS));
    assertThat(stage.merged().get(500).mean()).isCloseTo(0.75, within(EPS));
    assertThat(stage.perSource().get("collaborative").mean()).isCloseTo(0.5, within(EPS));
    assertThat(stage.perSource().get("content").mean()).isCloseTo(0.25, within(EPS));
    assertThat(stage.perSource().get("popular").mean()).isCloseTo(0.25, within(EPS));
    assertThat(stage.meanSourceCandidates().get("collaborative")).isCloseTo(300.0, within(EPS));
    assertThat(result.recallAgreement().agrees()).isTrue();
    assertThat(result.healthy()).isTrue();
  }

  @Test
  void evaluate_pathsDisagreeOnOneUser_reportsItAndIsUnhealthy() throws Exception {
    TestSet set = new TestSet(Protocol.FULL_RANKING, CASES, "", 0);
    Map<String, List<String>> other = new java.util.HashMap<>(LISTS);
    other.put("u3", List.of("b", "a", "c"));

    ProtocolResult result =
        evaluator.evaluate(set, List.of(), fixed("gateway", other), fixed("in-process", LISTS), null, null);

    Agreement agreement = result.pipelineAgreement();
    assertThat(agreement.users()).isEqualTo(4);
    assertThat(agreement.identical()).isEqualTo(3);
    assertThat(agreement.agrees()).isFalse();
    assertThat(agreement.examples()).singleElement().asString().startsWith("user u3:");
    assertThat(result.healthy()).isFalse();
  }

  @Test
  void evaluate_failingMethod_isReportedWithItsReasonAndTheOthersStillRun() throws Exception {
    TestSet set = new TestSet(Protocol.FULL_RANKING, CASES, "", 0);
    Recommender failing =
        new Stub("broken") {
          @Override
          public List<Recommendation> recommend(TestCase testCase, int k) {
            throw new IllegalStateException("no answer for " + testCase.userId());
          }
        };

    ProtocolResult result = evaluator.evaluate(set, List.of(failing), null, fixed("fixed", LISTS), null, null);

    assertThat(result.method("broken").ok()).isFalse();
    assertThat(result.method("broken").failure()).startsWith("IllegalStateException: no answer for u");
    assertThat(result.method("fixed").ok()).isTrue();
    assertThat(result.healthy()).isFalse();
  }

  @Test
  void evaluate_sampled_asksForEveryCandidateAndHasNoRecallStage() throws Exception {
    List<Integer> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    TestSet set =
        new TestSet(Protocol.SAMPLED, List.of(new TestCase(0, "u1", "h1", List.of("n1", "h1", "n2"))), "test", 0);
    Recommender reverse =
        new Stub("reverse") {
          @Override
          public List<Recommendation> recommend(TestCase testCase, int k) {
            asked.add(k);
            List<Recommendation> list = new ArrayList<>();
            for (String id : testCase.candidateIds().reversed()) {
              list.add(new Recommendation(id, 0));
            }
            return list;
          }
        };

    ProtocolResult result =
        evaluator.evaluate(set, List.of(), null, reverse, probe("tier", List.of(outcome(0))), null);

    assertThat(asked).containsExactly(3);
    assertThat(result.method("reverse").mean("mrr")).isCloseTo(0.5, within(EPS));
    assertThat(result.listLength()).isEqualTo(3);
    assertThat(result.recallStages()).isEmpty();
  }

  private static RecallOutcome outcome(int position, RecallSource... sources) {
    return new RecallOutcome(
        position,
        Set.of(sources),
        Map.of(
            RecallSource.RECALL_SOURCE_COLLABORATIVE, 300,
            RecallSource.RECALL_SOURCE_CONTENT, 150,
            RecallSource.RECALL_SOURCE_POPULAR, 100));
  }

  private static RecallProbe probe(String name, List<RecallOutcome> outcomes) {
    return new RecallProbe() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public RecallOutcome probe(TestCase testCase) {
        return outcomes.get(testCase.user());
      }
    };
  }

  private static Recommender fixed(String name, Map<String, List<String>> lists) {
    return new Stub(name) {
      @Override
      public List<Recommendation> recommend(TestCase testCase, int k) {
        List<Recommendation> list = new ArrayList<>();
        List<String> ids = lists.get(testCase.userId());
        for (int i = 0; i < ids.size() && i < k; i++) {
          list.add(new Recommendation(ids.get(i), -i));
        }
        return list;
      }
    };
  }

  private abstract static class Stub implements Recommender {
    private final String name;

    Stub(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return "stub";
    }
  }
}
