package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.trainer.TrainerMain;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** What differs between the dev and prod overlays, and the trainer Jobs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverlaysTest {

  private final RenderedOverlays overlays = new RenderedOverlays();

  @Test
  void dev_runsOneReplicaOfEachServiceWithoutAutoscaling() {
    Manifests dev = overlays.get("overlays/dev");

    for (Tier tier : Tier.values()) {
      assertThat(dev.deployment(tier.resourceName()).getSpec().getReplicas()).as("dev replicas of %s", tier).isEqualTo(1);
    }
    assertThat(dev.all(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(dev.all(PodDisruptionBudget.class)).isEmpty();
    assertThat(dev.get(PersistentVolumeClaim.class, "recsuite-bundles").getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
  }

  @Test
  void dev_trainsABundleIntoTheVolumeTheTiersRead() {
    Manifests dev = overlays.get("overlays/dev");
    Job job = dev.get(Job.class, "train-bundle");

    assertTrainerWritesTheTiersBundleVolume(job, dev.deployment(Tier.RECALL.resourceName()));
  }

  @Test
  void trainJob_parsesAsTrainerArgumentsAndWritesTheSharedVolume() throws Exception {
    Path file = RenderedOverlays.directory("jobs/train-bundle.yaml");
    Job job = new KubernetesSerialization().unmarshal(Files.readString(file), Job.class);
    Manifests prod = overlays.get("overlays/prod");

    assertThat(job.getMetadata().getGenerateName()).as("a new Job per run (kubectl create)").isNotBlank();
    assertTrainerWritesTheTiersBundleVolume(job, prod.deployment(Tier.RECALL.resourceName()));
    assertThat(job.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isFalse();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  private static void assertTrainerWritesTheTiersBundleVolume(Job job, Deployment tier) {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container trainer = pod.getContainers().getFirst();
    ParseResult parsed = TrainerMain.commandLine().parseArgs(trainer.getArgs().toArray(String[]::new));
    String out = parsed.matchedOptionValue("--out", Path.of("bundles")).toString();
    String claim = claimMountedAt(pod, trainer, out);
    PodSpec tierPod = tier.getSpec().getTemplate().getSpec();
    Container tierContainer = Manifests.container(tier.getSpec().getTemplate(), Tier.RECALL.resourceName());

    assertThat(claim).as("the trainer's --out %s is a volume claim", out).isNotNull();
    assertThat(claimMountedAt(tierPod, tierContainer, "/bundles")).as("the tiers read the claim the trainer writes").isEqualTo(claim);
    assertThat(trainer.getVolumeMounts()).filteredOn(m -> m.getMountPath().equals(out)).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE));
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
  }

  private static String claimMountedAt(PodSpec pod, Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .flatMap(m -> pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())))
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName())
        .findFirst()
        .orElse(null);
  }

  @Test
  void prod_autoscalesEveryServiceFromSeveralReplicas() {
    Manifests prod = overlays.get("overlays/prod");

    for (Tier tier : Tier.values()) {
      Deployment deployment = prod.deployment(tier.resourceName());
      HorizontalPodAutoscaler hpa =
          prod.all(HorizontalPodAutoscaler.class).stream()
              .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                  && h.getSpec().getScaleTargetRef().getName().equals(tier.resourceName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("prod: no autoscaler for Deployment " + tier.resourceName()));
      int min = hpa.getSpec().getMinReplicas();
      assertThat(min).as("prod: %s minReplicas", tier).isGreaterThanOrEqualTo(2);
      assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(min);
      assertThat(deployment.getSpec().getReplicas()).as("prod: %s replicas within the autoscaler's range", tier)
          .isBetween(min, hpa.getSpec().getMaxReplicas());
      assertThat(hpa.getSpec().getMetrics()).isNotEmpty();
    }
  }

  @Test
  void prod_budgetsDisruptionsToOnePodOfEachService() {
    Manifests prod = overlays.get("overlays/prod");

    for (Tier tier : Tier.values()) {
      var pods = prod.deployment(tier.resourceName()).getSpec().getTemplate().getMetadata().getLabels();
      List<PodDisruptionBudget> budgets =
          prod.all(PodDisruptionBudget.class).stream()
              .filter(b -> pods.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
              .toList();
      assertThat(budgets).as("prod: disruption budget of %s", tier).singleElement()
          .satisfies(b -> assertThat(b.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1));
    }
  }

  @Test
  void overlays_putEverythingInTheirNamespace() {
    for (String overlay : List.of("overlays/dev", "overlays/prod")) {
      Manifests manifests = overlays.get(overlay);
      String namespace = manifests.all(io.fabric8.kubernetes.api.model.Namespace.class).getFirst().getMetadata().getName();
      for (HasMetadata object : manifests.all()) {
        if (!(object instanceof io.fabric8.kubernetes.api.model.Namespace)) {
          assertThat(object.getMetadata().getNamespace()).as("%s: %s %s", overlay, object.getKind(), Manifests.name(object))
              .isEqualTo(namespace);
        }
      }
    }
  }

  @Test
  void trainerCommand_rejectsAnUnknownOption_soTheJobCheckCanFail() {
    CommandLine trainer = TrainerMain.commandLine();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.parseArgs("--output", "/bundles"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void prod_servesTlsEverywhereAndTheTiersAdmitOnlyTheGateway() {
    Manifests prod = overlays.get("overlays/prod");
    Tier.Parsed gateway = parsed(prod, Tier.GATEWAY);

    assertThat((Object) gateway.value("--tls-cert")).as("gateway --tls-cert").isNotNull();
    assertThat((Object) gateway.value("--downstream-tls-ca")).as("gateway --downstream-tls-ca").isNotNull();
    assertThat((Object) gateway.value("--downstream-tls-cert")).as("gateway --downstream-tls-cert (mutual TLS)").isNotNull();
    assertThat((Object) gateway.value("--client-tokens")).as("gateway --client-tokens").isNotNull();
    for (Tier tier : Tier.INTERNAL) {
      Tier.Parsed parsed = parsed(prod, tier);
      assertThat((Object) parsed.value("--tls-client-ca")).as("%s --tls-client-ca (mutual TLS)", tier).isNotNull();
      List<String> allowed = parsed.value("--allowed-clients");
      assertThat(allowed).as("%s --allowed-clients", tier).containsExactly("spiffe://recsuite/gateway");
    }
  }

  @Test
  void dev_isPlaintextForLocalDevelopment() {
    Manifests dev = overlays.get("overlays/dev");

    for (Tier tier : Tier.values()) {
      assertThat((Object) parsed(dev, tier).value("--tls-cert")).as("dev %s --tls-cert", tier).isNull();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void certManagerExample_issuesTheCertificatesTheProdOverlayExpects() {
    Manifests prod = overlays.get("overlays/prod");
    Manifests issued = overlays.get("examples/cert-manager");
    Map<String, Map<String, Object>> certificates = new HashMap<>();
    for (GenericKubernetesResource resource : issued.all(GenericKubernetesResource.class)) {
      if (resource.getKind().equals("Certificate")) {
        Map<String, Object> spec = (Map<String, Object>) resource.getAdditionalProperties().get("spec");
        certificates.put((String) spec.get("secretName"), spec);
      }
    }
    Tier.Parsed gateway = parsed(prod, Tier.GATEWAY);

    for (Tier tier : Tier.values()) {
      PodSpec pod = prod.deployment(tier.resourceName()).getSpec().getTemplate().getSpec();
      pod.getVolumes().stream()
          .filter(v -> v.getSecret() != null && v.getSecret().getSecretName().endsWith("-tls"))
          .forEach(v -> assertThat(certificates).as("a Certificate for Secret %s", v.getSecret().getSecretName())
              .containsKey(v.getSecret().getSecretName()));
    }
    List<String> gatewayUris = (List<String>) certificates.get("recsuite-gateway-tls").get("uris");
    for (Tier tier : Tier.INTERNAL) {
      List<String> allowed = parsed(prod, tier).value("--allowed-clients");
      assertThat(gatewayUris).as("the gateway certificate names an identity %s admits", tier).containsAnyElementsOf(allowed);
      String target = gateway.value("--" + tier.resourceName() + "-target");
      String host = target.replaceFirst("^dns:///", "").replaceFirst(":\\d+$", "");
      List<String> dnsNames = (List<String>) certificates.get("recsuite-" + tier.resourceName() + "-tls").get("dnsNames");
      assertThat(dnsNames).as("%s certificate names the host the gateway dials (%s)", tier, target).contains(host);
    }
  }

  private static Tier.Parsed parsed(Manifests manifests, Tier tier) {
    Container container =
        Manifests.container(manifests.deployment(tier.resourceName()).getSpec().getTemplate(), tier.resourceName());
    return tier.parse(manifests.environment(container), container.getArgs() == null ? List.of() : container.getArgs());
  }
}
