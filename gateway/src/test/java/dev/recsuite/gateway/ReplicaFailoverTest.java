package dev.recsuite.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.recsuite.gateway.internal.DownstreamChannels;
import dev.recsuite.gateway.internal.GatewayTimer;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.ranking.v1.RankResponse;
import dev.recsuite.ranking.v1.RankingServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The gateway's channels over two real replicas on loopback: round-robin, a draining replica left
 * out, a restarted one taken back, a failing one ejected.
 */
@Timeout(60)
class ReplicaFailoverTest {

  private final List<GrpcServer> servers = new ArrayList<>();
  private final GatewayTimer timer = new GatewayTimer();
  private DownstreamChannels channels;

  /** A ranking replica that answers with its name, or fails with {@code failure} when set. */
  private static final class Replica extends RankingServiceGrpc.RankingServiceImplBase {
    final String name;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<Status> failure = new AtomicReference<>();

    Replica(String name) {
      this.name = name;
    }

    @Override
    public void rank(RankRequest request, StreamObserver<RankResponse> responses) {
      calls.incrementAndGet();
      Status status = failure.get();
      if (status != null) {
        responses.onError(status.asRuntimeException());
        return;
      }
      responses.onNext(RankResponse.newBuilder().setModelVersion(name).build());
      responses.onCompleted();
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channels != null) {
      channels.stop();
    }
    timer.stop();
    for (GrpcServer server : servers) {
      server.shutdownNow();
    }
  }

  private GrpcServer serve(Replica replica, int port) throws Exception {
    GrpcServer server =
        GrpcServer.builder(
                replica.name,
                new ServerSettings(
                    "127.0.0.1",
                    port,
                    ServerSettings.DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
                    ServerSettings.DEFAULT_MAX_INBOUND_METADATA_BYTES,
                    Duration.ofSeconds(5)))
            .addService(replica)
            .build();
    servers.add(server);
    server.start();
    return server;
  }

  private RankingServiceGrpc.RankingServiceBlockingStub connect(int... ports) {
    StringBuilder target = new StringBuilder();
    for (int port : ports) {
      target.append(target.isEmpty() ? "" : ",").append("127.0.0.1:").append(port);
    }
    GatewayMain main = new GatewayMain();
    new CommandLine(main).parseArgs("--ranking-target", target.toString(), "--outlier-ejection", "30s");
    channels = new DownstreamChannels(main.config(), timer);
    channels.start();
    return RankingServiceGrpc.newBlockingStub(channels.ranking());
  }

  private static Map<String, Integer> callMany(RankingServiceGrpc.RankingServiceBlockingStub stub, int count) {
    Map<String, Integer> answeredBy = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String name =
          stub.withDeadlineAfter(5, TimeUnit.SECONDS).rank(RankRequest.getDefaultInstance()).getModelVersion();
      answeredBy.merge(name, 1, Integer::sum);
    }
    return answeredBy;
  }

  @Test
  void roundRobin_spreadsCallsOverEveryHealthyReplica() throws Exception {
    Replica a = new Replica("a");
    Replica b = new Replica("b");
    int portA = serve(a, 0).port();
    int portB = serve(b, 0).port();
    RankingServiceGrpc.RankingServiceBlockingStub stub = connect(portA, portB);
    // Both replicas report SERVING once their health watch answers: wait for the second one.
    await().atMost(Duration.ofSeconds(10)).until(() -> callMany(stub, 4).size() == 2);

    Map<String, Integer> answeredBy = callMany(stub, 40);

    assertThat(answeredBy).containsOnlyKeys("a", "b");
    assertThat(answeredBy.get("a")).isBetween(15, 25);
  }

  @Test
  void drainingReplica_getsNoMoreCalls_andNoCallFails_untilItIsBack() throws Exception {
    Replica a = new Replica("a");
    Replica b = new Replica("b");
    GrpcServer serverA = serve(a, 0);
    int portA = serverA.port();
    int portB = serve(b, 0).port();
    RankingServiceGrpc.RankingServiceBlockingStub stub = connect(portA, portB);
    await().atMost(Duration.ofSeconds(10)).until(() -> callMany(stub, 4).size() == 2);

    serverA.shutdownGracefully();
    Map<String, Integer> whileDown = callMany(stub, 40);

    assertThat(whileDown).containsOnlyKeys("b").containsEntry("b", 40);

    Replica restarted = new Replica("a2");
    serve(restarted, portA);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> callMany(stub, 4).containsKey("a2"));
    assertThat(callMany(stub, 40)).containsOnlyKeys("a2", "b");
  }

  @Test
  void failingReplica_isEjectedAsAnOutlier_whileItsHealthSaysServing() throws Exception {
    Replica good = new Replica("good");
    Replica bad = new Replica("bad");
    bad.failure.set(Status.RESOURCE_EXHAUSTED.withDescription("shedding"));
    int portGood = serve(good, 0).port();
    int portBad = serve(bad, 0).port();
    RankingServiceGrpc.RankingServiceBlockingStub stub = connect(portGood, portBad);

    // Without ejection every other call fails; once ejected, a run of 20 calls all succeeds.
    // Ejection needs 20 calls per replica within its 1 s interval: every poll sends 20.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              int failed = 0;
              for (int i = 0; i < 20; i++) {
                try {
                  stub.withDeadlineAfter(5, TimeUnit.SECONDS).rank(RankRequest.getDefaultInstance());
                } catch (StatusRuntimeException e) {
                  failed++;
                }
              }
              return failed == 0;
            });
    int badCalls = bad.calls.get();

    callMany(stub, 40);

    assertThat(bad.calls).as("the ejected replica gets nothing").hasValue(badCalls);
  }
}
