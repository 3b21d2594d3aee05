package dev.recsuite.gateway.internal;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Resolves {@code static:///host:port,host:port} to those addresses, one endpoint each, so that a
 * channel balances over a fixed list of replicas (gRPC has no built-in scheme for several
 * addresses). Host names are resolved once, when the channel starts; use {@code dns:///name:port}
 * for names whose addresses change. Registered through {@code META-INF/services}, like gRPC's own
 * {@code dns} resolver; the gateway turns an option value {@code a:1,b:2} into such a target with
 * {@link ReplicaList#grpcTarget}.
 */
public final class StaticNameResolverProvider extends NameResolverProvider {

  /** The URI scheme: {@code static}. */
  public static final String SCHEME = "static";

  /** Creates the provider; gRPC's service loader calls this. */
  public StaticNameResolverProvider() {}

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    String path = targetUri.getPath();
    String list = path != null && path.startsWith("/") ? path.substring(1) : String.valueOf(path);
    return new StaticNameResolver(list, ReplicaList.parse(list));
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  private static final class StaticNameResolver extends NameResolver {

    private final String list;
    private final List<InetSocketAddress> unresolved;

    StaticNameResolver(String list, List<InetSocketAddress> unresolved) {
      this.list = list;
      this.unresolved = unresolved;
    }

    @Override
    public String getServiceAuthority() {
      InetSocketAddress first = unresolved.getFirst();
      return first.getHostString() + ":" + first.getPort();
    }

    @Override
    public void start(Listener2 listener) {
      List<EquivalentAddressGroup> groups = new ArrayList<>(unresolved.size());
      for (InetSocketAddress address : unresolved) {
        InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
        if (resolved.isUnresolved()) {
          listener.onError(
              Status.UNAVAILABLE.withDescription(
                  "cannot resolve " + address.getHostString() + " of the replica list " + list));
          return;
        }
        groups.add(new EquivalentAddressGroup(resolved));
      }
      listener.onResult(
          ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(List.copyOf(groups))).build());
    }

    @Override
    public void shutdown() {}
  }
}
