package dev.recsuite.cli;

import dev.recsuite.cli.internal.RecommendationTable;
import dev.recsuite.common.v1.ItemFilter;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code recsuite recommend}: asks a running gateway for recommendations and prints them. */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Ask a running gateway for recommendations (start the suite with: recsuite up).")
public final class RecommendCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--target", defaultValue = "127.0.0.1:50051", description = "Gateway address.")
  String target;

  @Option(names = {"-u", "--user"}, required = true, description = "User id (unknown users get cold-start recommendations).")
  String user;

  @Option(names = {"-k", "--k"}, defaultValue = "10", description = "How many items.")
  int k;

  @Option(names = {"-q", "--query"}, defaultValue = "", description = "Free-text query steering recall.")
  String query;

  @Option(names = "--exclude", split = ",", description = "Item ids never to return.")
  List<String> exclude = List.of();

  @Option(names = "--genre", split = ",", description = "Only items with one of these genres.")
  List<String> includeGenres = List.of();

  @Option(names = "--not-genre", split = ",", description = "No items with any of these genres.")
  List<String> excludeGenres = List.of();

  @Option(names = "--deadline-ms", defaultValue = "2000", description = "Deadline of the call.")
  long deadlineMillis;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      RecommendResponse response =
          GatewayServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
              .recommend(
                  RecommendRequest.newBuilder()
                      .setUserId(user)
                      .setK(k)
                      .setQuery(query)
                      .addAllExcludeItemIds(exclude)
                      .setFilter(
                          ItemFilter.newBuilder()
                              .addAllIncludeGenres(includeGenres)
                              .addAllExcludeGenres(excludeGenres))
                      .build());
      out.print(RecommendationTable.render(user, response));
      out.flush();
      return 0;
    } catch (StatusRuntimeException e) {
      err.println("recommend: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription()
          + (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
              ? " (is the suite up at " + target + "? start it with: ./recsuite up)"
              : ""));
      return 1;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
