package dev.recsuite.cli.internal;

import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.core.bundle.BundleFiles;
import dev.recsuite.core.bundle.BundleRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The user ids a load run sends: read from a bundle's user directory or from a file with one id a
 * line (the file {@code ghz} and {@code h2load} runs use as well), and written back in both forms.
 */
public final class UserIds {

  /** Longest user id the gateway accepts. */
  static final int MAX_ID_LENGTH = 128;

  private UserIds() {}

  /**
   * The users of the newest bundle under {@code bundleRoot}, in directory order.
   *
   * @throws IllegalStateException if the bundle has no users
   * @throws java.io.UncheckedIOException if the bundle cannot be read
   */
  public static List<String> fromBundle(Path bundleRoot) {
    UserDirectory directory =
        new BundleRepository(bundleRoot).openLatest().read(BundleFiles.USERS, UserDirectory.parser());
    List<String> ids = new ArrayList<>(directory.getUsersCount());
    directory.getUsersList().forEach(user -> ids.add(user.getId()));
    if (ids.isEmpty()) {
      throw new IllegalStateException("the newest bundle under " + bundleRoot + " has no users");
    }
    return List.copyOf(ids);
  }

  /**
   * The ids in {@code file}, one a line; blank lines and lines starting with {@code #} are skipped,
   * surrounding spaces trimmed.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file and line if an id is longer than 128
   *     characters or holds a control character, or if the file holds no id
   */
  public static List<String> fromFile(Path file) throws IOException {
    List<String> ids = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int n = 0; n < lines.size(); n++) {
      String id = lines.get(n).strip();
      if (id.isEmpty() || id.startsWith("#")) {
        continue;
      }
      if (id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            file + ":" + (n + 1) + ": user id '" + id.substring(0, Math.min(40, id.length()))
                + "' (expected: 1-" + MAX_ID_LENGTH + " characters, no control characters)");
      }
      ids.add(id);
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException(file + ": no user ids (expected: one id a line)");
    }
    return List.copyOf(ids);
  }

  /** The ids in an order shuffled by {@code seed}: the same seed gives the same order. */
  public static List<String> shuffled(List<String> ids, long seed) {
    List<String> copy = new ArrayList<>(ids);
    Collections.shuffle(copy, new Random(seed));
    return List.copyOf(copy);
  }

  /**
   * Writes {@code ids}: as a ghz data file (a JSON array of {@code RecommendRequest}s with {@code k})
   * when {@code file} ends in {@code .json}, else one id a line.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, List<String> ids, int k) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      Files.writeString(
          file,
          ids.stream()
              .map(id -> "  {\"user_id\": \"" + jsonEscape(id) + "\", \"k\": " + k + "}")
              .collect(Collectors.joining(",\n", "[\n", "\n]\n")));
    } else {
      Files.writeString(file, ids.stream().collect(Collectors.joining("\n", "", "\n")));
    }
  }

  static String jsonEscape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
