package dev.recsuite.grpc.security;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may talk to a server: its TLS (none = plaintext, the local-development exception), how
 * callers prove who they are (client certificates with mutual TLS, bearer tokens from a {@code
 * --client-tokens} file), which callers may call its services ({@code allowedClients}) and its
 * admin methods ({@code adminClients}), and how many calls per second each may make ({@code
 * quotas}).
 *
 * <p>A caller's name is a name from its client certificate (a URI or DNS subject alternative name,
 * or the subject's common name: {@link PeerIdentity}) or the client name of its bearer token
 * ({@link ClientTokens}); a caller with neither is {@value Caller#ANONYMOUS}.
 *
 * <ul>
 *   <li>With mutual TLS or tokens configured ({@link #authenticationRequired()}), anonymous callers
 *       are refused ({@code UNAUTHENTICATED}) unless {@code allowAnonymous}; even then they may not
 *       call admin or write methods.
 *   <li>An empty {@code allowedClients} admits every authenticated caller; otherwise a caller not
 *       in it (nor in {@code adminClients}) is refused with {@code PERMISSION_DENIED}.
 *   <li>Admin methods (declared by the service: {@code GrpcServer.Builder#adminMethods}) admit
 *       only {@code adminClients}, and nobody when it is empty.
 * </ul>
 *
 * <p>Without mutual TLS or tokens no caller has a name, so neither list may be set.
 *
 * @param tls the server's TLS, empty for plaintext
 * @param allowedClients names that may call the services; empty = any authenticated caller
 * @param adminClients names that may also call admin methods
 * @param clientTokens the token file ({@link ClientTokens} format), empty = no bearer tokens
 * @param allowAnonymous whether callers without credentials are admitted (to the methods that are
 *     neither admin nor write methods) although authentication is configured
 * @param quotas calls per second per client
 */
public record ServerSecurity(
    Optional<TlsSettings> tls,
    Set<String> allowedClients,
    Set<String> adminClients,
    Optional<Path> clientTokens,
    boolean allowAnonymous,
    ClientQuotas quotas) {

  private static final String HOW =
      "; set --tls-cert, --tls-key and --tls-client-ca, or --client-tokens";

  /**
   * @throws IllegalArgumentException if client lists are set without mutual TLS or tokens, or name
   *     a blank identity
   * @throws NullPointerException if a value is null
   */
  public ServerSecurity {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(clientTokens, "clientTokens");
    Objects.requireNonNull(quotas, "quotas");
    allowedClients = Set.copyOf(new TreeSet<>(allowedClients));
    adminClients = Set.copyOf(new TreeSet<>(adminClients));
    boolean named = tls.map(TlsSettings::mutual).orElse(false) || clientTokens.isPresent();
    if (!named && !allowedClients.isEmpty()) {
      throw new IllegalArgumentException(
          "allowed-clients: " + new TreeSet<>(allowedClients)
              + " (expected: none without mutual TLS or client tokens" + HOW + ")");
    }
    if (!named && !adminClients.isEmpty()) {
      throw new IllegalArgumentException(
          "admin-clients: " + new TreeSet<>(adminClients)
              + " (expected: none without mutual TLS or client tokens" + HOW + ")");
    }
    for (String name : allowedClients) {
      requireName("allowed-clients", name);
    }
    for (String name : adminClients) {
      requireName("admin-clients", name);
    }
  }

  /**
   * TLS and client lists, without tokens or quotas.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public ServerSecurity(Optional<TlsSettings> tls, Set<String> allowedClients, Set<String> adminClients) {
    this(tls, allowedClients, adminClients, Optional.empty(), false, ClientQuotas.none());
  }

  /** Plaintext, no client identities: the default, for local development only. */
  public static ServerSecurity plaintext() {
    return new ServerSecurity(Optional.empty(), Set.of(), Set.of());
  }

  /** TLS as given, no client lists. */
  public static ServerSecurity of(TlsSettings tls) {
    return new ServerSecurity(Optional.of(tls), Set.of(), Set.of());
  }

  /** Whether clients must present certificates (and so have identities). */
  public boolean mutualTls() {
    return tls.map(TlsSettings::mutual).orElse(false);
  }

  /** Whether callers must present credentials: mutual TLS or bearer tokens are configured. */
  public boolean authenticationRequired() {
    return mutualTls() || clientTokens.isPresent();
  }

  /**
   * A copy with these client lists.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public ServerSecurity withClients(Set<String> allowed, Set<String> admins) {
    return new ServerSecurity(tls, allowed, admins, clientTokens, allowAnonymous, quotas);
  }

  /**
   * A copy accepting the bearer tokens of {@code file} (empty: none), and anonymous callers when
   * {@code allowAnonymous}.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public ServerSecurity withTokens(Optional<Path> file, boolean allowAnonymous) {
    return new ServerSecurity(tls, allowedClients, adminClients, file, allowAnonymous, quotas);
  }

  /** A copy with these quotas. */
  public ServerSecurity withQuotas(ClientQuotas quotas) {
    return new ServerSecurity(tls, allowedClients, adminClients, clientTokens, allowAnonymous, quotas);
  }

  private static void requireName(String option, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(option + ": a blank identity (expected: names from client certificates or tokens)");
    }
  }
}
