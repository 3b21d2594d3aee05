package dev.recsuite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import dev.recsuite.gateway.v1.RecommendResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

  @TempDir Path dir;

  private Server gateway;
  private String target;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Answers user "fail" with UNAVAILABLE, user "degraded" with a degraded answer, others fully. */
  private static final class FakeGateway extends GatewayServiceGrpc.GatewayServiceImplBase {
    @Override
    public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> answer) {
      if (request.getUserId().equals("fail")) {
        answer.onError(Status.UNAVAILABLE.withDescription("down").asRuntimeException());
        return;
      }
      answer.onNext(RecommendResponse.newBuilder().setDegraded(request.getUserId().equals("degraded")).build());
      answer.onCompleted();
    }
  }

  @BeforeEach
  void startGateway() throws Exception {
    gateway =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new FakeGateway())
            .build()
            .start();
    target = "127.0.0.1:" + gateway.getPort();
  }

  @AfterEach
  void stopGateway() throws Exception {
    gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private int bench(String... args) {
    CommandLine cli = RecsuiteCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "bench";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void bench_openLoop_reportsThroughputLatencyAndErrorsByCode() throws Exception {
    Path users = Files.writeString(dir.resolve("users.txt"), "1\ndegraded\nfail\n");

    int exit =
        bench("--target", target, "--users", users.toString(), "--rate", "300", "--requests", "30", "--warmup", "0");

    assertThat(exit).as(out + "\n" + err).isEqualTo(1);
    assertThat(out.toString())
        .contains("open loop at 300.0 req/s, 30 requests")
        .contains("requests 30: ok 20 (degraded 10), errors 10: UNAVAILABLE 10")
        .containsPattern("throughput [0-9.]+ req/s over [0-9.]+ s \\(offered 300.0 req/s\\)")
        .containsPattern("latency ms from the intended send time: p50 [0-9.]+, p90 [0-9.]+, p99 [0-9.]+, p99.9 [0-9.]+, max [0-9.]+")
        .contains("send lag ms");
  }

  @Test
  void bench_closedLoop_allAnswered_exitsZero() throws Exception {
    Path users = Files.writeString(dir.resolve("users.txt"), "1\n2\n");

    int exit =
        bench("--target", target, "--users", users.toString(), "--concurrency", "3", "--requests", "12", "--warmup", "4");

    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("closed loop, concurrency 3, 12 requests, after 4 warm-up requests")
        .contains("requests 12: ok 12 (degraded 0), errors 0: none");
  }

  @Test
  void bench_exportUsers_writesTheGhzDataFileWithoutSending() throws Exception {
    Path users = Files.writeString(dir.resolve("users.txt"), "7\n");
    Path json = dir.resolve("load/users.json");

    int exit = bench("--target", "127.0.0.1:1", "--users", users.toString(), "--export-users", json.toString(), "-k", "5");

    assertThat(exit).isZero();
    assertThat(Files.readString(json)).isEqualTo("[\n  {\"user_id\": \"7\", \"k\": 5}\n]\n");
  }

  @Test
  void bench_requestsAndDuration_isAUsageError() throws Exception {
    Path users = Files.writeString(dir.resolve("users.txt"), "1\n");

    int exit = bench("--users", users.toString(), "--requests", "5", "--duration", "1s");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--requests and --duration exclude each other");
  }
}
