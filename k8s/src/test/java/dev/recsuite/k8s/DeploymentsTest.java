package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every deployable kustomization, rendered by kubectl, against the services' own configuration:
 * ports, probes, environment variable names and values, drain timing, security, bundles,
 * OpenTelemetry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentsTest {

  private final RenderedOverlays overlays = new RenderedOverlays();

  static Stream<String> deployable() {
    return RenderedOverlays.DEPLOYABLE.stream();
  }

  private Tier.Parsed parsed(Manifests manifests, Tier tier) {
    Container container = serviceContainer(manifests, tier);
    return tier.parse(manifests.environment(container), args(container));
  }

  private static Container serviceContainer(Manifests manifests, Tier tier) {
    return Manifests.container(manifests.deployment(tier.resourceName()).getSpec().getTemplate(), tier.resourceName());
  }

  private static List<String> args(Container container) {
    List<String> args = new ArrayList<>();
    if (container.getCommand() != null) {
      assertThat(container.getCommand()).as("container %s overrides the image's entrypoint", container.getName()).isEmpty();
    }
    if (container.getArgs() != null) {
      args.addAll(container.getArgs());
    }
    return args;
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void containers_listenOnTheirServicesConfiguredPort(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      Container container = serviceContainer(manifests, tier);
      Tier.Parsed parsed = parsed(manifests, tier);
      Integer metricsPort = parsed.value("--metrics-port");
      Integer healthPort = parsed.value("--health-port");
      List<org.assertj.core.groups.Tuple> expected = new ArrayList<>(List.of(
          org.assertj.core.groups.Tuple.tuple("grpc", parsed.port()),
          org.assertj.core.groups.Tuple.tuple("metrics", metricsPort)));
      if (healthPort != null) {
        expected.add(org.assertj.core.groups.Tuple.tuple("health", healthPort));
      }

      assertThat(metricsPort).as("%s: %s --metrics-port (Prometheus scrapes it)", overlay, tier.resourceName()).isNotNull();
      assertThat(container.getPorts())
          .as("%s: %s's container ports", overlay, tier.resourceName())
          .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(manifests.deployment(tier.resourceName()).getSpec().getTemplate().getMetadata().getAnnotations())
          .as("%s: %s's scrape annotations", overlay, tier.resourceName())
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", Integer.toString(metricsPort));
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void containers_bindEveryInterface(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      assertThat(parsed(manifests, tier).host())
          .as("%s: %s --host (127.0.0.1 is unreachable from other pods)", overlay, tier.resourceName())
          .isEqualTo("0.0.0.0");
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void probes_areGrpcHealthChecksOnTheServingOrPlaintextHealthPort(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      Container container = serviceContainer(manifests, tier);
      Tier.Parsed parsed = parsed(manifests, tier);
      // Kubelet gRPC probes speak plaintext only: with TLS they must use the --health-port server.
      Integer healthPort = parsed.value("--health-port");
      if (parsed.value("--tls-cert") != null) {
        assertThat(healthPort).as("%s: %s serves TLS, so it needs --health-port for the probes", overlay, tier.resourceName()).isNotNull();
      }
      int port = healthPort != null ? healthPort : parsed.port();
      for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
        assertThat(probe).as("%s: %s's startup, readiness and liveness probes", overlay, tier.resourceName()).isNotNull();
        assertThat(probe.getGrpc()).as("%s: %s probe is a grpc probe", overlay, tier.resourceName()).isNotNull();
        assertThat(probe.getGrpc().getPort()).as("%s: %s grpc probe port", overlay, tier.resourceName()).isEqualTo(port);
        // The servers report the overall health under the empty service name.
        assertThat(probe.getGrpc().getService()).isNullOrEmpty();
        assertThat(probe.getHttpGet()).isNull();
        assertThat(probe.getExec()).isNull();
        assertThat(probe.getTcpSocket()).isNull();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void environment_namesOnlyOptionsTheServiceReads(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      Container container = serviceContainer(manifests, tier);
      Map<String, String> environment = manifests.environment(container);
      Set<String> known = tier.optionVariables();
      Set<String> unknown = new TreeSet<>();
      for (String name : environment.keySet()) {
        if (!known.contains(name) && !allowedBesideOptions(name, container)) {
          unknown.add(name);
        }
      }

      assertThat(unknown)
          .as("%s: environment variables of %s that are no option of %s (options read %s)",
              overlay, tier.resourceName(), tier.serviceName(), known)
          .isEmpty();
    }
  }

  /** OpenTelemetry's standard variables, the java launcher's, and downward-API values used in them. */
  private static boolean allowedBesideOptions(String name, Container container) {
    if (name.startsWith("OTEL_") || name.equals("JDK_JAVA_OPTIONS") || name.equals("JAVA_TOOL_OPTIONS")) {
      return true;
    }
    return name.startsWith("K8S_")
        && container.getEnv().stream()
            .filter(v -> v.getName().equals(name))
            .anyMatch(v -> v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null);
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void environment_isAcceptedByTheServicesOwnValidation(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      assertThatCode(() -> parsed(manifests, tier).validate())
          .as("%s: %s's configuration", overlay, tier.resourceName())
          .doesNotThrowAnyException();
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void termination_graceCoversThePreStopSleepAndTheServersDrain(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      PodSpec pod = manifests.deployment(tier.resourceName()).getSpec().getTemplate().getSpec();
      Container container = serviceContainer(manifests, tier);
      assertThat(container.getLifecycle()).as("%s: %s preStop", overlay, tier.resourceName()).isNotNull();
      assertThat(container.getLifecycle().getPreStop().getSleep())
          .as("%s: %s preStop is a native sleep (the image has no shell)", overlay, tier.resourceName())
          .isNotNull();
      long sleep = container.getLifecycle().getPreStop().getSleep().getSeconds();
      Tier.Parsed parsed = parsed(manifests, tier);
      java.time.Duration drainDelay = parsed.value("--drain-delay");
      long drain = parsed.shutdownGrace().plus(drainDelay).toSeconds();

      assertThat(sleep).as("%s: %s preStop sleep (endpoints must update first)", overlay, tier.resourceName()).isPositive();
      assertThat(pod.getTerminationGracePeriodSeconds())
          .as("%s: %s terminationGracePeriodSeconds > preStop sleep %d s + --drain-delay + --shutdown-grace (%d s)",
              overlay, tier.resourceName(), sleep, drain)
          .isGreaterThan(sleep + drain);
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void pods_runAsNonRootWithAReadOnlyRootFileSystemAndNoServiceLinks(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Map.Entry<String, PodTemplateSpec> entry : manifests.podTemplates().entrySet()) {
      PodSpec pod = entry.getValue().getSpec();
      String what = overlay + ": " + entry.getKey();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("%s runAsNonRoot", what).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as("%s seccomp", what).isEqualTo("RuntimeDefault");
      // Service links would set <SERVICE>_PORT=tcp://..., which the services read as --port.
      assertThat(pod.getEnableServiceLinks()).as("%s enableServiceLinks", what).isFalse();
      assertThat(pod.getAutomountServiceAccountToken()).as("%s automountServiceAccountToken", what).isFalse();
      List<Container> containers = new ArrayList<>(pod.getContainers());
      containers.addAll(pod.getInitContainers());
      for (Container container : containers) {
        String where = what + " container " + container.getName();
        assertThat(container.getSecurityContext()).as("%s securityContext", where).isNotNull();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", where).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", where).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).as("%s drops capabilities", where).containsExactly("ALL");
        assertThat(container.getImage()).as("%s image has a tag", where).matches(".+:[^/:]+").doesNotEndWith(":latest");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void resources_requestAndLimitCpuAndMemory(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      var resources = serviceContainer(manifests, tier).getResources();
      String what = overlay + ": " + tier.resourceName();
      assertThat(resources.getRequests()).as("%s requests", what).containsKeys("cpu", "memory");
      assertThat(resources.getLimits()).as("%s limits", what).containsKeys("cpu", "memory");
      assertThat(Quantity.getAmountInBytes(resources.getRequests().get("memory")))
          .as("%s: memory request = limit (the JVM sizes its heap from the limit)", what)
          .isEqualByComparingTo(Quantity.getAmountInBytes(resources.getLimits().get("memory")));
      assertThat(Quantity.getAmountInBytes(resources.getRequests().get("cpu")))
          .as("%s: cpu request <= limit", what)
          .isLessThanOrEqualTo(Quantity.getAmountInBytes(resources.getLimits().get("cpu")));
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void replicas_preferDifferentNodes(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      Deployment deployment = manifests.deployment(tier.resourceName());
      Map<String, String> ownPods = deployment.getSpec().getSelector().getMatchLabels();
      var terms = deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
          .getPreferredDuringSchedulingIgnoredDuringExecution();

      assertThat(terms)
          .as("%s: %s prefers nodes without another of its own pods", overlay, tier.resourceName())
          .anySatisfy(term -> {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(ownPods);
          });
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void tiers_readTheirBundleDirectoryFromAReadOnlyMount(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.INTERNAL) {
      PodSpec pod = manifests.deployment(tier.resourceName()).getSpec().getTemplate().getSpec();
      Container container = serviceContainer(manifests, tier);
      Path bundleDir = parsed(manifests, tier).value("--bundle-dir");
      VolumeMount mount =
          container.getVolumeMounts().stream()
              .filter(m -> Path.of(m.getMountPath()).equals(bundleDir))
              .findFirst()
              .orElseThrow(() -> new AssertionError(overlay + ": " + tier.resourceName() + " mounts nothing at --bundle-dir " + bundleDir));
      assertThat(mount.getReadOnly()).as("%s: %s bundle mount is read-only", overlay, tier.resourceName()).isTrue();
      Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      if (volume.getPersistentVolumeClaim() != null) {
        assertThat(manifests.find(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class,
                volume.getPersistentVolumeClaim().getClaimName()))
            .as("%s: the claim %s exists", overlay, volume.getPersistentVolumeClaim().getClaimName())
            .isPresent();
      } else {
        // Filled before the service starts: an init container writes into the same volume.
        assertThat(volume.getEmptyDir()).as("%s: %s bundle volume", overlay, tier.resourceName()).isNotNull();
        assertThat(pod.getInitContainers())
            .as("%s: %s has an init container that fills the bundle volume", overlay, tier.resourceName())
            .anySatisfy(init -> assertThat(init.getVolumeMounts())
                .anySatisfy(m -> {
                  assertThat(m.getName()).isEqualTo(volume.getName());
                  assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
                }));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void openTelemetry_isWiredByTheStandardVariables(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      Container container = serviceContainer(manifests, tier);
      Map<String, String> environment = manifests.environment(container);
      String what = overlay + ": " + tier.resourceName();

      assertThat(environment.get("OTEL_SERVICE_NAME")).as("%s OTEL_SERVICE_NAME", what).isEqualTo(tier.serviceName());
      assertThat(environment.get("OTEL_EXPORTER_OTLP_ENDPOINT")).as("%s OTEL_EXPORTER_OTLP_ENDPOINT", what).startsWith("http");
      assertThat(environment.get("OTEL_RESOURCE_ATTRIBUTES"))
          .as("%s OTEL_RESOURCE_ATTRIBUTES", what)
          .contains("k8s.pod.name=$(K8S_POD_NAME)", "k8s.namespace.name=$(K8S_NAMESPACE)");
      // $(VAR) expands only variables defined earlier in env.
      List<String> order = container.getEnv().stream().map(EnvVar::getName).toList();
      assertThat(order.indexOf("K8S_POD_NAME")).as("%s K8S_POD_NAME before OTEL_RESOURCE_ATTRIBUTES", what)
          .isNotNegative()
          .isLessThan(order.indexOf("OTEL_RESOURCE_ATTRIBUTES"));
    }
  }

  /** The options that name credentials: certificates, keys, CA bundles, token hashes. */
  private static final List<String> CREDENTIAL_FILES =
      List.of("--tls-cert", "--tls-key", "--tls-client-ca", "--downstream-tls-ca", "--downstream-tls-cert",
          "--downstream-tls-key", "--client-tokens");

  @ParameterizedTest
  @MethodSource("deployable")
  void credentials_comeFromReadOnlySecretMounts(String overlay) {
    Manifests manifests = overlays.get(overlay);
    for (Tier tier : Tier.values()) {
      PodSpec pod = manifests.deployment(tier.resourceName()).getSpec().getTemplate().getSpec();
      Container container = serviceContainer(manifests, tier);
      Tier.Parsed parsed = parsed(manifests, tier);
      for (String option : CREDENTIAL_FILES) {
        Path file = parsed.valueIfOption(option);
        if (file == null) {
          continue;
        }
        String what = overlay + ": " + tier.resourceName() + " " + option + " " + file;
        VolumeMount mount =
            container.getVolumeMounts().stream()
                .filter(m -> file.startsWith(Path.of(m.getMountPath())))
                .findFirst()
                .orElseThrow(() -> new AssertionError(what + ": no volume mounted above it"));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(mount.getReadOnly()).as("%s: read-only mount", what).isTrue();
        assertThat(volume.getSecret()).as("%s: comes from a Secret", what).isNotNull();
      }
    }
  }
}
