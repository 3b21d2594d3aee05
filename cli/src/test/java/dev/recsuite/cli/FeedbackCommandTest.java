package dev.recsuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.common.v1.EventType;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecordFeedbackRequest;
import dev.recsuite.gateway.v1.RecordFeedbackResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedbackCommandTest {

  private final AtomicReference<RecordFeedbackRequest> received = new AtomicReference<>();
  private Server gateway;

  @BeforeEach
  void startFakeGateway() throws Exception {
    gateway =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new GatewayServiceGrpc.GatewayServiceImplBase() {
                  @Override
                  public void recordFeedback(
                      RecordFeedbackRequest request, StreamObserver<RecordFeedbackResponse> responses) {
                    received.set(request);
                    responses.onNext(
                        RecordFeedbackResponse.newBuilder().setStoredCount(request.getEventsCount()).build());
                    responses.onCompleted();
                  }
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void feedback_sendsOneEventPerItemWithTheTypeAndDistinctIds() {
    StringWriter out = new StringWriter();
    int exit = run(out, "--user", "7", "--item", "50,181", "--type", "purchase");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Recorded 2 event(s) for user 7");
    assertThat(received.get().getEventsList())
        .extracting(FeedbackEvent::getUserId, FeedbackEvent::getItemId, FeedbackEvent::getType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("7", "50", EventType.EVENT_TYPE_PURCHASE),
            org.assertj.core.groups.Tuple.tuple("7", "181", EventType.EVENT_TYPE_PURCHASE));
    assertThat(received.get().getEvents(0).getEventId()).isNotEqualTo(received.get().getEvents(1).getEventId());
    assertThat(received.get().getEvents(0).getTimestamp().getSeconds()).isPositive();
  }

  @Test
  void feedback_ratingCarriesItsValue() {
    run(new StringWriter(), "--user", "7", "--item", "50", "--type", "rating", "--rating", "4.5");

    assertThat(received.get().getEvents(0).getValue()).isEqualTo(4.5);
  }

  @Test
  void feedback_unknownType_failsWithoutCallingTheGateway() {
    StringWriter err = new StringWriter();
    var cli = RecsuiteCli.commandLine();
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("feedback", "--target", "127.0.0.1:" + gateway.getPort(), "-u", "7", "-i", "1", "-t", "teleport");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("unknown --type 'teleport'");
    assertThat(received.get()).isNull();
  }

  private int run(StringWriter out, String... args) {
    var cli = RecsuiteCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    String[] all = new String[args.length + 3];
    all[0] = "feedback";
    all[1] = "--target";
    all[2] = "127.0.0.1:" + gateway.getPort();
    System.arraycopy(args, 0, all, 3, args.length);
    return cli.execute(all);
  }
}
