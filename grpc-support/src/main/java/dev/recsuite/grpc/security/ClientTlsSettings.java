package dev.recsuite.grpc.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's TLS towards a server: the CA bundle the server's certificate must chain to (its host
 * name is checked too), and, for mutual TLS, the client's own certificate chain and private key.
 * The files are checked for changes every {@code reloadInterval}.
 *
 * @param trustedCa the CA certificates (PEM) the server's certificate must chain to
 * @param certificateChain the client's certificate chain (PEM), for mutual TLS
 * @param privateKey the client's private key (PEM, PKCS #8), for mutual TLS
 * @param reloadInterval how often the files are checked for changes; {@link Duration#ZERO} = never
 */
public record ClientTlsSettings(
    Path trustedCa, Optional<Path> certificateChain, Optional<Path> privateKey, Duration reloadInterval) {

  /**
   * @throws IllegalArgumentException if only one of the certificate chain and the key is given, or
   *     the interval is negative
   * @throws NullPointerException if a value is null
   */
  public ClientTlsSettings {
    Objects.requireNonNull(trustedCa, "trustedCa");
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (certificateChain.isPresent() != privateKey.isPresent()) {
      throw new IllegalArgumentException(
          "client certificate and key: "
              + (certificateChain.isPresent() ? "a certificate without a key" : "a key without a certificate")
              + " (expected: both, for mutual TLS, or neither)");
    }
    if (reloadInterval.isNegative()) {
      throw new IllegalArgumentException(
          "tls-reload-interval: " + reloadInterval + " (expected: >= 0, 0 = never)");
    }
  }

  /** TLS that verifies the server against {@code trustedCa}, without a client certificate. */
  public static ClientTlsSettings trusting(Path trustedCa) {
    return new ClientTlsSettings(
        trustedCa, Optional.empty(), Optional.empty(), TlsSettings.DEFAULT_RELOAD_INTERVAL);
  }

  /** Mutual TLS: verifies the server against {@code trustedCa} and presents this certificate. */
  public static ClientTlsSettings mutual(Path trustedCa, Path certificateChain, Path privateKey) {
    return new ClientTlsSettings(
        trustedCa, Optional.of(certificateChain), Optional.of(privateKey), TlsSettings.DEFAULT_RELOAD_INTERVAL);
  }

  /** Whether the client presents a certificate. */
  public boolean mutual() {
    return certificateChain.isPresent();
  }
}
