package dev.recsuite.grpc.security;

import io.grpc.Context;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is making the current call, as the server's access checks established it: a client name
 * (from a bearer token's entry, a certificate identity, or {@value #ANONYMOUS}), how it was
 * established, and the roles it holds. Handlers read it with {@link #current()}; it is also the
 * {@code recsuite.client} attribute of the call's server span.
 *
 * @param name the client's name, e.g. {@code gateway} or {@code web-frontend}
 * @param via how the name was established
 * @param roles what the client may do, e.g. {@code recommend}, {@code feedback}, {@code admin}
 */
public record Caller(String name, Via via, Set<String> roles) {

  /** The name of a caller that presented no credentials. */
  public static final String ANONYMOUS = "anonymous";

  /** The key of the caller in the call's {@link Context}. */
  public static final Context.Key<Caller> CONTEXT_KEY = Context.key("recsuite.caller");

  /** How a caller's identity was established. */
  public enum Via {
    /** No credentials: plaintext or TLS without a client certificate, and no token. */
    NONE,
    /** A client certificate verified by mutual TLS. */
    CERTIFICATE,
    /** A bearer token matched against the configured clients. */
    TOKEN
  }

  /**
   * @throws NullPointerException if a value is null
   */
  public Caller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(via, "via");
    roles = Set.copyOf(roles);
  }

  /** An anonymous caller with {@code roles}. */
  public static Caller anonymous(Set<String> roles) {
    return new Caller(ANONYMOUS, Via.NONE, roles);
  }

  /** The caller of the current call, if an access check ran for it. */
  public static Optional<Caller> current() {
    return Optional.ofNullable(CONTEXT_KEY.get());
  }

  /** Whether the caller holds {@code role}. */
  public boolean has(String role) {
    return roles.contains(role);
  }

  /** Whether the caller presented credentials. */
  public boolean authenticated() {
    return via != Via.NONE;
  }
}
