package dev.recsuite.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class MovieLensLocatorTest {

  @TempDir Path tmp;

  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> properties = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private Path repo;
  private Path moduleDir;
  private Path defaultData;

  @BeforeEach
  void layOutACheckout() throws IOException {
    repo = Files.createDirectories(tmp.resolve("work/main"));
    Files.createFile(repo.resolve("mvnw"));
    moduleDir = Files.createDirectories(repo.resolve("recall-service"));
    defaultData = tmp.resolve("work/shared/data/ml-100k");
  }

  @Test
  void ml100k_environmentVariable_winsOverPropertyAndRepository() throws IOException {
    Path fromEnv = dataSet(tmp.resolve("env"));
    dataSet(tmp.resolve("prop"));
    dataSet(defaultData);
    env.put(MovieLensData.DIR_ENV, fromEnv.toString());
    properties.put(MovieLensData.DIR_PROPERTY, tmp.resolve("prop").toString());

    assertThat(locator(moduleDir).ml100k()).isEqualTo(fromEnv);
  }

  @Test
  void ml100k_systemProperty_winsOverRepository() throws IOException {
    Path fromProperty = dataSet(tmp.resolve("prop"));
    dataSet(defaultData);
    properties.put(MovieLensData.DIR_PROPERTY, fromProperty.toString());

    assertThat(locator(moduleDir).ml100k()).isEqualTo(fromProperty);
  }

  @Test
  void ml100k_repoRootProperty_resolvesTheSharedDataDirectory() throws IOException {
    dataSet(defaultData);
    properties.put(MovieLensData.REPO_ROOT_PROPERTY, repo.toString());

    assertThat(locator(tmp).ml100k()).isEqualTo(defaultData);
  }

  @Test
  void ml100k_noRootProperty_walksUpToTheDirectoryHoldingMvnw() throws IOException {
    dataSet(defaultData);
    // Maven leaves the placeholder as is when the property is undefined.
    properties.put(MovieLensData.REPO_ROOT_PROPERTY, "${maven.multiModuleProjectDirectory}");

    assertThat(locator(moduleDir).ml100k()).isEqualTo(defaultData);
  }

  @Test
  void ml100k_missingLocally_abortsSayingWhereItLookedAndWarns() {
    assertThatThrownBy(() -> locator(moduleDir).ml100k())
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("looked in " + defaultData + ", which does not exist")
        .hasMessageContaining(MovieLensData.DIR_ENV + "=<dir>")
        .hasMessageContaining("-D" + MovieLensData.DIR_PROPERTY + "=<dir>");
    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst())
        .startsWith("MovieLens 100K not found: looked in " + defaultData);
  }

  @Test
  void ml100k_missingOnCi_failsSayingCiMustHaveIt() {
    env.put("CI", "true");

    assertThatThrownBy(() -> locator(moduleDir).ml100k())
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("looked in " + defaultData)
        .hasMessageContaining("CI must provide the data set");
    assertThat(warnings).isEmpty();
  }

  @Test
  void ml100k_incompleteDirectory_namesTheMissingFiles() throws IOException {
    Files.createDirectories(defaultData);
    Files.createFile(defaultData.resolve("u.data"));

    assertThatThrownBy(() -> locator(moduleDir).ml100k())
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("which lacks u.item, u.user");
  }

  @Test
  void ml100k_configuredDirectoryWrong_failsEvenLocally() {
    env.put(MovieLensData.DIR_ENV, tmp.resolve("nowhere").toString());

    assertThatThrownBy(() -> locator(moduleDir).ml100k())
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith(
            "MovieLens 100K: "
                + tmp.resolve("nowhere")
                + " (from the environment variable RECSUITE_ML100K_DIR) does not exist.");
  }

  @Test
  void ml100k_noRepositoryRoot_abortsSayingSo() {
    Path outside = tmp.resolve("elsewhere");

    assertThatThrownBy(() -> locator(outside).ml100k())
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("cannot find the repository root")
        .hasMessageContaining("no directory above " + outside + " holds mvnw");
  }

  private MovieLensLocator locator(Path workingDirectory) {
    return new MovieLensLocator(env, properties::get, workingDirectory, warnings::add);
  }

  /** Creates empty stand-ins for the three files; no MovieLens data is ever written. */
  private static Path dataSet(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String file : MovieLensLocator.REQUIRED_FILES) {
      Files.createFile(dir.resolve(file));
    }
    return dir;
  }
}
