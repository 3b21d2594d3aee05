package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.trainer.TrainerMain;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The container build ({@code k8s/images/Dockerfile}) agrees with the code and the manifests: one
 * target per service, starting that service's main class with the JVM flags it needs, exposing its
 * default port; the manifests run the images of those targets. (No Docker engine in CI: the
 * Dockerfile is checked, not built.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerfileTest {

  private static final Pattern STAGE = Pattern.compile("(?m)^FROM\\s+(\\S+)\\s+AS\\s+(\\S+)\\s*$");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private final RenderedOverlays overlays = new RenderedOverlays();
  private final Map<String, String> stages = stages();

  /** Stage name to its text (up to the next FROM). */
  private static Map<String, String> stages() {
    try {
      String dockerfile = Files.readString(Repository.k8s("images/Dockerfile"));
      Map<String, String> stages = new LinkedHashMap<>();
      Matcher m = STAGE.matcher(dockerfile);
      List<int[]> bounds = new ArrayList<>();
      List<String> names = new ArrayList<>();
      while (m.find()) {
        bounds.add(new int[] {m.start(), m.end()});
        names.add(m.group(2));
      }
      for (int i = 0; i < names.size(); i++) {
        int end = i + 1 < bounds.size() ? bounds.get(i + 1)[0] : dockerfile.length();
        stages.put(names.get(i), dockerfile.substring(bounds.get(i)[0], end));
      }
      return stages;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> entrypoint(String stage) {
    String text = stages.get(stage);
    assertThat(text).as("Dockerfile target %s", stage).isNotNull();
    String line = text.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
        .orElseThrow(() -> new AssertionError("target " + stage + " has no ENTRYPOINT"));
    List<String> words = new ArrayList<>();
    Matcher m = QUOTED.matcher(line);
    while (m.find()) {
      words.add(m.group(1));
    }
    return words;
  }

  @Test
  void everyServiceTarget_startsItsMainClassWithTheFlagsItNeedsOnItsDefaultPort() {
    for (Tier tier : Tier.values()) {
      List<String> entrypoint = entrypoint(tier.resourceName());
      String text = stages.get(tier.resourceName());

      assertThat(entrypoint.getLast()).as("target %s main class", tier.resourceName()).isEqualTo(tier.mainClass().getName());
      assertThat(entrypoint).contains("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");
      assertThat(text).as("target %s exposes its default port", tier.resourceName())
          .containsPattern("(?m)^EXPOSE " + tier.parse(Map.of(), List.of()).port() + "$");
      assertThat(text).as("target %s binds every interface", tier.resourceName()).contains(tier.envPrefix() + "_HOST=0.0.0.0");
    }
  }

  @Test
  void trainerTarget_startsTheTrainer() {
    assertThat(entrypoint("trainer").getLast()).isEqualTo(TrainerMain.class.getName());
  }

  @Test
  void runtime_linksTheModulesTheFlagsName() {
    String build = stages.get("build");
    Matcher modules = Pattern.compile("--add-modules\\s+(\\S+)").matcher(build);

    assertThat(modules.find()).as("jlink --add-modules in the build stage").isTrue();
    assertThat(List.of(modules.group(1).split(","))).contains("java.base", "jdk.incubator.vector", "jdk.unsupported", "java.sql");
    assertThat(stages.get("runtime")).contains("USER 65532:65532");
  }

  @Test
  void manifests_runTheImagesOfTheseTargets() {
    Manifests prod = overlays.get("overlays/prod");
    for (Tier tier : Tier.values()) {
      Container container = Manifests.container(prod.deployment(tier.resourceName()).getSpec().getTemplate(), tier.resourceName());
      String repository = container.getImage().substring(0, container.getImage().lastIndexOf(':'));

      assertThat(repository).as("image of %s", tier).endsWith("/" + tier.resourceName());
      assertThat(stages).containsKey(tier.resourceName());
    }
  }

  @Test
  void buildContext_keepsEveryModulePomMavenReads() throws Exception {
    String ignore = Files.readString(Repository.k8s("images/Dockerfile.dockerignore"));
    Path rootPom = Repository.root().resolve("pom.xml");

    assertThat(Files.readString(rootPom)).contains("<module>k8s</module>");
    assertThat(ignore).contains("!k8s/pom.xml").contains("**/target");
  }
}
