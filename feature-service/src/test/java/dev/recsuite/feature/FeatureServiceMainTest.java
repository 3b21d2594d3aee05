package dev.recsuite.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.feedback.StoreType;
import dev.recsuite.grpc.ConfigReference;
import dev.recsuite.grpc.EnvironmentDefaults;
import dev.recsuite.grpc.ServiceMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FeatureServiceMainTest {

  @TempDir Path root;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void config_noArgumentsNoEnvironment_usesTheDocumentedDefaults() {
    FeatureServiceConfig config = parse(Map.of());

    assertThat(config.bundles().directory()).isEqualTo(Path.of("bundles"));
    assertThat(config.maxBatch()).isEqualTo(2_000);
    assertThat(config.server().port()).isEqualTo(50053);
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void config_noFeedbackOptions_hasNoFeedbackStore() {
    assertThat(parse(Map.of()).feedback()).isEmpty();
  }

  @Test
  void config_embeddedWithoutDirectory_usesFeedbackBesideTheBundles() {
    FeatureServiceConfig config =
        parse(Map.of(), "--bundle-dir", root.resolve("bundles").toString(), "--feedback-store", "embedded");

    assertThat(config.feedback()).hasValueSatisfying(store -> {
      assertThat(store.type()).isEqualTo(StoreType.EMBEDDED);
      assertThat(store.path()).isEqualTo(root.resolve("feedback").toAbsolutePath());
      assertThat(store.recentWindow()).isEqualTo(100);
      assertThat(store.dislikedWindow()).isEqualTo(100);
      assertThat(store.popularityHalfLife()).isEqualTo(Duration.ofHours(24));
      assertThat(store.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
      assertThat(store.maxEventAge()).isEqualTo(Duration.ofDays(30));
    });
  }

  @Test
  void config_feedbackOptions_fromTheEnvironment() {
    FeatureServiceConfig redis =
        parse(
            Map.of(
                "FEATURE_FEEDBACK_STORE", "redis",
                "FEATURE_REDIS_URI", "redis://:secret@10.0.0.5:6379/2",
                "FEATURE_REDIS_KEY_PREFIX", "{fb}:",
                "FEATURE_FEEDBACK_RECENT_WINDOW", "250",
                "FEATURE_TRENDING_HALF_LIFE", "6h"));
    FeatureServiceConfig none = parse(Map.of("FEATURE_FEEDBACK_STORE", "none"));

    assertThat(redis.feedback()).hasValueSatisfying(store -> {
      assertThat(store.type()).isEqualTo(StoreType.REDIS);
      assertThat(store.redisKeyPrefix()).isEqualTo("{fb}:");
      assertThat(store.recentWindow()).isEqualTo(250);
      assertThat(store.popularityHalfLife()).isEqualTo(Duration.ofHours(6));
      assertThat(store.toString()).doesNotContain("secret");
    });
    assertThat(none.feedback()).isEmpty();
  }

  @Test
  void config_redisWithoutUri_failsNamingTheOption() {
    assertThatThrownBy(() -> parse(Map.of(), "--feedback-store", "redis"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("redis-uri: required for --feedback-store redis");
  }

  @Test
  void config_badFeedbackValues_failNamingTheOption() {
    assertThatThrownBy(() -> parse(Map.of(), "--feedback-store", "mongo"))
        .hasMessage("feedback-store: \"mongo\" (expected: embedded, redis or none)");
    assertThatThrownBy(() -> parse(Map.of(), "--feedback-recent-window", "0"))
        .hasMessage("feedback-recent-window: 0 (expected: 1..1000)");
    assertThatThrownBy(() -> parse(Map.of(), "--feedback-store", "redis", "--redis-uri", "http://x"))
        .hasMessageStartingWith("redis-uri: \"http://x\"");
  }

  @Test
  void config_environment_setsOptionsAndFlagsWin() {
    Map<String, String> env =
        Map.of("FEATURE_BUNDLE_DIR", "/srv/bundles", "FEATURE_MAX_BATCH", "700", "FEATURE_PORT", "6000");

    FeatureServiceConfig fromEnv = parse(env);
    FeatureServiceConfig flagWins = parse(env, "--max-batch", "900");

    assertThat(fromEnv.bundles().directory()).isEqualTo(Path.of("/srv/bundles"));
    assertThat(fromEnv.maxBatch()).isEqualTo(700);
    assertThat(fromEnv.server().port()).isEqualTo(6000);
    assertThat(flagWins.maxBatch()).isEqualTo(900);
  }

  @Test
  void run_missingBundleDirectory_printsOneLineAndExitsWithUsage() {
    Path missing = root.resolve("nothing-here");

    int code = run("--bundle-dir", missing.toString(), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err())
        .startsWith("feature-service: cannot start: bundle directory " + missing)
        .contains("does not exist")
        .hasLineCount(1);
  }

  @Test
  void run_corruptFeatures_printsOneLineNamingTheFile() throws IOException {
    Path features = TestBundles.write(root, TestBundles.VERSION).path(BundleFiles.FEATURES);
    byte[] bytes = Files.readAllBytes(features);
    bytes[0] ^= (byte) 0x5A;
    Files.write(features, bytes);

    int code = run("--bundle-dir", root.toString(), "--port", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).startsWith("feature-service: cannot start: bundle ").contains("features.pb").hasLineCount(1);
  }

  @Test
  void run_maxBatchZero_printsOneLineNamingTheValue() {
    TestBundles.write(root, TestBundles.VERSION);

    int code = run("--bundle-dir", root.toString(), "--port", "0", "--max-batch", "0");

    assertThat(code).isEqualTo(ServiceMain.EXIT_USAGE);
    assertThat(err()).isEqualTo("feature-service: cannot start: maxBatch: 0 (expected: 1..20000)\n");
  }

  @Test
  void readme_configurationReference_matchesTheOptions() throws IOException {
    Path readme = Path.of(System.getProperty("recsuite.repo.root"), "feature-service", "README.md");
    String table =
        ConfigReference.markdown(new CommandLine(new FeatureServiceMain()), FeatureServiceMain.ENV_PREFIX);

    assertThat(Files.readString(readme, StandardCharsets.UTF_8)).contains(table);
  }

  private static FeatureServiceConfig parse(Map<String, String> env, String... args) {
    FeatureServiceMain main = new FeatureServiceMain();
    new CommandLine(main)
        .setDefaultValueProvider(new EnvironmentDefaults(FeatureServiceMain.ENV_PREFIX, env))
        .parseArgs(args);
    return main.config();
  }

  private int run(String... args) {
    ServiceMain runner =
        new ServiceMain(
            FeatureServiceMain.ENV_PREFIX,
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return runner.run(new FeatureServiceMain(), args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
