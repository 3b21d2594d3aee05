package dev.recsuite.grpc.security;

import dev.recsuite.grpc.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The server TLS options, as a picocli mixin (part of {@code ServerOptions}, so every service has
 * them): {@code --tls-cert}, {@code --tls-key}, {@code --tls-client-ca} (mutual TLS) and {@code
 * --tls-reload-interval}. Without {@code --tls-cert} the server speaks plaintext: the
 * local-development default, never for a shared network.
 */
public final class TlsOptions {

  @Option(
      names = "--tls-cert",
      paramLabel = "<file>",
      description =
          "Serve TLS with this certificate chain (PEM); needs --tls-key. Unset = plaintext, for"
              + " local development only.")
  private Path certificate;

  @Option(
      names = "--tls-key",
      paramLabel = "<file>",
      description = "Private key of --tls-cert (PEM, PKCS #8: BEGIN PRIVATE KEY).")
  private Path key;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "<file>",
      description =
          "Require client certificates signed by these CAs (PEM): mutual TLS. Callers are then known by"
              + " their certificate's names (see --allowed-clients).")
  private Path clientCa;

  @Option(
      names = "--tls-reload-interval",
      paramLabel = "<duration>",
      defaultValue = "1m",
      converter = DurationConverter.class,
      description =
          "How often the TLS files are checked for changes; changed ones are used for new connections"
              + " (certificate rotation without restart). 0 = never.")
  private Duration reloadInterval = TlsSettings.DEFAULT_RELOAD_INTERVAL;

  /**
   * The server's TLS, empty for plaintext.
   *
   * @throws IllegalArgumentException if {@code --tls-cert} and {@code --tls-key} are not given
   *     together, or {@code --tls-client-ca} is given without them
   */
  public Optional<TlsSettings> toSettings() {
    if (certificate == null && key == null) {
      if (clientCa != null) {
        throw new IllegalArgumentException(
            "tls-client-ca: " + clientCa + " without --tls-cert and --tls-key (expected: all three for mutual TLS)");
      }
      return Optional.empty();
    }
    if (certificate == null) {
      throw new IllegalArgumentException("tls-key: " + key + " without --tls-cert (expected: both)");
    }
    if (key == null) {
      throw new IllegalArgumentException("tls-cert: " + certificate + " without --tls-key (expected: both)");
    }
    return Optional.of(new TlsSettings(certificate, key, Optional.ofNullable(clientCa), reloadInterval));
  }
}
