package dev.recsuite.recall;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import dev.recsuite.grpc.bundles.BundleSettings;
import dev.recsuite.grpc.bundles.ServedBundles;
import dev.recsuite.grpc.ConfigReference;
import dev.recsuite.grpc.DefaultPorts;
import dev.recsuite.grpc.EnvironmentDefaults;
import dev.recsuite.grpc.GrpcServer;
import dev.recsuite.grpc.Lifecycle;
import dev.recsuite.grpc.ServerSettings;
import dev.recsuite.grpc.ServiceMain;
import dev.recsuite.recall.v1.RecallRequest;
import dev.recsuite.recall.v1.RecallResponse;
import dev.recsuite.recall.v1.RecallServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecallServiceMainTest {

  @TempDir Path root;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> environment, String... args) {
    ServiceMain main =
        new ServiceMain(
            RecallServiceMain.ENV_PREFIX,
            environment,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return main.run(new RecallServiceMain(), args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static RecallServiceConfig parse(Map<String, String> environment, String... args) {
    RecallServiceMain command = new RecallServiceMain();
    new CommandLine(command)
        .setDefaultValueProvider(new EnvironmentDefaults(RecallServiceMain.ENV_PREFIX, environment))
        .parseArgs(args);
    return command.config();
  }

  @Test
  void config_noArguments_usesTheDocumentedDefaults() {
    RecallServiceConfig config = parse(Map.of());

    assertThat(config.bundles().directory()).isEqualTo(Path.of("bundles"));
    assertThat(config.maxCandidates()).isEqualTo(2_000);
    assertThat(config.recall()).isEqualTo(RecallSettings.defaults());
    assertThat(config.server().port()).isEqualTo(DefaultPorts.RECALL).isEqualTo(50052);
  }

  @Test
  void config_environmentAndFlags_flagsWinOverEnvironment() {
    RecallServiceConfig config =
        parse(
            Map.of(
                "RECALL_BUNDLE_DIR", "/srv/bundles",
                "RECALL_MAX_CANDIDATES", "500",
                "RECALL_QUERY_QUOTA", "7",
                "RECALL_CO_OCCURRENCE_QUOTA", "9"),
            "--max-candidates",
            "800",
            "--collaborative-quota=0");

    assertThat(config.bundles().directory()).isEqualTo(Path.of("/srv/bundles"));
    assertThat(config.maxCandidates()).isEqualTo(800);
    assertThat(config.recall().queryQuota()).isEqualTo(7);
    assertThat(config.recall().collaborativeQuota()).isZero();
    assertThat(config.recall().contentQuota()).isEqualTo(RecallSettings.DEFAULT_CONTENT_QUOTA);
    assertThat(config.recall().coOccurrenceQuota()).isEqualTo(9);
    assertThat(parse(Map.of("RECALL_CO_OCCURRENCE_QUOTA", "9"), "--co-occurrence-quota", "0").recall().coOccurrenceQuota())
        .isZero();
  }

  @Test
  void main_missingBundleDirectory_exitsTwoWithOneLineNamingIt() {
    Path missing = root.resolve("nowhere");

    int code = run(Map.of("RECALL_BUNDLE_DIR", missing.toString()), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).startsWith("recall-service: cannot start: bundle directory " + missing + " does not exist");
    assertThat(err().lines()).hasSize(1);
  }

  @Test
  void main_emptyBundleDirectory_exitsTwoSayingNoBundle() throws IOException {
    Files.createDirectories(root);

    int code = run(Map.of(), "--bundle-dir", root.toString(), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).contains("holds no published bundle").hasLineCount(1);
  }

  @Test
  void main_corruptBundle_exitsTwoNamingTheFile() throws IOException {
    Path bundle = Fixture.create(5).writeBundle(root, "20260101-000000-fixture");
    Files.write(bundle.resolve("cf.pb"), new byte[] {1}, StandardOpenOption.APPEND);

    int code = run(Map.of(), "--bundle-dir", root.toString(), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err())
        .startsWith("recall-service: cannot start: bundle " + bundle)
        .contains("cf.pb is")
        .contains("truncated or altered")
        .hasLineCount(1);
  }

  @Test
  void main_quotaOutOfRange_exitsTwoNamingTheValue() {
    int code = run(Map.of(), "--content-quota=-1", "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).isEqualTo("recall-service: cannot start: contentQuota: -1 (expected: 0 to 10000)\n");
  }

  @Test
  void module_publishedBundle_servesTheNewestVersionOverTheNetwork() throws Exception {
    Fixture fixture = Fixture.create(5);
    fixture.writeBundle(root, "20260101-000000-old");
    fixture.writeBundle(root, "20260102-000000-new");
    RecallServiceConfig config =
        new RecallServiceConfig(BundleSettings.of(root), 100, RecallSettings.defaults(), ServerSettings.defaults());
    Injector injector = Guice.createInjector(new RecallServiceModule(config));
    Lifecycle lifecycle = injector.getInstance(Lifecycle.class);
    lifecycle.start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", injector.getInstance(GrpcServer.class).port())
            .usePlaintext()
            .build();
    try {
      RecallResponse response =
          RecallServiceGrpc.newBlockingStub(channel)
              .recall(RecallRequest.newBuilder().setUserId("u1").setMaxCandidates(20).build());

      assertThat(response.getBundleVersion()).isEqualTo("20260102-000000-new");
      assertThat(response.getNewestBundleVersion()).isEqualTo("20260102-000000-new");
      assertThat(response.getKnownUser()).isTrue();
      assertThat(response.getCandidatesCount()).isEqualTo(20);
    } finally {
      channel.shutdownNow();
      lifecycle.stop();
    }
    assertThat(injector.getInstance(new Key<ServedBundles<RecallEngine>>() {}).versions()).isEmpty();
  }

  @Test
  void readme_configReference_matchesTheOptions() throws IOException {
    Path readme = Path.of(System.getProperty("recsuite.repo.root", "..")).resolve("recall-service/README.md");
    String table = ConfigReference.markdown(new CommandLine(new RecallServiceMain()), RecallServiceMain.ENV_PREFIX);

    assertThat(Files.readString(readme)).contains(table);
  }
}
