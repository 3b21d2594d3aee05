package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What the manifest tests do when kubectl is missing or fails. */
class KustomizeTest {

  @TempDir Path dir;

  private final List<String> warnings = new ArrayList<>();

  @Test
  void render_withoutKubectlLocally_skipsWithAVisibleMessage() {
    Kustomize kustomize = new Kustomize(Map.of("PATH", dir.toString()), warnings::add);

    assertThatThrownBy(() -> kustomize.render(dir)).isInstanceOf(TestAbortedException.class).hasMessageContaining("kubectl not found");
    assertThat(warnings).singleElement().asString().contains("Skipping");
  }

  @Test
  void render_withoutKubectlOnCi_fails() {
    Kustomize kustomize = new Kustomize(Map.of("PATH", dir.toString(), "CI", "true"), warnings::add);

    assertThatThrownBy(() -> kustomize.render(dir))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("kubectl not found")
        .hasMessageContaining("CI=true");
  }

  @Test
  void kubectl_isFoundOnThePath() throws Exception {
    Path kubectl = fakeKubectl("exit 0");

    assertThat(new Kustomize(Map.of("PATH", "/nonexistent:" + dir), warnings::add).kubectl()).contains(kubectl);
  }

  @Test
  void render_kubectlFailing_failsWithItsErrorOutput() throws Exception {
    fakeKubectl("echo 'error: no kustomization file' >&2; exit 1");
    Kustomize kustomize = new Kustomize(Map.of("PATH", dir.toString()), warnings::add);

    assertThatThrownBy(() -> kustomize.render(dir))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("exit 1")
        .hasMessageContaining("error: no kustomization file");
  }

  private Path fakeKubectl(String script) throws Exception {
    Path kubectl = dir.resolve("kubectl");
    Files.writeString(kubectl, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
    return kubectl;
  }
}
