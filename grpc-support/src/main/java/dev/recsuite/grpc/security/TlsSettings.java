package dev.recsuite.grpc.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's TLS: its certificate chain and private key (PEM; the key PKCS #8, RSA or EC), and,
 * for mutual TLS, the CA bundle that client certificates must chain to. The files are read again
 * every {@code reloadInterval} and the new ones used for new connections when they changed, so a
 * renewed certificate (cert-manager rotating a Secret) needs no restart.
 *
 * @param certificateChain the server's certificate, then its intermediates (PEM)
 * @param privateKey the server's private key (PEM, PKCS #8: {@code BEGIN PRIVATE KEY})
 * @param clientCa when present, client certificates are required and must chain to one of these
 *     CA certificates (PEM): mutual TLS
 * @param reloadInterval how often the files are checked for changes; {@link Duration#ZERO} = never
 */
public record TlsSettings(
    Path certificateChain, Path privateKey, Optional<Path> clientCa, Duration reloadInterval) {

  /** The default reload interval: 1 minute. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

  /**
   * @throws NullPointerException if a value is null
   * @throws IllegalArgumentException if {@code reloadInterval} is negative
   */
  public TlsSettings {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (reloadInterval.isNegative()) {
      throw new IllegalArgumentException(
          "tls-reload-interval: " + reloadInterval + " (expected: >= 0, 0 = never)");
    }
  }

  /** Server-side TLS only (clients are not asked for certificates). */
  public static TlsSettings of(Path certificateChain, Path privateKey) {
    return new TlsSettings(certificateChain, privateKey, Optional.empty(), DEFAULT_RELOAD_INTERVAL);
  }

  /** Mutual TLS: clients must present a certificate that chains to {@code clientCa}. */
  public static TlsSettings mutual(Path certificateChain, Path privateKey, Path clientCa) {
    return new TlsSettings(
        certificateChain, privateKey, Optional.of(clientCa), DEFAULT_RELOAD_INTERVAL);
  }

  /** Whether clients must present a certificate. */
  public boolean mutual() {
    return clientCa.isPresent();
  }

  /** A copy checking the files every {@code interval}; zero = never. */
  public TlsSettings withReloadInterval(Duration interval) {
    return new TlsSettings(certificateChain, privateKey, clientCa, interval);
  }
}
