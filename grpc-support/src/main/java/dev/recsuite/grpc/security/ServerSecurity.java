package dev.recsuite.grpc.security;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may talk to a server: its TLS (none = plaintext, the local-development exception), and with
 * mutual TLS which client identities may call its services ({@code allowedClients}) and which may
 * call its admin methods ({@code adminClients}).
 *
 * <p>A client identity is a name from its certificate: a URI or DNS subject alternative name, or
 * the subject's common name ({@link PeerIdentity}). With mutual TLS:
 *
 * <ul>
 *   <li>an empty {@code allowedClients} admits every certificate the client CA signed; otherwise a
 *       call from another identity is refused with {@code PERMISSION_DENIED};
 *   <li>admin methods (declared by the service: {@code GrpcServer.Builder#adminMethods}) admit
 *       only {@code adminClients}, and nobody when it is empty.
 * </ul>
 *
 * <p>Without mutual TLS no caller has an identity, so neither list may be set.
 *
 * @param tls the server's TLS, empty for plaintext
 * @param allowedClients identities that may call the services; empty = any the client CA signed
 * @param adminClients identities that may also call admin methods
 */
public record ServerSecurity(
    Optional<TlsSettings> tls, Set<String> allowedClients, Set<String> adminClients) {

  /**
   * @throws IllegalArgumentException if client lists are set without mutual TLS, or name a blank
   *     identity
   * @throws NullPointerException if a value is null
   */
  public ServerSecurity {
    Objects.requireNonNull(tls, "tls");
    allowedClients = Set.copyOf(new TreeSet<>(allowedClients));
    adminClients = Set.copyOf(new TreeSet<>(adminClients));
    boolean mutual = tls.map(TlsSettings::mutual).orElse(false);
    if (!mutual && !allowedClients.isEmpty()) {
      throw new IllegalArgumentException(
          "allowed-clients: " + new TreeSet<>(allowedClients)
              + " (expected: none without mutual TLS; set --tls-cert, --tls-key and --tls-client-ca)");
    }
    if (!mutual && !adminClients.isEmpty()) {
      throw new IllegalArgumentException(
          "admin-clients: " + new TreeSet<>(adminClients)
              + " (expected: none without mutual TLS; set --tls-cert, --tls-key and --tls-client-ca)");
    }
    for (String name : allowedClients) {
      requireName("allowed-clients", name);
    }
    for (String name : adminClients) {
      requireName("admin-clients", name);
    }
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

  /**
   * A copy with these client lists.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public ServerSecurity withClients(Set<String> allowed, Set<String> admins) {
    return new ServerSecurity(tls, allowed, admins);
  }

  private static void requireName(String option, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(option + ": a blank identity (expected: names from client certificates)");
    }
  }
}
