package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.recsuite.gateway.v1.GatewayServiceGrpc;
import dev.recsuite.gateway.v1.RecommendRequest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ghz load Jobs ({@code k8s/load}, {@code k8s/load-concurrency}): their configuration names
 * the gateway's real method, Service and port, and every request of the data file is a valid
 * {@code RecommendRequest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadTest {

  private final RenderedOverlays overlays = new RenderedOverlays();

  /** A ghz Job: its container, its configuration and the files beside it. */
  private record GhzRun(Container container, Struct config, Map<String, String> files, String mountPath) {}

  private GhzRun run(String kustomization, String jobName) throws Exception {
    Manifests manifests = overlays.get(kustomization);
    Job job = manifests.get(Job.class, jobName);
    Container ghz = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(ghz.getArgs()).as("%s: ghz arguments", kustomization).singleElement().asString().startsWith("--config=");
    Path config = Path.of(ghz.getArgs().getFirst().substring("--config=".length()));
    VolumeMount mount =
        ghz.getVolumeMounts().stream()
            .filter(m -> config.startsWith(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(kustomization + ": nothing mounted at " + config.getParent()));
    Volume volume =
        job.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    ConfigMap files = manifests.get(ConfigMap.class, volume.getConfigMap().getName());
    String json = files.getData().get(config.getFileName().toString());
    assertThat(json).as("%s: %s is in ConfigMap %s", kustomization, config, files.getMetadata().getName()).isNotNull();
    Struct.Builder parsed = Struct.newBuilder();
    JsonFormat.parser().merge(json, parsed);
    return new GhzRun(ghz, parsed.build(), files.getData(), mount.getMountPath());
  }

  private static String text(Struct config, String key) {
    assertThat(config.getFieldsMap()).as("ghz config has %s", key).containsKey(key);
    return config.getFieldsOrThrow(key).getStringValue();
  }

  private static double number(Struct config, String key) {
    assertThat(config.getFieldsMap()).as("ghz config has %s", key).containsKey(key);
    return config.getFieldsOrThrow(key).getNumberValue();
  }

  @Test
  void constantRate_isAnOpenLoopAtAFixedRate() throws Exception {
    GhzRun run = run("load", "ghz-constant-rate");

    assertCallsTheGateway(run);
    assertThat(number(run.config(), "rps")).isPositive();
    assertThat(run.config().getFieldsOrThrow("async").getBoolValue()).as("async: sends do not wait for answers").isTrue();
    assertThat(text(run.config(), "load-schedule")).isEqualTo("const");
  }

  @Test
  void concurrency_isAClosedLoopWithoutARateLimit() throws Exception {
    GhzRun run = run("load-concurrency", "ghz-concurrency");

    assertCallsTheGateway(run);
    assertThat(number(run.config(), "concurrency")).isPositive();
    assertThat(run.config().getFieldsMap()).doesNotContainKeys("rps", "async");
  }

  private void assertCallsTheGateway(GhzRun run) throws Exception {
    assertThat(run.container().getImage()).matches("ghcr\\.io/bojand/ghz:\\d+\\.\\d+\\.\\d+");
    String recommend = GatewayServiceGrpc.getRecommendMethod().getFullMethodName().replace('/', '.');
    assertThat(text(run.config(), "call")).isEqualTo(recommend);
    assertThat(run.config().getFieldsOrThrow("insecure").getBoolValue()).isTrue();

    // The host is the gateway Service of the suite, on its port.
    NetworkTest.Endpoint host = NetworkTest.endpoints(text(run.config(), "host")).getFirst();
    Manifests suite = overlays.get("overlays/prod");
    Service gateway = suite.service(host.host()).orElseThrow(() -> new AssertionError("ghz host " + host + " is no Service of the suite"));
    assertThat(gateway.getSpec().getSelector()).isEqualTo(Map.of("app.kubernetes.io/name", Tier.GATEWAY.resourceName()));
    assertThat(gateway.getSpec().getPorts()).extracting(p -> p.getPort()).contains(host.port());

    // Every request of the data file is a RecommendRequest the gateway accepts.
    Path data = Path.of(text(run.config(), "data-file"));
    assertThat(data.getParent()).isEqualTo(Path.of(run.mountPath()));
    String users = run.files().get(data.getFileName().toString());
    assertThat(users).as("data file %s is in the ConfigMap", data).isNotNull();
    ListValue.Builder requests = ListValue.newBuilder();
    JsonFormat.parser().merge(users, requests);
    int maxK = Tier.GATEWAY.parse(Map.of(), List.of()).value("--max-k");
    assertThat(requests.getValuesCount()).as("requests in %s", data).isGreaterThanOrEqualTo(100);
    for (Value element : requests.getValuesList()) {
      RecommendRequest.Builder request = RecommendRequest.newBuilder();
      JsonFormat.parser().merge(JsonFormat.printer().print(element), request); // unknown fields fail
      assertThat(request.getUserId()).isNotBlank().hasSizeLessThanOrEqualTo(128);
      assertThat(request.getK()).isBetween(1, maxK);
    }
  }

  @Test
  void deployableOverlays_containNoLoadJob() {
    for (String overlay : RenderedOverlays.DEPLOYABLE) {
      assertThat(overlays.get(overlay).all(Job.class))
          .as("%s: load generators are applied on purpose, never with the suite", overlay)
          .noneSatisfy(job -> assertThat(job.getMetadata().getName()).startsWith("ghz"));
    }
  }
}
