package dev.recsuite.grpc.internal;

import dev.recsuite.grpc.security.Caller;
import dev.recsuite.grpc.security.PeerIdentity;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.Optional;
import java.util.Set;

/**
 * Admits a call by the identity of its client certificate (mutual TLS): any identity when {@code
 * allowed} is empty, else one of {@code allowed}; an admin method only from one of {@code admins}.
 * Refusals are {@code UNAUTHENTICATED} (no certificate identity: cannot happen when the transport
 * requires client certificates, kept as a guard) or {@code PERMISSION_DENIED} naming the identity
 * and the method. The admitted {@link Caller} (roles {@code call}, plus {@code admin} for admins)
 * is put in the call's context and on its span as {@code recsuite.client}.
 */
public final class ClientAccessInterceptor implements ServerInterceptor {

  /** The span attribute with the caller's name. */
  public static final AttributeKey<String> CLIENT = AttributeKey.stringKey("recsuite.client");

  private final String service;
  private final Set<String> allowed;
  private final Set<String> admins;
  private final Set<String> adminMethods;

  /**
   * @param service the server's name, for messages
   * @param allowed identities that may call; empty = any verified certificate
   * @param admins identities that may call admin methods
   * @param adminMethods full method names of the admin methods
   */
  public ClientAccessInterceptor(
      String service, Set<String> allowed, Set<String> admins, Set<String> adminMethods) {
    this.service = service;
    this.allowed = Set.copyOf(allowed);
    this.admins = Set.copyOf(admins);
    this.adminMethods = Set.copyOf(adminMethods);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Optional<PeerIdentity> identity = PeerIdentity.of(call.getAttributes());
    if (identity.isEmpty()) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(
          service + " requires a client certificate (mutual TLS)"));
    }
    PeerIdentity peer = identity.get();
    boolean admin = peer.firstIn(admins).isPresent();
    Optional<String> name = allowed.isEmpty() ? Optional.of(peer.primary()) : peer.firstIn(allowed);
    if (admin && name.isEmpty()) {
      name = peer.firstIn(admins);
    }
    if (name.isEmpty()) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription(
          "client " + peer.names() + " may not call " + service));
    }
    if (adminMethods.contains(method) && !admin) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription(
          "client " + name.get() + " may not call the admin method " + method + " of " + service));
    }
    Caller caller =
        new Caller(name.get(), Caller.Via.CERTIFICATE, admin ? Set.of("call", "admin") : Set.of("call"));
    Span span = Span.current();
    if (span.isRecording()) {
      span.setAttribute(CLIENT, caller.name());
    }
    return Contexts.interceptCall(Context.current().withValue(Caller.CONTEXT_KEY, caller), call, headers, next);
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
