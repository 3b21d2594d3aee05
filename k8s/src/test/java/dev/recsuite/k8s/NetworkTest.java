package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Services, the gateway's targets and the network policies of every deployable kustomization. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkTest {

  /** The gateway option naming each internal tier's address. */
  private static final Map<Tier, String> TARGET_OPTIONS =
      Map.of(Tier.RECALL, "--recall-target", Tier.FEATURE, "--feature-target", Tier.RANKING, "--ranking-target");

  private final RenderedOverlays overlays = new RenderedOverlays();

  static Stream<String> deployable() {
    return RenderedOverlays.DEPLOYABLE.stream();
  }

  private static Tier.Parsed parsed(Manifests manifests, Tier tier) {
    Container container =
        Manifests.container(manifests.deployment(tier.resourceName()).getSpec().getTemplate(), tier.resourceName());
    return tier.parse(manifests.environment(container), container.getArgs() == null ? List.of() : container.getArgs());
  }

  /** A host and port of a gRPC target. */
  record Endpoint(String host, int port) {}

  /** The endpoints of a gateway target: {@code dns:///name:port}, {@code host:port} or a list of them. */
  static List<Endpoint> endpoints(String target) {
    String addresses = target;
    if (addresses.startsWith("dns:")) {
      addresses = addresses.substring("dns:".length());
      if (addresses.startsWith("//")) {
        addresses = addresses.substring(addresses.indexOf('/', 2) + 1); // drop the DNS authority
      }
    } else if (addresses.contains("://")) {
      throw new AssertionError("target " + target + ": only dns:/// and host:port targets can be checked");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (String address : addresses.split(",")) {
      int colon = address.strip().lastIndexOf(':');
      assertThat(colon).as("target %s names a port", target).isPositive();
      endpoints.add(new Endpoint(address.strip().substring(0, colon), Integer.parseInt(address.strip().substring(colon + 1))));
    }
    return endpoints;
  }

  @Test
  void endpoints_readsTheTargetFormsTheGatewayAccepts() {
    assertThat(endpoints("dns:///recall:50052")).containsExactly(new Endpoint("recall", 50052));
    assertThat(endpoints("dns://10.0.0.10/recall.recsuite.svc.cluster.local:50052"))
        .containsExactly(new Endpoint("recall.recsuite.svc.cluster.local", 50052));
    assertThat(endpoints("a:1, b:2")).containsExactly(new Endpoint("a", 1), new Endpoint("b", 2));
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void gatewayTargets_resolveToHeadlessServicesOfTheTiersOnTheirPorts(String overlay) {
    Manifests manifests = overlays.get(overlay);
    Tier.Parsed gateway = parsed(manifests, Tier.GATEWAY);
    String namespace = manifests.deployment(Tier.GATEWAY.resourceName()).getMetadata().getNamespace();
    for (Map.Entry<Tier, String> entry : TARGET_OPTIONS.entrySet()) {
      Tier tier = entry.getKey();
      String target = gateway.value(entry.getValue());
      Deployment deployment = manifests.deployment(tier.resourceName());
      int tierPort = parsed(manifests, tier).port();
      for (Endpoint endpoint : endpoints(target)) {
        String[] labels = endpoint.host().split("\\.");
        if (labels.length > 1) {
          assertThat(labels[1]).as("%s: %s %s names the suite's namespace", overlay, entry.getValue(), target).isEqualTo(namespace);
        }
        Service service =
            manifests.service(labels[0]).orElseThrow(() -> new AssertionError(
                overlay + ": gateway " + entry.getValue() + "=" + target + " names Service " + labels[0] + ", which does not exist"));
        assertThat(service.getSpec().getClusterIP())
            .as("%s: Service %s is headless, so the gateway balances over its pods", overlay, labels[0])
            .isEqualTo("None");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
            .as("%s: Service %s selects %s's pods", overlay, labels[0], tier.resourceName())
            .containsAllEntriesOf(service.getSpec().getSelector());
        ServicePort port =
            service.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == endpoint.port())
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": Service " + labels[0] + " has no port " + endpoint.port() + " (target " + target + ")"));
        assertThat(containerPort(deployment, tier, port.getTargetPort()))
            .as("%s: Service %s port %d leads to %s's --port", overlay, labels[0], endpoint.port(), tier.serviceName())
            .isEqualTo(tierPort);
      }
    }
  }

  private static int containerPort(Deployment deployment, Tier tier, IntOrString targetPort) {
    if (targetPort.getIntVal() != null) {
      return targetPort.getIntVal();
    }
    return Manifests.container(deployment.getSpec().getTemplate(), tier.resourceName()).getPorts().stream()
        .filter(p -> targetPort.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + targetPort.getStrVal()))
        .getContainerPort();
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void gateway_hasAClusterIpServiceOnItsPort(String overlay) {
    Manifests manifests = overlays.get(overlay);
    Service service = manifests.service(Tier.GATEWAY.resourceName()).orElseThrow();
    Deployment deployment = manifests.deployment(Tier.GATEWAY.resourceName());

    assertThat(service.getSpec().getClusterIP()).as("%s: the gateway Service has a cluster IP", overlay).isNotEqualTo("None");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(containerPort(deployment, Tier.GATEWAY, p.getTargetPort()))
            .isEqualTo(parsed(manifests, Tier.GATEWAY).port()));
  }

  @ParameterizedTest
  @MethodSource("deployable")
  void networkPolicies_denyByDefaultAndAdmitOnlyTheGatewayToTheTiers(String overlay) {
    Manifests manifests = overlays.get(overlay);
    List<NetworkPolicy> policies = manifests.all(NetworkPolicy.class);
    assertThat(policies)
        .as("%s: a default-deny ingress policy for every pod", overlay)
        .anySatisfy(p -> {
          assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
          assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
          assertThat(p.getSpec().getPolicyTypes()).contains("Ingress");
          assertThat(p.getSpec().getIngress()).isNullOrEmpty();
        });
    Map<String, String> gatewayPods =
        manifests.deployment(Tier.GATEWAY.resourceName()).getSpec().getTemplate().getMetadata().getLabels();

    for (Tier tier : Tier.values()) {
      Map<String, String> pods = manifests.deployment(tier.resourceName()).getSpec().getTemplate().getMetadata().getLabels();
      Tier.Parsed parsed = parsed(manifests, tier);
      int port = parsed.port();
      Integer metricsPort = parsed.value("--metrics-port");
      List<NetworkPolicyIngressRule> rules =
          policies.stream()
              .filter(p -> p.getSpec().getPodSelector().getMatchLabels() != null
                  && !p.getSpec().getPodSelector().getMatchLabels().isEmpty()
                  && pods.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
              .flatMap(p -> p.getSpec().getIngress().stream())
              .toList();
      String what = overlay + ": ingress to " + tier.resourceName();
      assertThat(rules).as("%s is allowed by some policy", what).isNotEmpty();
      for (NetworkPolicyIngressRule rule : rules) {
        if (rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal().equals(metricsPort))) {
          // The metrics port: only Prometheus' namespace, and nothing else on that rule.
          assertThat(rule.getPorts()).as("%s: metrics rule ports", what).extracting(p -> p.getPort().getIntVal()).containsExactly(metricsPort);
          assertThat(rule.getFrom())
              .as("%s: metrics only from the monitoring namespace", what)
              .singleElement()
              .satisfies(peer -> {
                assertThat(peer.getPodSelector()).isNull();
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
              });
          continue;
        }
        assertThat(rule.getPorts()).as("%s: ports", what).extracting(p -> p.getPort().getIntVal()).containsExactly(port);
        if (tier == Tier.GATEWAY) {
          continue; // the gateway takes outside traffic
        }
        assertThat(rule.getFrom()).as("%s: only from named peers", what).isNotEmpty();
        for (NetworkPolicyPeer peer : rule.getFrom()) {
          assertThat(peer.getIpBlock()).as("%s: no ip blocks", what).isNull();
          assertThat(peer.getNamespaceSelector()).as("%s: no other namespaces", what).isNull();
          assertThat(gatewayPods).as("%s: only from gateway pods", what).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
        }
      }
    }
  }
}
