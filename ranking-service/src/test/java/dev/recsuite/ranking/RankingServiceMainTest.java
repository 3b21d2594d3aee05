package dev.recsuite.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.grpc.ConfigReference;
import dev.recsuite.grpc.EnvironmentDefaults;
import dev.recsuite.grpc.ServiceMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RankingServiceMainTest {

  @TempDir Path bundles;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void config_noArguments_usesTheDocumentedDefaults() {
    RankingServiceConfig config = parse(Map.of());

    assertThat(config.server().port()).isEqualTo(50054);
    assertThat(config.bundles().directory()).isEqualTo(Path.of("bundles"));
    assertThat(config.maxBatch()).isEqualTo(2_000);
  }

  @Test
  void config_environmentVariables_setTheOptions() {
    RankingServiceConfig config =
        parse(Map.of("RANKING_BUNDLE_DIR", "/srv/bundles", "RANKING_MAX_BATCH", "500", "RANKING_PORT", "6000"));

    assertThat(config.bundles().directory()).isEqualTo(Path.of("/srv/bundles"));
    assertThat(config.maxBatch()).isEqualTo(500);
    assertThat(config.server().port()).isEqualTo(6000);
  }

  @Test
  void config_argumentBeatsEnvironment() {
    RankingServiceConfig config = parse(Map.of("RANKING_MAX_BATCH", "500"), "--max-batch", "10");

    assertThat(config.maxBatch()).isEqualTo(10);
  }

  @Test
  void run_bundleWithoutRanker_failsWithOneLineNamingTheFile() throws IOException {
    TestBundles.write(bundles, "20261130-100000-test", null);

    int code = run(Map.of(), "--bundle-dir", bundles.toString(), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).hasLineCount(1).startsWith("ranking-service: cannot start: bundle ").endsWith("has no ranker.pb\n");
  }

  @Test
  void run_corruptRanker_failsWithOneLineNamingTheFile() throws IOException {
    Path published = TestBundles.write(bundles, "20261130-100000-test", LinearRankerTest.handModel());
    byte[] bytes = Files.readAllBytes(published.resolve("ranker.pb"));
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(published.resolve("ranker.pb"), bytes);

    int code = run(Map.of(), "--bundle-dir", bundles.toString(), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).hasLineCount(1).contains("ranker.pb has SHA-256").contains("corrupt");
  }

  @Test
  void run_bundleDirFromEnvironmentHoldsNoBundle_failsNamingTheDirectory() {
    Path empty = bundles.resolve("empty");

    int code = run(Map.of("RANKING_BUNDLE_DIR", empty.toString()), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).hasLineCount(1).contains(empty.toString()).contains("does not exist");
  }

  @Test
  void run_maxBatchOutOfRange_failsNamingTheFlag() {
    int code = run(Map.of(), "--bundle-dir", bundles.toString(), "--max-batch", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).isEqualTo("ranking-service: cannot start: --max-batch: 0 (expected: 1..100000)\n");
  }

  @Test
  void readme_configurationReference_matchesTheOptions() throws IOException {
    String table =
        ConfigReference.markdown(new CommandLine(new RankingServiceMain()), RankingServiceMain.ENV_PREFIX);

    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

    assertThat(readme).contains(table);
  }

  private static RankingServiceConfig parse(Map<String, String> environment, String... args) {
    RankingServiceMain main = new RankingServiceMain();
    new CommandLine(main)
        .setDefaultValueProvider(new EnvironmentDefaults(RankingServiceMain.ENV_PREFIX, environment))
        .parseArgs(args);
    return main.config();
  }

  private int run(Map<String, String> environment, String... args) {
    ServiceMain main =
        new ServiceMain(
            RankingServiceMain.ENV_PREFIX,
            environment,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return main.run(new RankingServiceMain(), args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }
}
