package dev.recsuite.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization with {@code kubectl kustomize DIR}, the same command {@code kubectl apply
 * -k} runs. kubectl is looked up in {@code $KUBECTL}, then on {@code PATH}. Without it the tests
 * that render are skipped with a message, except under {@code CI=true}, where its absence fails
 * the build (the way the MovieLens tests treat the data set).
 */
final class Kustomize {

  private static final long TIMEOUT_SECONDS = 60;

  private final Map<String, String> environment;
  private final Consumer<String> warning;

  Kustomize(Map<String, String> environment, Consumer<String> warning) {
    this.environment = Map.copyOf(environment);
    this.warning = warning;
  }

  /** kubectl on this machine, or empty. */
  Optional<Path> kubectl() {
    String configured = environment.get("KUBECTL");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The rendered YAML of the kustomization in {@code directory}.
   *
   * @throws org.opentest4j.AssertionFailedError if kubectl fails (its error output is the message),
   *     or if kubectl is missing under {@code CI=true}
   * @throws org.opentest4j.TestAbortedException if kubectl is missing elsewhere
   */
  String render(Path directory) {
    Path kubectl = kubectl().orElseGet(this::missing);
    ProcessBuilder builder = new ProcessBuilder(kubectl.toString(), "kustomize", directory.toString());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> errors =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String out = read(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Assertions.fail("kubectl kustomize " + directory + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        return Assertions.fail(
            "kubectl kustomize " + directory + " failed (exit " + process.exitValue() + "): " + errors.join().strip());
      }
      return out;
    } catch (IOException e) {
      return Assertions.fail("cannot run " + kubectl + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Assertions.fail("interrupted while rendering " + directory, e);
    }
  }

  private Path missing() {
    String message =
        "kubectl not found (looked at $KUBECTL and on PATH): the k8s manifests cannot be rendered."
            + " Install kubectl 1.27 or newer (its built-in kustomize renders offline) or set KUBECTL.";
    if ("true".equalsIgnoreCase(environment.get("CI"))) {
      return Assertions.fail(message + " CI=true: failing instead of skipping.");
    }
    warning.accept(message + " Skipping the tests that render manifests.");
    Assumptions.abort(message);
    return null;
  }

  private static String read(java.io.InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
