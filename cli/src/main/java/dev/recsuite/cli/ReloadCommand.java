package dev.recsuite.cli;

import dev.recsuite.admin.v1.AdminServiceGrpc;
import dev.recsuite.admin.v1.ReloadBundlesRequest;
import dev.recsuite.admin.v1.ReloadBundlesResponse;
import dev.recsuite.grpc.DurationConverter;
import dev.recsuite.grpc.security.ClientTlsSettings;
import dev.recsuite.grpc.security.ReloadingCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recsuite reload}: asks tiers (recall, feature, ranking services) to load the newest bundle
 * of their bundle directory now instead of at their next poll ({@code AdminService/ReloadBundles}),
 * and prints what each serves afterwards. An admin method: the caller must be in the tier's {@code
 * --admin-clients}, known by its client certificate or bearer token.
 */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Make tiers load the newest bundle now (AdminService/ReloadBundles) and print what they serve.",
      "Needs an admin identity: a client certificate (--tls-cert, --tls-key) or a bearer token"
          + " (--token-file) named in each tier's --admin-clients."
    })
public final class ReloadCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      required = true,
      split = ",",
      description = "Tier addresses (host:port), comma-separated: recall, feature and ranking services.")
  List<String> targets;

  @Option(
      names = "--token-file",
      description = "File whose first line is the bearer token of an admin client (never on the command line).")
  Path tokenFile;

  @Option(names = "--tls-ca", description = "CA certificates (PEM) the tiers' certificates must chain to; plaintext without.")
  Path tlsCa;

  @Option(names = "--tls-cert", description = "Client certificate chain (PEM) for mutual TLS, with --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "Client private key (PEM, PKCS #8) for mutual TLS, with --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--authority",
      description = "Host name the tiers' certificates must carry, when it differs from the target's.")
  String authority;

  @Option(
      names = "--deadline",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Time allowed per tier (loading a bundle reads and checks its files).")
  Duration deadline;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ChannelCredentials credentials;
    String token;
    try {
      credentials = credentials();
      token = tokenFile == null ? null : token(tokenFile);
    } catch (IllegalArgumentException e) {
      err.println("reload: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("reload: --token-file " + tokenFile + ": cannot read: " + e);
      return 2;
    }
    if (token != null && tlsCa == null) {
      err.println("reload: warning: sending the bearer token over plaintext (set --tls-ca)");
    }
    int failures = 0;
    for (String target : targets) {
      failures += reload(target, credentials, token, out, err) ? 0 : 1;
    }
    out.flush();
    err.flush();
    return failures == 0 ? 0 : 1;
  }

  /** Reloads one tier and prints its answer; false when the call failed or a version did not load. */
  private boolean reload(String target, ChannelCredentials credentials, String token, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    ManagedChannel channel;
    try {
      ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials);
      if (authority != null) {
        builder.overrideAuthority(authority);
      }
      channel = builder.build();
    } catch (IllegalArgumentException e) {
      err.printf("%s: not a valid address (expected: host:port): %s%n", target, e.getMessage());
      return false;
    }
    try {
      AdminServiceGrpc.AdminServiceBlockingStub stub =
          AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
      if (token != null) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      }
      ReloadBundlesResponse response = stub.reloadBundles(ReloadBundlesRequest.getDefaultInstance());
      out.printf(
          "%s: serving %s%s (loaded: %s)%n",
          target,
          response.getNewestVersion(),
          response.getLoadedNewVersion() ? ", loaded now" : ", already served",
          String.join(", ", response.getVersionsList()));
      if (!response.getFailedVersion().isEmpty()) {
        err.printf(
            "%s: could not load %s: %s%n", target, response.getFailedVersion(), response.getFailureMessage());
        return false;
      }
      return true;
    } catch (StatusRuntimeException e) {
      err.printf("%s: %s%n", target, explain(e.getStatus()));
      return false;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Plaintext without {@code --tls-ca}; otherwise TLS read and checked as the gateway reads its own
   * (each file named when missing or invalid, a key that does not match its certificate refused).
   */
  private ChannelCredentials credentials() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together (mutual TLS)");
    }
    if (tlsCa == null) {
      if (tlsCert != null) {
        throw new IllegalArgumentException("--tls-cert needs --tls-ca (the CA the tiers' certificates chain to)");
      }
      return InsecureChannelCredentials.create();
    }
    ClientTlsSettings tls =
        new ClientTlsSettings(tlsCa, Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey), Duration.ZERO);
    return ReloadingCredentials.forClient("reload", tls).channelCredentials();
  }

  private static String token(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String token = lines.isEmpty() ? "" : lines.getFirst().strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("--token-file " + file + ": empty (expected: the token on its first line)");
    }
    return token;
  }

  /** The status, with what an operator should check for the common refusals. */
  private static String explain(Status status) {
    String detail = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    return switch (status.getCode()) {
      case UNAUTHENTICATED -> detail + " (pass an admin client's --token-file or --tls-cert and --tls-key)";
      case PERMISSION_DENIED -> detail + " (this identity is not in the tier's --admin-clients)";
      case UNAVAILABLE -> detail + " (is the tier up at this address, and TLS set as it expects?)";
      case DEADLINE_EXCEEDED -> detail + " (the tier did not answer within --deadline)";
      default -> detail;
    };
  }
}
