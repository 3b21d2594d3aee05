package dev.recsuite.cli;

import com.google.protobuf.Timestamp;
import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecordFeedbackRequest;
import dev.recsuite.gateway.v1.RecordFeedbackResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recsuite feedback}: records what a user did with some items through a running gateway;
 * the user's next recommendations reflect it at once.
 */
@Command(
    name = "feedback",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Record feedback events (like, purchase, dislike...) through a running gateway.")
public final class FeedbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--target", defaultValue = "127.0.0.1:50051", description = "Gateway address.")
  String target;

  @Option(names = {"-u", "--user"}, required = true, description = "User id.")
  String user;

  @Option(names = {"-i", "--item"}, required = true, split = ",", description = "Item ids, one event each.")
  List<String> items;

  @Option(
      names = {"-t", "--type"},
      defaultValue = "like",
      description = "Event type: view, click, add_to_cart, share, rating, like, purchase or dislike.")
  String type;

  @Option(names = "--rating", defaultValue = "0", description = "Rating value (0.5 to 5) for --type rating.")
  double rating;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    EventType eventType;
    try {
      eventType = EventType.valueOf("EVENT_TYPE_" + type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("feedback: unknown --type '" + type + "'");
      return 2;
    }
    Instant now = Instant.now();
    RecordFeedbackRequest.Builder request = RecordFeedbackRequest.newBuilder();
    for (String item : items) {
      request.addEvents(
          FeedbackEvent.newBuilder()
              .setEventId(UUID.randomUUID().toString())
              .setUserId(user)
              .setItemId(item)
              .setType(eventType)
              .setValue(eventType == EventType.EVENT_TYPE_RATING ? rating : 0)
              .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())));
    }
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      RecordFeedbackResponse response =
          GatewayServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .recordFeedback(request.build());
      out.printf("Recorded %d event(s) for user %s (%d duplicate)%n",
          response.getStoredCount(), user, response.getDuplicateCount());
      out.flush();
      return 0;
    } catch (StatusRuntimeException e) {
      spec.commandLine().getErr().println(
          "feedback: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      return 1;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
