package dev.recsuite.grpc.security;

import dev.recsuite.grpc.ServerSettings;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How callers prove who they are and which of them may call, as a picocli mixin: {@code
 * --client-tokens} (bearer tokens, {@link ClientTokens} format), {@code --allow-anonymous} and
 * {@code --allowed-clients}. A caller is known by a name of its client certificate (mutual TLS,
 * {@code --tls-client-ca}) or the client name of its token. A tier with admin methods adds {@link
 * AdminOptions} (applied after this one); quotas come from {@link QuotaOptions}.
 *
 * <pre>{@code
 * @Mixin private final AccessOptions access = new AccessOptions();
 * ServerSettings settings = admin.applyTo(access.applyTo(server.toSettings()));
 * }</pre>
 */
public final class AccessOptions {

  @Option(
      names = "--client-tokens",
      paramLabel = "<file>",
      description =
          "Accept bearer tokens (metadata 'authorization: Bearer <token>') listed in this file: one"
              + " '<client-name> sha256:<hex>' line per token, the SHA-256 of the token, never the token"
              + " (docs/SECURITY.md). Reloaded when it changes. Unset = no tokens.")
  private Path clientTokens;

  @Option(
      names = "--allow-anonymous",
      description =
          "With mutual TLS or --client-tokens, still admit callers without credentials (to methods"
              + " that are neither admin nor write methods). Without either, callers are anonymous"
              + " anyway (local development).")
  private boolean allowAnonymous;

  @Option(
      names = "--allowed-clients",
      paramLabel = "<name>",
      split = ",",
      description =
          "With mutual TLS or --client-tokens: the client names (certificate names or token clients)"
              + " that may call this service, comma-separated, e.g. the gateway's; others get"
              + " PERMISSION_DENIED. Unset = any authenticated client.")
  private List<String> allowed = List.of();

  /**
   * {@code settings} with these tokens and this client list.
   *
   * @throws IllegalArgumentException if the list is given without mutual TLS or tokens
   */
  public ServerSettings applyTo(ServerSettings settings) {
    ServerSecurity security =
        settings.security().withTokens(Optional.ofNullable(clientTokens), allowAnonymous);
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
