package dev.recsuite.recall;

import static dev.recsuite.common.v1.RecallSource.RECALL_SOURCE_POPULAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.common.v1.CandidateColumns;
import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceColumn;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.bundles.ServedBundles;
import java.time.Clock;
import java.time.Duration;
import dev.recsuite.recall.v1.Candidate;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecallGrpcServiceTest {

  @TempDir Path dir;

  private final Fixture fixture = Fixture.create(7);
  private RecallEngine engine;
  private ServedBundles<RecallEngine> current;
  private GrpcServer server;
  private ManagedChannel channel;
  private RecallServiceGrpc.RecallServiceBlockingStub stub;

  @BeforeEach
  void startServer() throws IOException {
    engine = fixture.engine(dir.resolve("index"), RecallSettings.defaults());
    current = new ServedBundles<>("recall-service", Clock.systemUTC(), Duration.ofMinutes(5));
    current.publish(engine.version(), engine);
    String name = InProcessServerBuilder.generateName();
    server =
        GrpcServer.builder("recall-service", InProcessServerBuilder.forName(name))
            .addService(new RecallGrpcService(current, RecallServiceConfig.DEFAULT_MAX_CANDIDATES))
            .build();
    server.start();
    channel = InProcessChannelBuilder.forName(name).build();
    stub = RecallServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stopServer() {
    channel.shutdownNow();
    server.shutdownGracefully();
    current.stop();
  }

  private static RecallRequest.Builder valid() {
    return RecallRequest.newBuilder().setUserId("u0").setMaxCandidates(50);
  }

  @Test
  void recall_validRequest_answersTheEngineCandidatesWithSourcesAndVersion() {
    RecallRequest request =
        valid()
            .setQuery("galaxy")
            .addRecentItemIds("m30")
            .addExcludeItemIds("m2")
            .addExcludeItemIds("not-in-catalogue")
            .setFilter(ItemFilter.newBuilder().addExcludeGenres("Western"))
            .build();

    RecallResponse response = stub.recall(request);

    RecallResult expected =
        engine.recall(
            RecallQuery.forUser("u0", 50)
                .withText("galaxy")
                .withRecentItemIds(List.of("m30"))
                .withExcludedItemIds(List.of("m2", "not-in-catalogue"))
                .withGenres(List.of(), List.of("Western")));
    assertThat(response.getBundleVersion()).isEqualTo("test-1");
    assertThat(response.getKnownUser()).isTrue();
    assertThat(response.getCandidatesList()).hasSize(expected.candidates().size()).isNotEmpty();
    for (int i = 0; i < expected.candidates().size(); i++) {
      Candidate candidate = response.getCandidates(i);
      RecallCandidate reference = expected.candidates().get(i);
      assertThat(candidate.getItemId()).isEqualTo(reference.itemId());
      assertThat(candidate.getSourcesList())
          .extracting(SourceScore::getSource, SourceScore::getRank, SourceScore::getScore)
          .containsExactlyElementsOf(
              reference.sources().stream()
                  .map(h -> org.assertj.core.groups.Tuple.tuple(h.source(), h.rank(), h.score()))
                  .toList());
    }
    assertThat(response.getCandidatesList())
        .extracting(Candidate::getItemId)
        .doesNotContain("m2", "m30")
        .noneMatch(fixture.seen("u0")::contains);
    assertThat(response.getCandidatesList())
        .flatExtracting(Candidate::getSourcesList)
        .extracting(SourceScore::getSource)
        .contains(RecallSource.RECALL_SOURCE_QUERY, RecallSource.RECALL_SOURCE_COLLABORATIVE)
        .doesNotContain(RecallSource.RECALL_SOURCE_UNSPECIFIED);
  }

  @Test
  void recall_columnar_answersTheSameCandidatesAsDenseIdsWithOneColumnPerSource() {
    RecallRequest.Builder request = valid().setQuery("galaxy").addRecentItemIds("m30");
    RecallResponse messages = stub.recall(request.build());

    RecallResponse columnar = stub.recall(request.setColumnar(true).setColumnarIds(3).build());

    CandidateColumns columns = columnar.getColumns();
    assertThat(columnar.getCandidatesList()).isEmpty();
    assertThat(columnar.getBundleVersion()).isEqualTo(messages.getBundleVersion());
    assertThat(columnar.getKnownUser()).isTrue();
    assertThat(columns.getItemsList())
        .extracting(fixture::itemId)
        .containsExactlyElementsOf(ids(messages))
        .hasSizeGreaterThan(3);
    assertThat(columns.getItemIdsList()).containsExactlyElementsOf(ids(messages).subList(0, 3));
    // Every (candidate, source, score, rank) of the message form, and nothing else, in the columns.
    List<org.assertj.core.groups.Tuple> expected = new java.util.ArrayList<>();
    for (int c = 0; c < messages.getCandidatesCount(); c++) {
      for (SourceScore hit : messages.getCandidates(c).getSourcesList()) {
        expected.add(org.assertj.core.groups.Tuple.tuple(c, hit.getSource(), hit.getScore(), hit.getRank()));
      }
    }
    List<org.assertj.core.groups.Tuple> actual = new java.util.ArrayList<>();
    for (SourceColumn column : columns.getSourcesList()) {
      assertThat(column.getScoresCount()).isEqualTo(column.getCandidatesCount());
      assertThat(column.getRanksCount()).isEqualTo(column.getCandidatesCount());
      for (int n = 0; n < column.getCandidatesCount(); n++) {
        actual.add(
            org.assertj.core.groups.Tuple.tuple(
                column.getCandidates(n), column.getSource(), column.getScores(n), column.getRanks(n)));
      }
    }
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(columns.getSourcesList())
        .extracting(SourceColumn::getSource)
        .doesNotHaveDuplicates()
        .contains(RecallSource.RECALL_SOURCE_QUERY, RecallSource.RECALL_SOURCE_COLLABORATIVE);
  }

  @Test
  void recall_dislikedItems_areNeverReturned() {
    List<String> before = ids(stub.recall(valid().build()));

    List<String> after = ids(stub.recall(valid().addAllDislikedItemIds(before.subList(0, 3)).build()));

    assertThat(after).doesNotContainAnyElementsOf(before.subList(0, 3)).isNotEmpty();
  }

  @Test
  void recall_tooManyDislikedItems_failsNamingTheField() {
    RecallRequest request = valid().addAllDislikedItemIds(Collections.nCopies(1001, "m1")).build();

    assertThatThrownBy(() -> stub.recall(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).isEqualTo("disliked_item_ids: 1001 values (expected: at most 1000)");
            });
  }

  private static List<String> ids(RecallResponse response) {
    return response.getCandidatesList().stream().map(Candidate::getItemId).toList();
  }

  @Test
  void recall_unknownUser_answersPopularCandidates() {
    RecallResponse response = stub.recall(valid().setUserId("someone-new").setMaxCandidates(5).build());

    assertThat(response.getKnownUser()).isFalse();
    assertThat(response.getCandidatesList()).hasSize(5);
    assertThat(response.getCandidatesList())
        .allSatisfy(c -> assertThat(c.getSourcesList()).extracting(SourceScore::getSource).containsExactly(RECALL_SOURCE_POPULAR));
  }

  @Test
  void recall_maxCandidatesAtTheServerLimit_isAccepted() {
    RecallResponse response = stub.recall(valid().setMaxCandidates(RecallServiceConfig.DEFAULT_MAX_CANDIDATES).build());

    assertThat(response.getCandidatesCount()).isPositive().isLessThanOrEqualTo(Fixture.ITEMS);
  }

  static Stream<Arguments> invalidRequests() {
    String longText = "q".repeat(RecallGrpcService.MAX_QUERY_LENGTH + 1);
    List<String> tooManyIds = Collections.nCopies(RecallGrpcService.MAX_ITEM_IDS + 1, "m1");
    List<String> tooManyGenres = Collections.nCopies(RecallGrpcService.MAX_GENRES + 1, "Drama");
    return Stream.of(
        Arguments.of("user_id", valid().setUserId("")),
        Arguments.of("user_id", valid().setUserId("u".repeat(129))),
        Arguments.of("user_id", valid().setUserId("u\n1")),
        Arguments.of("user_id", valid().setUserId("   ")),
        Arguments.of("max_candidates", valid().setMaxCandidates(0)),
        Arguments.of("max_candidates", valid().setMaxCandidates(-3)),
        Arguments.of("max_candidates", valid().setMaxCandidates(RecallServiceConfig.DEFAULT_MAX_CANDIDATES + 1)),
        Arguments.of("query", valid().setQuery(longText)),
        Arguments.of("columnar_ids", valid().setColumnar(true).setColumnarIds(-1)),
        Arguments.of("columnar_ids", valid().setColumnar(true).setColumnarIds(51)),
        Arguments.of("query", valid().setQuery("galaxy\u0000")),
        Arguments.of("recent_item_ids", valid().addAllRecentItemIds(tooManyIds)),
        Arguments.of("recent_item_ids[1]", valid().addRecentItemIds("m1").addRecentItemIds("")),
        Arguments.of("exclude_item_ids", valid().addAllExcludeItemIds(tooManyIds)),
        Arguments.of("exclude_item_ids[0]", valid().addExcludeItemIds(" ")),
        Arguments.of("candidate_item_ids", valid().addAllCandidateItemIds(tooManyIds)),
        Arguments.of("candidate_item_ids[1]", valid().addCandidateItemIds("m1").addCandidateItemIds("")),
        Arguments.of("candidate_item_ids[2]", valid().addCandidateItemIds("m1").addCandidateItemIds("m2").addCandidateItemIds("m\t3")),
        Arguments.of(
            "filter.include_genres",
            valid().setFilter(ItemFilter.newBuilder().addAllIncludeGenres(tooManyGenres))),
        Arguments.of(
            "filter.exclude_genres",
            valid().setFilter(ItemFilter.newBuilder().addAllExcludeGenres(tooManyGenres))),
        Arguments.of(
            "filter.exclude_genres[0]", valid().setFilter(ItemFilter.newBuilder().addExcludeGenres(""))),
        // A hostile pinned version would otherwise be echoed whole in the NOT_FOUND description
        // (found by the fuzz test: 200,000 characters overflowed the client's header limit).
        Arguments.of("bundle_version", valid().setBundleVersion("v".repeat(200_000))),
        Arguments.of("bundle_version", valid().setBundleVersion("v1\r\nforged log line")),
        Arguments.of("bundle_version", valid().setBundleVersion("  ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void recall_invalidField_failsInvalidArgumentNamingTheField(String field, RecallRequest.Builder request) {
    assertThatThrownBy(() -> stub.recall(request.build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith(field + ": ");
            });
  }

  @Test
  void recall_candidateItemIds_answersOnlyThoseItemsWithTheirEvidence() {
    List<String> normal =
        stub.recall(valid().setMaxCandidates(200).build()).getCandidatesList().stream().map(Candidate::getItemId).toList();
    String seen = fixture.seen("u0").iterator().next();
    List<String> requested = List.of(normal.get(5), "unknown", seen, normal.get(1), normal.get(5));

    RecallResponse response = stub.recall(valid().addAllCandidateItemIds(requested).build());

    assertThat(response.getCandidatesList())
        .extracting(Candidate::getItemId)
        .containsExactly(normal.get(1), normal.get(5));
    RecallResult expected = engine.recall(RecallQuery.forUser("u0", 50).withCandidateItemIds(requested));
    for (int i = 0; i < 2; i++) {
      assertThat(response.getCandidates(i).getSourcesList())
          .extracting(SourceScore::getSource, SourceScore::getRank, SourceScore::getScore)
          .isNotEmpty()
          .containsExactlyElementsOf(
              expected.candidates().get(i).sources().stream()
                  .map(h -> org.assertj.core.groups.Tuple.tuple(h.source(), h.rank(), h.score()))
                  .toList());
    }
  }

  @Test
  void recall_candidateItemIdsAtTheLimit_areAccepted() {
    List<String> ids = java.util.stream.IntStream.range(0, RecallGrpcService.MAX_ITEM_IDS).mapToObj(i -> "m" + (i % 50)).toList();

    RecallResponse response = stub.recall(valid().addAllCandidateItemIds(ids).build());

    assertThat(response.getCandidatesList()).extracting(Candidate::getItemId).doesNotHaveDuplicates().isNotEmpty();
  }

  @Test
  void recall_maxCandidatesAboveTheLimit_descriptionShowsTheRange() {
    assertThatThrownBy(() -> stub.recall(valid().setMaxCandidates(2_001).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).isEqualTo("max_candidates: 2001 (expected: 1..2000)"));
  }

  @Test
  void recall_engineHolderStopped_failsUnavailable() {
    current.stop();

    assertThatThrownBy(() -> stub.recall(valid().build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("recall-service is stopping");
            });
  }
}
