package dev.recsuite.grpc.security;

import dev.recsuite.grpc.ServerSettings;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which clients may call a tier's admin methods, as a picocli mixin: {@code --admin-clients}.
 * Only for a service that declares admin methods ({@code GrpcServer.Builder#adminMethods}); it
 * needs mutual TLS or {@code --client-tokens}, and is applied after {@link AccessOptions}.
 */
public final class AdminOptions {

  @Option(
      names = "--admin-clients",
      paramLabel = "<name>",
      split = ",",
      description =
          "The client names (certificate names or token clients) that may call this service's admin"
              + " methods (AdminService: ReloadBundles), comma-separated; unset = nobody may. Needs"
              + " --tls-client-ca or --client-tokens.")
  private List<String> admins = List.of();

  /**
   * {@code settings} with this admin list.
   *
   * @throws IllegalArgumentException if the list is given without mutual TLS or tokens
   */
  public ServerSettings applyTo(ServerSettings settings) {
    ServerSecurity security = settings.security();
    return settings.withSecurity(security.withClients(security.allowedClients(), AccessOptions.names(admins)));
  }
}
