package dev.recsuite.grpc.security;

import dev.recsuite.grpc.ServerSettings;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which client identities may call a tier's admin methods, as a picocli mixin: {@code
 * --admin-clients}. Only for a service that declares admin methods ({@code
 * GrpcServer.Builder#adminMethods}); it needs mutual TLS.
 */
public final class AdminOptions {

  @Option(
      names = "--admin-clients",
      paramLabel = "<name>",
      split = ",",
      description =
          "With mutual TLS: the client certificate names that may call this service's admin (write)"
              + " methods, comma-separated; unset = nobody may. Needs --tls-client-ca.")
  private List<String> admins = List.of();

  /**
   * {@code settings} with this admin list.
   *
   * @throws IllegalArgumentException if the list is given without mutual TLS
   */
  public ServerSettings applyTo(ServerSettings settings) {
    ServerSecurity security = settings.security();
    return settings.withSecurity(security.withClients(security.allowedClients(), AccessOptions.names(admins)));
  }
}
