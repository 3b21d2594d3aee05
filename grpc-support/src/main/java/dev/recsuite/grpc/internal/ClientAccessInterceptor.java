package dev.recsuite.grpc.internal;

import dev.recsuite.grpc.security.Caller;
import dev.recsuite.grpc.security.ClientTokens;
import dev.recsuite.grpc.security.PeerIdentity;
import dev.recsuite.grpc.security.ServerSecurity;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Decides who makes each call, whether it may, and whether it is within its quota; the one place
 * a server's {@link Caller} is established.
 *
 * <ol>
 *   <li>Authentication: a bearer token ({@code authorization: Bearer <token>}) names the client of
 *       its {@code --client-tokens} entry; otherwise a verified client certificate (mutual TLS)
 *       names it ({@link PeerIdentity}); otherwise the caller is {@value Caller#ANONYMOUS}. A
 *       malformed or unknown token, a token where none are configured, and an anonymous caller
 *       where credentials are required (mutual TLS or tokens, without {@code --allow-anonymous})
 *       are {@code UNAUTHENTICATED}.
 *   <li>Authorisation: admin methods only from {@code --admin-clients} ({@code PERMISSION_DENIED}
 *       for others, and for everyone when no admin is configured; {@code UNAUTHENTICATED} for an
 *       anonymous caller where credentials can be presented); with {@code --allowed-clients}, an
 *       authenticated caller must be in it or be an admin ({@code PERMISSION_DENIED}); write
 *       methods never from an anonymous caller where credentials are configured.
 *   <li>Quota: a call over its client's rate is {@code RESOURCE_EXHAUSTED} naming the client and
 *       the quota, and counted.
 * </ol>
 *
 * <p>Messages never repeat a presented token. The admitted caller (roles {@code call}, plus {@code
 * admin} for admins) is put in the call's context and on its span as {@code recsuite.client}.
 */
public final class ClientAccessInterceptor implements ServerInterceptor {

  /** The span attribute with the caller's name. */
  public static final AttributeKey<String> CLIENT = AttributeKey.stringKey("recsuite.client");

  /** The {@code authorization} request header. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final String BEARER = "bearer ";
  private static final Set<String> CALL = Set.of("call");
  private static final Set<String> CALL_AND_ADMIN = Set.of("call", "admin");

  private final String service;
  private final Set<String> allowed;
  private final Set<String> admins;
  private final boolean authenticationRequired;
  private final boolean mutualTls;
  private final boolean allowAnonymous;
  private final Supplier<ClientTokens> tokens;
  private final Set<String> adminMethods;
  private final Set<String> writeMethods;
  private final ClientRateLimiters quotas;
  private final Consumer<String> throttled;

  /**
   * @param service the server's name, for messages
   * @param security who may call: client lists, whether tokens or mutual TLS are configured,
   *     whether anonymous callers are admitted, the quotas
   * @param tokens the tokens in use (they may be reloaded); {@code null} when {@code security} has
   *     no token file
   * @param adminMethods full method names of the admin methods
   * @param writeMethods full method names of the write methods
   * @param throttled told the client name of every call refused for its quota (a metric)
   */
  public ClientAccessInterceptor(
      String service,
      ServerSecurity security,
      Supplier<ClientTokens> tokens,
      Set<String> adminMethods,
      Set<String> writeMethods,
      Consumer<String> throttled) {
    this.service = Objects.requireNonNull(service, "service");
    this.allowed = security.allowedClients();
    this.admins = security.adminClients();
    this.authenticationRequired = security.authenticationRequired();
    this.mutualTls = security.mutualTls();
    this.allowAnonymous = security.allowAnonymous();
    if (security.clientTokens().isPresent() && tokens == null) {
      throw new IllegalArgumentException("tokens: null while --client-tokens is " + security.clientTokens().get());
    }
    this.tokens = security.clientTokens().isPresent() ? tokens : null;
    this.adminMethods = Set.copyOf(adminMethods);
    this.writeMethods = Set.copyOf(writeMethods);
    this.quotas = new ClientRateLimiters(service, security.quotas());
    this.throttled = Objects.requireNonNull(throttled, "throttled");
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Outcome outcome = decide(method, headers.get(AUTHORIZATION), call);
    if (outcome.refusal != null) {
      call.close(outcome.refusal, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Caller caller = outcome.caller;
    if (!quotas.tryAcquire(caller.name())) {
      throttled.accept(caller.name());
      call.close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "client " + caller.name() + " is over its quota of " + format(quotas.rateOf(caller.name()))
                  + " calls/s on " + service + " (--client-quota, --default-client-quota); retry later"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Span span = Span.current();
    if (span.isRecording()) {
      span.setAttribute(CLIENT, caller.name());
    }
    return Contexts.interceptCall(Context.current().withValue(Caller.CONTEXT_KEY, caller), call, headers, next);
  }

  private Outcome decide(String method, String authorization, ServerCall<?, ?> call) {
    boolean admin = adminMethods.contains(method);
    boolean write = writeMethods.contains(method);

    // Authentication.
    Caller caller;
    Optional<PeerIdentity> peer = Optional.empty();
    if (authorization != null) {
      if (tokens == null) {
        return refuse(Status.UNAUTHENTICATED, service + " accepts no bearer tokens (it has no --client-tokens)");
      }
      String token = bearerToken(authorization);
      if (token == null) {
        return refuse(Status.UNAUTHENTICATED, "authorization: not a bearer token (expected: 'Bearer <token>')");
      }
      Optional<String> client = tokens.get().authenticate(token);
      if (client.isEmpty()) {
        return refuse(Status.UNAUTHENTICATED, service + ": unknown bearer token");
      }
      caller = new Caller(client.get(), Caller.Via.TOKEN, admins.contains(client.get()) ? CALL_AND_ADMIN : CALL);
    } else {
      peer = PeerIdentity.of(call.getAttributes());
      if (peer.isPresent()) {
        boolean isAdmin = peer.get().firstIn(admins).isPresent();
        String name = nameOf(peer.get());
        caller = new Caller(name, Caller.Via.CERTIFICATE, isAdmin ? CALL_AND_ADMIN : CALL);
      } else {
        if (authenticationRequired && !allowAnonymous) {
          return refuse(Status.UNAUTHENTICATED, service + " requires credentials: " + credentialsHint());
        }
        caller = Caller.anonymous(CALL);
      }
    }

    // Authorisation.
    if (admin) {
      if (admins.isEmpty()) {
        return refuse(
            Status.PERMISSION_DENIED,
            method + " is an admin method and " + service + " has no admin client: set --admin-clients to"
                + " client names from certificates (--tls-client-ca) or tokens (--client-tokens)");
      }
      if (!caller.authenticated()) {
        return refuse(
            Status.UNAUTHENTICATED, "the admin method " + method + " of " + service + " needs credentials: " + credentialsHint());
      }
      if (!caller.has("admin")) {
        return refuse(
            Status.PERMISSION_DENIED,
            "client " + describe(caller, peer) + " may not call the admin method " + method + " of " + service
                + " (not in --admin-clients)");
      }
      return new Outcome(caller, null);
    }
    if (!caller.authenticated()) {
      if (write && authenticationRequired) {
        return refuse(
            Status.UNAUTHENTICATED, "the write method " + method + " of " + service + " needs credentials: " + credentialsHint());
      }
      return new Outcome(caller, null);
    }
    if (!allowed.isEmpty() && !allowed.contains(caller.name()) && !caller.has("admin")) {
      return refuse(
          Status.PERMISSION_DENIED,
          "client " + describe(caller, peer) + " may not call " + service + " (not in --allowed-clients)");
    }
    return new Outcome(caller, null);
  }

  /** The name a certificate caller is known by: the allowed one, else an admin one, else its first. */
  private String nameOf(PeerIdentity peer) {
    return peer.firstIn(allowed).or(() -> peer.firstIn(admins)).orElse(peer.primary());
  }

  private String credentialsHint() {
    if (tokens != null) {
      return "a bearer token (metadata 'authorization: Bearer <token>')"
          + (mutualTls ? " or a client certificate (mutual TLS)" : "");
    }
    if (mutualTls) {
      return "a client certificate (mutual TLS)";
    }
    return "none can be presented: configure --tls-client-ca or --client-tokens";
  }

  private static String describe(Caller caller, Optional<PeerIdentity> peer) {
    return caller.name()
        + peer.filter(p -> p.names().size() > 1).map(p -> " (certificate names " + p.names() + ")").orElse("");
  }

  /** The token of an {@code authorization} value, or null if it is not {@code Bearer <token>}. */
  private static String bearerToken(String authorization) {
    if (authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).strip();
    return token.isEmpty() ? null : token;
  }

  private static String format(double rate) {
    return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }

  private static Outcome refuse(Status status, String description) {
    return new Outcome(null, status.withDescription(description));
  }

  private record Outcome(Caller caller, Status refusal) {}
}
