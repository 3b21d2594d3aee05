package dev.recsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects of one rendered kustomization, typed by fabric8's Kubernetes model. */
final class Manifests {

  private final String source;
  private final List<HasMetadata> objects;

  private Manifests(String source, List<HasMetadata> objects) {
    this.source = source;
    this.objects = List.copyOf(objects);
  }

  /** Parses multi-document YAML. */
  static Manifests parse(String source, String yaml) {
    Object parsed = new KubernetesSerialization().unmarshal(yaml);
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.forEach(o -> objects.add((HasMetadata) o));
    } else if (parsed instanceof KubernetesList list) {
      objects.addAll(list.getItems());
    } else if (parsed instanceof HasMetadata one) {
      objects.add(one);
    }
    return new Manifests(source, objects);
  }

  /** Where these came from, e.g. {@code overlays/prod}, for assertion messages. */
  String source() {
    return source;
  }

  List<HasMetadata> all() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  /** The object, or a failed assertion naming what is missing. */
  <T extends HasMetadata> T get(Class<T> type, String name) {
    Optional<T> found = find(type, name);
    assertThat(found).as("%s: %s %s", source, type.getSimpleName(), name).isPresent();
    return found.orElseThrow();
  }

  Deployment deployment(String name) {
    return get(Deployment.class, name);
  }

  Optional<Service> service(String name) {
    return find(Service.class, name);
  }

  /** Every pod template: Deployments' and Jobs'. */
  Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    all(Deployment.class).forEach(d -> templates.put("Deployment " + d.getMetadata().getName(), d.getSpec().getTemplate()));
    all(Job.class).forEach(j -> templates.put("Job " + name(j), j.getSpec().getTemplate()));
    return templates;
  }

  static String name(HasMetadata object) {
    String name = object.getMetadata().getName();
    return name != null ? name : object.getMetadata().getGenerateName();
  }

  /**
   * The environment a container gets, name to value in the order Kubernetes builds it: every
   * ConfigMap of {@code envFrom}, then {@code env}. A variable set from the downward API or a
   * reference has a {@code null} value here.
   */
  Map<String, String> environment(Container container) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      assertThat(from.getConfigMapRef())
          .as("%s: container %s reads envFrom other than a ConfigMap", source, container.getName())
          .isNotNull();
      ConfigMap map = get(ConfigMap.class, from.getConfigMapRef().getName());
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      map.getData().forEach((key, value) -> environment.put(prefix + key, value));
    }
    for (EnvVar variable : container.getEnv()) {
      environment.put(variable.getName(), variable.getValueFrom() == null ? variable.getValue() : null);
    }
    return environment;
  }

  /** The container named {@code name} of a pod template. */
  static Container container(PodTemplateSpec template, String name) {
    return template.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in the pod template"));
  }
}
