package dev.recsuite.gateway.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * A static list of replicas, {@code host:port,host:port}, as the gateway's {@code --*-target}
 * options accept it, and its form as a gRPC target for {@link StaticNameResolverProvider}: {@code
 * static:///host:port,host:port}.
 */
public final class ReplicaList {

  private ReplicaList() {}

  /** Whether {@code target} is a list of replicas rather than one gRPC target. */
  public static boolean isList(String target) {
    return target.indexOf(',') >= 0;
  }

  /**
   * Returns the gRPC target of an option value: a replica list becomes a {@code static:} target,
   * anything else (host:port, dns:///name:port) is used as it is.
   *
   * @throws IllegalArgumentException if a replica list holds a bad address
   */
  public static String grpcTarget(String target) {
    if (!isList(target)) {
      return target;
    }
    parse(target);
    try {
      return new URI(StaticNameResolverProvider.SCHEME, "", "/" + target.replace(" ", ""), null)
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"" + target + "\" (expected: host:port,host:port)", e);
    }
  }

  /**
   * Parses {@code host:port,host:port} (IPv6 hosts in brackets) into unresolved addresses.
   *
   * @throws IllegalArgumentException naming the bad address, e.g. {@code "\"a:1,b\" (expected:
   *     host:port,host:port with ports 1..65535; bad: \"b\")"}
   */
  public static List<InetSocketAddress> parse(String list) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      InetSocketAddress address = parseOne(part.strip());
      if (address == null) {
        throw new IllegalArgumentException(
            "\"" + list + "\" (expected: host:port,host:port with ports 1..65535; bad: \"" + part.strip() + "\")");
      }
      addresses.add(address);
    }
    return List.copyOf(addresses);
  }

  private static InetSocketAddress parseOne(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      return null;
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      return null; // IPv6 without brackets: the port is ambiguous
    }
    if (host.isEmpty()) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (port < 1 || port > 65_535) {
      return null;
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
