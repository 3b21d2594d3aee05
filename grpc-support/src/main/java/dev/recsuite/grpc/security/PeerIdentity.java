package dev.recsuite.grpc.security;

import io.grpc.Attributes;
import io.grpc.Grpc;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The names a TLS client proved it owns: from its (verified) leaf certificate, the URI subject
 * alternative names (e.g. SPIFFE ids), then the DNS ones, then the subject's common name. A client
 * is accepted under an identity when any of these names matches it exactly.
 *
 * @param names the names, in that order, without duplicates; never empty
 */
public record PeerIdentity(List<String> names) {

  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  /**
   * @throws IllegalArgumentException if {@code names} is empty
   */
  public PeerIdentity {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("names: empty (expected: at least one name)");
    }
  }

  /**
   * The identity of the peer of a call, from its transport attributes ({@code
   * ServerCall.getAttributes()}); empty for plaintext, for TLS without a client certificate, and
   * for a certificate that carries no usable name.
   */
  public static Optional<PeerIdentity> of(Attributes transport) {
    SSLSession session = transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return of(leaf);
  }

  /** The identity named by a certificate; empty if it has no URI or DNS name and no common name. */
  public static Optional<PeerIdentity> of(X509Certificate certificate) {
    Set<String> names = new LinkedHashSet<>();
    names.addAll(alternativeNames(certificate, SAN_URI));
    names.addAll(alternativeNames(certificate, SAN_DNS));
    commonName(certificate).ifPresent(names::add);
    names.removeIf(String::isBlank);
    return names.isEmpty() ? Optional.empty() : Optional.of(new PeerIdentity(new ArrayList<>(names)));
  }

  /** The first name: the one logs and metrics use when no allow-list picked another. */
  public String primary() {
    return names.getFirst();
  }

  /** The first of {@code accepted} this identity carries, if any. */
  public Optional<String> firstIn(Set<String> accepted) {
    return names.stream().filter(accepted::contains).findFirst();
  }

  private static List<String> alternativeNames(X509Certificate certificate, int type) {
    Collection<List<?>> entries;
    try {
      entries = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    if (entries == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (List<?> entry : entries) {
      if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type && entry.get(1) instanceof String name) {
        names.add(name);
      }
    }
    return names;
  }

  private static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
      // The most specific CN is the last RDN in LDAP order.
      for (Rdn rdn : subject.getRdns().reversed()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
