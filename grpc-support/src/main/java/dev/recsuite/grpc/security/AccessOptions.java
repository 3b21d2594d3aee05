package dev.recsuite.grpc.security;

import dev.recsuite.grpc.ServerSettings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Which client identities may call an internal tier, as a picocli mixin: {@code
 * --allowed-clients}. It needs mutual TLS ({@code --tls-client-ca}); an identity is a name of the
 * client's certificate (URI or DNS subject alternative name, or common name). A tier with admin
 * methods adds {@link AdminOptions}.
 *
 * <pre>{@code
 * @Mixin private final AccessOptions access = new AccessOptions();
 * ServerSettings settings = access.applyTo(server.toSettings());
 * }</pre>
 */
public final class AccessOptions {

  @Option(
      names = "--allowed-clients",
      paramLabel = "<name>",
      split = ",",
      description =
          "With mutual TLS: the client certificate names that may call this service, comma-separated"
              + " (e.g. the gateway's); others get PERMISSION_DENIED. Unset = any certificate the"
              + " client CA signed.")
  private List<String> allowed = List.of();

  /**
   * {@code settings} with this client list.
   *
   * @throws IllegalArgumentException if the list is given without mutual TLS
   */
  public ServerSettings applyTo(ServerSettings settings) {
    ServerSecurity security = settings.security();
    return settings.withSecurity(security.withClients(names(allowed), security.adminClients()));
  }

  static Set<String> names(List<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : names) {
      out.add(name.strip());
    }
    return out;
  }
}
