package dev.recsuite.grpc.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The bearer tokens a server accepts, as read from a {@code --client-tokens} file: which client
 * name each token belongs to. The file holds SHA-256 hashes of the tokens, never the tokens
 * themselves, so reading it (or a leaked copy of the Kubernetes Secret) does not let anyone call.
 *
 * <p>File format: UTF-8 text, one token per line, {@code <client-name> sha256:<64 hex digits>};
 * blank lines and lines starting with {@code #} are ignored. A client may have several lines (a
 * new token and the one it replaces, during a rotation). Client names are 1 to 128 characters of
 * letters, digits and {@code . _ - @ : /}, starting with a letter or digit; {@value
 * Caller#ANONYMOUS} is reserved.
 *
 * <pre>
 * # recsuite client tokens: printf %s "$TOKEN" | sha256sum
 * web-frontend sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
 * batch-eval   sha256:fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9
 * </pre>
 *
 * <p>{@link #authenticate} hashes the presented token and compares it with every entry in
 * constant time (no early exit), so response times do not reveal how much of a hash matched.
 * Immutable and thread-safe.
 */
public final class ClientTokens {

  /** The prefix of a hash in the file. */
  public static final String SHA256_PREFIX = "sha256:";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:/-]{0,127}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String EXPECTED =
      "expected: '<client-name> sha256:<64 hex digits>', the SHA-256 hash of the token, never the"
          + " token itself";

  private final Path source;
  private final List<byte[]> hashes;
  private final List<String> names;

  private ClientTokens(Path source, List<byte[]> hashes, List<String> names) {
    this.source = source;
    this.hashes = List.copyOf(hashes);
    this.names = List.copyOf(names);
  }

  /**
   * Reads and parses a token file.
   *
   * @throws IllegalArgumentException naming the file, and the line when one is malformed: a line
   *     that is not {@code <name> sha256:<hex>}, a bad or reserved name, a hash given twice, or a
   *     file without any token
   */
  public static ClientTokens read(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("client-tokens " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("client-tokens " + file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(file, new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Parses the text of a token file.
   *
   * @param source the file, for messages
   * @throws IllegalArgumentException as {@link #read}
   */
  public static ClientTokens parse(Path source, String text) {
    Objects.requireNonNull(source, "source");
    List<byte[]> hashes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Map<String, Integer> lineOfHash = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "client-tokens " + source + " line " + lineNumber + ": ";
      String[] fields = line.split("\\s+");
      // The second field is never echoed: it may be a token pasted by mistake.
      if (fields.length != 2) {
        throw new IllegalArgumentException(where + fields.length + " fields (" + EXPECTED + ")");
      }
      String name = fields[0];
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            where + "client name \"" + printable(name) + "\" (expected: 1 to 128 letters, digits, . _ - @ : /)");
      }
      if (name.equals(Caller.ANONYMOUS)) {
        throw new IllegalArgumentException(
            where + "client name \"" + Caller.ANONYMOUS + "\" is reserved for callers without credentials");
      }
      String hash = fields[1];
      if (!hash.startsWith(SHA256_PREFIX) || !HEX.matcher(hash.substring(SHA256_PREFIX.length())).matches()) {
        throw new IllegalArgumentException(where + "not a SHA-256 hash for client " + name + " (" + EXPECTED + ")");
      }
      String hex = hash.substring(SHA256_PREFIX.length()).toLowerCase(java.util.Locale.ROOT);
      Integer earlier = lineOfHash.putIfAbsent(hex, lineNumber);
      if (earlier != null) {
        throw new IllegalArgumentException(
            where + "the same hash as line " + earlier + " (expected: one token per line, each token unique)");
      }
      hashes.add(HexFormat.of().parseHex(hex));
      names.add(name);
    }
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException(
          "client-tokens " + source + ": no token (" + EXPECTED + ")");
    }
    return new ClientTokens(source, hashes, names);
  }

  /**
   * The client a bearer token belongs to, empty if none. Compares the token's hash with every
   * entry in constant time.
   */
  public Optional<String> authenticate(String token) {
    byte[] presented = sha256(token);
    String match = null;
    for (int i = 0; i < hashes.size(); i++) {
      // No early exit: every entry is compared whatever matched before.
      if (MessageDigest.isEqual(presented, hashes.get(i))) {
        match = names.get(i);
      }
    }
    return Optional.ofNullable(match);
  }

  /** The client names that have a token, sorted. */
  public Set<String> clients() {
    return new TreeSet<>(names);
  }

  /** How many tokens the file holds. */
  public int size() {
    return hashes.size();
  }

  /** The file these tokens were read from. */
  public Path source() {
    return source;
  }

  /**
   * The line of a token file for {@code client} and {@code token}: {@code <client>
   * sha256:<hex>}. For tools and tests; production tokens are hashed with {@code sha256sum}.
   */
  public static String line(String client, String token) {
    return client + " " + SHA256_PREFIX + HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public String toString() {
    return "ClientTokens[" + source + ": " + hashes.size() + " tokens for " + clients() + "]";
  }
}
