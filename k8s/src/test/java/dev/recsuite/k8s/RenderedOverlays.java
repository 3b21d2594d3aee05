package dev.recsuite.k8s;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** Renders kustomizations under {@code k8s/} once per test class instance. */
final class RenderedOverlays {

  /** Every kustomization that deploys the suite: the two overlays and the bundle-fetch example. */
  static final List<String> DEPLOYABLE = List.of("overlays/dev", "overlays/prod", "examples/prod-bundle-fetch");

  // One warning per JVM when kubectl is missing, as the MovieLens locator does.
  private static final AtomicBoolean warned = new AtomicBoolean();

  private final Kustomize kustomize = new Kustomize(System.getenv(), RenderedOverlays::warnOnce);
  private final Map<String, Manifests> rendered = new HashMap<>();

  Manifests get(String relativeDirectory) {
    return rendered.computeIfAbsent(
        relativeDirectory,
        dir -> Manifests.parse(dir, kustomize.render(Repository.k8s(dir))));
  }

  static Path directory(String relative) {
    return Repository.k8s(relative);
  }

  // Printing is intended: a skipped test's reason is otherwise easy to miss in the build output.
  private static void warnOnce(String message) {
    if (warned.compareAndSet(false, true)) {
      System.err.println("[recsuite-k8s] " + message);
    }
  }
}
