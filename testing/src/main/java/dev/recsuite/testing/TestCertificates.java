package dev.recsuite.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests: makes a CA and certificates it signs at test time
 * (EC P-256), written as PEM files the services read ({@code --tls-cert}, {@code --tls-key} in
 * PKCS #8, {@code --tls-client-ca}). No certificate or key is ever checked in.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.create(tempDir, "recsuite-test-ca");
 * TestCertificates.Issued server = ca.issue("recall", "localhost");   // SANs: localhost, 127.0.0.1
 * TestCertificates.Issued gateway = ca.issue("gateway");
 * ... "--tls-cert", server.certificate(), "--tls-key", server.privateKey(), "--tls-client-ca", ca.caFile()
 * }</pre>
 *
 * <p>Every issued certificate is valid for both TLS server and client authentication, has the
 * common name given and the DNS names given plus the IP address 127.0.0.1 as subject alternative
 * names, and is valid from an hour ago for a day.
 */
public final class TestCertificates {

  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final Path directory;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final Path caFile;
  private final AtomicLong serial = new AtomicLong(2);

  private TestCertificates(Path directory, String name, KeyPair caKeys, X509Certificate caCertificate, Path caFile) {
    this.directory = directory;
    this.name = name;
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
    this.caFile = caFile;
  }

  /**
   * Makes a CA named {@code name} and writes its certificate to {@code <directory>/<name>-ca.pem}.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static TestCertificates create(Path directory, String name) {
    Objects.requireNonNull(directory, "directory");
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    X500Name subject = name(name);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject, BigInteger.ONE, Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    X509Certificate certificate = sign(builder, keys.getPrivate());
    Path file = directory.resolve(name + "-ca.pem");
    write(file, pem("CERTIFICATE", encoded(certificate)));
    return new TestCertificates(directory, name, keys, certificate, file);
  }

  /** The CA's certificate (PEM): what {@code --tls-client-ca} and {@code --downstream-tls-ca} take. */
  public Path caFile() {
    return caFile;
  }

  /** The CA's certificate. */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /**
   * Issues a certificate for {@code commonName} with {@code dnsNames} (and 127.0.0.1) as subject
   * alternative names, and writes it and its key to {@code <directory>/<ca>-<commonName>-<n>.pem}
   * and {@code ...-key.pem}.
   *
   * @throws UncheckedIOException if the files cannot be written
   */
  public Issued issue(String commonName, String... dnsNames) {
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    long number = serial.getAndIncrement();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            caCertificate, BigInteger.valueOf(number), Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)),
            new javax.security.auth.x500.X500Principal(name(commonName).toString()), keys.getPublic());
    List<GeneralName> names = new ArrayList<>();
    for (String dns : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()));
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    X509Certificate certificate = sign(builder, caKeys.getPrivate());
    String base = name + "-" + commonName.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + number;
    Path certificateFile = directory.resolve(base + ".pem");
    Path keyFile = directory.resolve(base + "-key.pem");
    write(certificateFile, pem("CERTIFICATE", encoded(certificate)));
    write(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    return new Issued(commonName, certificateFile, keyFile, certificate, keys.getPrivate());
  }

  /**
   * A certificate and its key, as files and objects.
   *
   * @param commonName the subject's common name
   * @param certificate the certificate file (PEM)
   * @param privateKey the key file (PEM, PKCS #8)
   * @param x509 the certificate
   * @param key the key
   */
  public record Issued(String commonName, Path certificate, Path privateKey, X509Certificate x509, PrivateKey key) {}

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "recsuite tests").addRDN(BCStyle.CN, commonName).build();
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
