package dev.recsuite.grpc.security;

import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.internal.ReloadSchedule;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS credentials read from PEM files that follow changes of those files: a renewed certificate or
 * CA bundle (cert-manager rotating a mounted Secret) is used for new connections without a
 * restart. Connections already open keep the certificates they were established with.
 *
 * <p>The files are read and checked when the credentials are created (a missing file, a key that
 * is not PKCS #8, a key that does not match its certificate fail at once, naming the file); then,
 * once {@linkplain #start() started}, every reload interval on a named daemon thread. A change is
 * applied only when the new files are valid together; otherwise the old ones stay in use and the
 * problem is logged at WARN.
 *
 * <pre>{@code
 * ReloadingCredentials tls = ReloadingCredentials.forServer("recall-service", settings);
 * NettyServerBuilder.forAddress(address, tls.serverCredentials());
 * tls.start(); // watches the files; stop() ends that
 * }</pre>
 */
public final class ReloadingCredentials implements Managed {

  private static final Logger log = LoggerFactory.getLogger(ReloadingCredentials.class);

  private final String name;
  private final Optional<Path> certificateChain;
  private final Optional<Path> privateKey;
  private final Optional<Path> trusted;
  private final AdvancedTlsX509KeyManager keyManager;
  private final AdvancedTlsX509TrustManager trustManager;
  private final Object lock = new Object();
  private byte[][] loaded;
  private final ReloadSchedule schedule;

  private ReloadingCredentials(
      String name,
      Optional<Path> certificateChain,
      Optional<Path> privateKey,
      Optional<Path> trusted,
      Verification verification,
      Duration reloadInterval) {
    this.name = Objects.requireNonNull(name, "name");
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
    this.trusted = trusted;
    this.schedule = new ReloadSchedule(name + "-tls-reload", reloadInterval, this::reload);
    this.keyManager = certificateChain.isPresent() ? new AdvancedTlsX509KeyManager() : null;
    try {
      this.trustManager =
          trusted.isPresent()
              ? AdvancedTlsX509TrustManager.newBuilder().setVerification(verification).build()
              : null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS trust manager: " + e.getMessage(), e);
    }
    byte[][] contents = read();
    apply(contents);
    this.loaded = contents;
  }

  /**
   * The credentials of a server: its certificate and key, and for mutual TLS the client CA.
   *
   * @param name the server's name, for logs and the reload thread
   * @throws IllegalArgumentException naming the file that is missing, unreadable or invalid, or a
   *     key that does not match the certificate
   */
  public static ReloadingCredentials forServer(String name, TlsSettings settings) {
    return new ReloadingCredentials(
        name,
        Optional.of(settings.certificateChain()),
        Optional.of(settings.privateKey()),
        settings.clientCa(),
        Verification.CERTIFICATE_ONLY_VERIFICATION,
        settings.reloadInterval());
  }

  /**
   * The credentials of a client: the CA its servers' certificates must chain to (and their host
   * names match), and for mutual TLS its own certificate and key.
   *
   * @param name the client's name, for logs and the reload thread
   * @throws IllegalArgumentException naming the file that is missing, unreadable or invalid, or a
   *     key that does not match the certificate
   */
  public static ReloadingCredentials forClient(String name, ClientTlsSettings settings) {
    return new ReloadingCredentials(
        name,
        settings.certificateChain(),
        settings.privateKey(),
        Optional.of(settings.trustedCa()),
        Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION,
        settings.reloadInterval());
  }

  /**
   * Server credentials: TLS with this certificate; with a client CA, client certificates are
   * required ({@code REQUIRE}) and verified against it.
   *
   * @throws IllegalStateException if these are client credentials (no certificate)
   */
  public ServerCredentials serverCredentials() {
    if (keyManager == null) {
      throw new IllegalStateException(name + ": server credentials need a certificate and key");
    }
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keyManager);
    if (trustManager != null) {
      builder.trustManager(trustManager).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return builder.build();
  }

  /**
   * Channel credentials: TLS verifying the server against the trusted CA, presenting the client
   * certificate when there is one.
   *
   * @throws IllegalStateException if these are server credentials without a CA
   */
  public ChannelCredentials channelCredentials() {
    if (trustManager == null) {
      throw new IllegalStateException(name + ": channel credentials need a trusted CA");
    }
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder().trustManager(trustManager);
    if (keyManager != null) {
      builder.keyManager(keyManager);
    }
    return builder.build();
  }

  /**
   * Reads the files again and uses them if they changed and are valid together.
   *
   * @return whether new credentials are now in use
   */
  public boolean reload() {
    synchronized (lock) {
      byte[][] contents;
      try {
        contents = read();
        if (Arrays.deepEquals(contents, loaded)) {
          return false;
        }
        apply(contents);
      } catch (IllegalArgumentException e) {
        log.warn("{}: keeping the current TLS credentials: {}", name, e.getMessage());
        return false;
      }
      loaded = contents;
    }
    log.info("{}: reloaded TLS credentials from {}", name, files());
    return true;
  }

  /** Starts checking every reload interval (nothing when it is zero). */
  @Override
  public void start() {
    schedule.start();
  }

  /** Stops checking. */
  @Override
  public void stop() {
    schedule.stop();
  }


  /** The files' bytes: certificate chain, key, trusted CA (absent ones empty). */
  private byte[][] read() {
    return new byte[][] {
      readOptional("tls certificate", certificateChain),
      readOptional("tls key", privateKey),
      readOptional("tls CA", trusted)
    };
  }

  private static byte[] readOptional(String what, Optional<Path> file) {
    if (file.isEmpty()) {
      return new byte[0];
    }
    try {
      return Files.readAllBytes(file.get());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + " " + file.get() + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " " + file.get() + ": cannot read: " + e.getMessage(), e);
    }
  }

  private void apply(byte[][] contents) {
    if (keyManager != null) {
      X509Certificate[] chain = certificates("tls certificate", certificateChain.orElseThrow(), contents[0]);
      PrivateKey key = privateKey(privateKey.orElseThrow(), contents[1]);
      requireMatching(chain[0], key);
      keyManager.updateIdentityCredentials(chain, key);
    }
    if (trustManager != null) {
      X509Certificate[] authorities = certificates("tls CA", trusted.orElseThrow(), contents[2]);
      try {
        trustManager.updateTrustCredentials(authorities);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("tls CA " + trusted.get() + ": " + e.getMessage(), e);
      }
    }
  }

  private static X509Certificate[] certificates(String what, Path file, byte[] pem) {
    X509Certificate[] certificates;
    try {
      certificates = CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(what + " " + file + ": not PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.length == 0) {
      throw new IllegalArgumentException(what + " " + file + ": no certificate (expected: PEM, BEGIN CERTIFICATE)");
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file, byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
      String found = text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")
          ? " (found a PKCS #1/SEC 1 key: convert it with openssl pkcs8 -topk8 -nocrypt, or set cert-manager's privateKey.encoding: PKCS8)"
          : "";
      throw new IllegalArgumentException(
          "tls key " + file + ": not a PKCS #8 PEM private key (expected: BEGIN PRIVATE KEY)" + found);
    }
    try {
      return CertificateUtils.getPrivateKey(new ByteArrayInputStream(pem));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("tls key " + file + ": not an RSA or EC PKCS #8 key: " + e.getMessage(), e);
    }
  }

  /** A key that does not belong to the certificate would fail every handshake: refuse it now. */
  private void requireMatching(X509Certificate certificate, PrivateKey key) {
    PublicKey publicKey = certificate.getPublicKey();
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      throw new IllegalArgumentException(
          "tls key " + privateKey.orElseThrow() + ": a " + key.getAlgorithm() + " key for a "
              + publicKey.getAlgorithm() + " certificate " + certificateChain.orElseThrow());
    }
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = name.getBytes(StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException(
            "tls key " + privateKey.orElseThrow() + " does not match the certificate " + certificateChain.orElseThrow());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tls key " + privateKey.orElseThrow() + " does not match the certificate " + certificateChain.orElseThrow()
              + ": " + e.getMessage(), e);
    }
  }

  private String files() {
    StringBuilder out = new StringBuilder();
    certificateChain.ifPresent(p -> out.append(p));
    privateKey.ifPresent(p -> out.append(out.isEmpty() ? "" : ", ").append(p));
    trusted.ifPresent(p -> out.append(out.isEmpty() ? "" : ", ").append(p));
    return out.toString();
  }

  @Override
  public String toString() {
    return "ReloadingCredentials[" + name + ": " + files() + "]";
  }
}
