package dev.recsuite.it.fuzz;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.recsuite.bundle.v1.BundleFile;
import dev.recsuite.bundle.v1.BundleManifest;
import dev.recsuite.bundle.v1.FactorModel;
import dev.recsuite.bundle.v1.FeatureTables;
import dev.recsuite.bundle.v1.InteractionLog;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.ItemNeighbours;
import dev.recsuite.bundle.v1.RankerModel;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.core.bundle.BundleFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * Seeded corruptions of a copy of a valid bundle directory, of three kinds:
 *
 * <ul>
 *   <li>{@link Kind#RAW}: a listed file truncated, extended, altered or deleted, the manifest left
 *       as it was, so the checksums no longer match: opening must fail;
 *   <li>{@link Kind#MANIFEST}: the manifest itself garbage, truncated, or with absurd sizes, paths,
 *       format versions or missing entries;
 *   <li>{@link Kind#CONSISTENT}: a file's content damaged (cut, bits flipped, a protobuf field set
 *       to a hostile value: huge or negative counts, NaN, vectors of the wrong length, thousands
 *       of elements) and the manifest's size and SHA-256 recomputed, as a buggy or hostile trainer
 *       would publish it: opening succeeds, and the tiers' model loaders must refuse it cleanly.
 * </ul>
 */
final class BundleCorruptor {

  /** How a corruption relates to the manifest's checksums. */
  enum Kind {
    RAW,
    MANIFEST,
    CONSISTENT
  }

  /** What was done to the copy, for the report of a failure. */
  record Corruption(Kind kind, String description) {}

  private static final Map<String, Descriptor> TYPES =
      Map.of(
          BundleFiles.CATALOG, ItemCatalog.getDescriptor(),
          BundleFiles.USERS, UserDirectory.getDescriptor(),
          BundleFiles.INTERACTIONS, InteractionLog.getDescriptor(),
          BundleFiles.HOLDOUT, InteractionLog.getDescriptor(),
          BundleFiles.FEATURES, FeatureTables.getDescriptor(),
          BundleFiles.CF, FactorModel.getDescriptor(),
          BundleFiles.CO_OCCURRENCE, ItemNeighbours.getDescriptor(),
          BundleFiles.RANKER, RankerModel.getDescriptor());

  private final RandomGenerator random;
  private final ProtoFuzzer values;

  BundleCorruptor(RandomGenerator random, List<String> vocabulary) {
    this.random = random;
    this.values = new ProtoFuzzer(random, vocabulary);
  }

  /** Corrupts the bundle in {@code dir} (a copy) in one seeded way. */
  Corruption corrupt(Path dir) throws IOException {
    BundleManifest manifest = readManifest(dir);
    List<BundleFile> files = manifest.getFilesList();
    BundleFile file = files.get(random.nextInt(files.size()));
    Path path = dir.resolve(file.getPath());
    int roll = random.nextInt(100);
    if (roll < 20) {
      return new Corruption(Kind.RAW, damage(path, file.getPath()));
    }
    if (roll < 45) {
      return new Corruption(Kind.MANIFEST, corruptManifest(dir, manifest));
    }
    // Consistent: protobuf files get field-level damage half of the time.
    Descriptor type = TYPES.get(file.getPath());
    String what;
    if (type != null && random.nextBoolean()) {
      what = mutateMessage(path, type, file.getPath());
    } else {
      what = damage(path, file.getPath());
    }
    if (Files.exists(path)) {
      rewriteEntry(dir, manifest, file.getPath(), path);
    } else {
      writeManifest(dir, manifest.toBuilder().clearFiles().addAllFiles(files.stream().filter(f -> !f.equals(file)).toList()).build());
      what += " and dropped from the manifest";
    }
    return new Corruption(Kind.CONSISTENT, what);
  }

  /** Byte-level damage to one file. */
  private String damage(Path path, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    // An empty file can only be damaged by adding to it (or deleting it).
    int roll = bytes.length == 0 ? 2 + 2 * random.nextInt(2) : random.nextInt(5);
    switch (roll) {
      case 0 -> {
        int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        Files.write(path, Arrays.copyOf(bytes, cut));
        return name + " truncated to " + cut + " of " + bytes.length + " bytes";
      }
      case 1 -> {
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips && bytes.length > 0; i++) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        Files.write(path, bytes);
        return name + ": " + flips + " bits flipped";
      }
      case 2 -> {
        byte[] more = new byte[1 + random.nextInt(64)];
        random.nextBytes(more);
        byte[] out = Arrays.copyOf(bytes, bytes.length + more.length);
        System.arraycopy(more, 0, out, bytes.length, more.length);
        Files.write(path, out);
        return name + ": " + more.length + " garbage bytes appended";
      }
      case 3 -> {
        byte[] garbage = new byte[random.nextInt(Math.min(bytes.length, 4_096))];
        random.nextBytes(garbage);
        Files.write(path, garbage);
        return name + " replaced by " + garbage.length + " random bytes";
      }
      default -> {
        Files.delete(path);
        return name + " deleted";
      }
    }
  }

  /** Parses a bundle protobuf, replaces one to three fields with hostile values, writes it back. */
  private String mutateMessage(Path path, Descriptor type, String name) throws IOException {
    DynamicMessage message;
    try {
      message = DynamicMessage.parseFrom(type, Files.readAllBytes(path));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the pristine " + name + " does not parse", e);
    }
    ProtoFuzzer.Input input = values.mutateOnce(message);
    Files.write(path, input.bytes());
    return name + ": " + input.description();
  }

  private String corruptManifest(Path dir, BundleManifest manifest) throws IOException {
    Path file = dir.resolve(BundleFiles.MANIFEST);
    String json = Files.readString(file, StandardCharsets.UTF_8);
    int index = manifest.getFilesCount() == 0 ? 0 : random.nextInt(manifest.getFilesCount());
    BundleFile entry = manifest.getFiles(index);
    switch (random.nextInt(9)) {
      case 0 -> {
        int cut = random.nextInt(json.length());
        Files.writeString(file, json.substring(0, cut), StandardCharsets.UTF_8);
        return "manifest truncated to " + cut + " of " + json.length() + " characters";
      }
      case 1 -> {
        byte[] garbage = new byte[random.nextInt(2_000)];
        random.nextBytes(garbage);
        Files.write(file, garbage);
        return "manifest replaced by " + garbage.length + " random bytes";
      }
      case 2 -> {
        String[] odd = {"", "null", "[]", "{", "{\"files\": 7}", "[".repeat(100_000), "{\"formatVersion\": \"x\"}", "\u0000"};
        String text = odd[random.nextInt(odd.length)];
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return "manifest is '" + shown(text) + "'";
      }
      case 3 -> {
        long[] sizes = {-1, 0, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, entry.getSizeBytes() + 1};
        long size = sizes[random.nextInt(sizes.length)];
        writeManifest(dir, manifest.toBuilder().setFiles(index, entry.toBuilder().setSizeBytes(size)).build());
        return "manifest size of " + entry.getPath() + " set to " + size;
      }
      case 4 -> {
        String[] paths = {
          "../" + entry.getPath(), "/etc/passwd", "", ".", "..", BundleFiles.ITEM_INDEX, "a\u0000b",
          "x".repeat(5_000), entry.getPath() + "/", "item-index/../../outside", "C:\\windows", "\u202e.pb"
        };
        String path = paths[random.nextInt(paths.length)];
        writeManifest(dir, manifest.toBuilder().setFiles(index, entry.toBuilder().setPath(path)).build());
        return "manifest path " + entry.getPath() + " set to '" + shown(path) + "'";
      }
      case 5 -> {
        int[] versions = {0, -1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE};
        int version = versions[random.nextInt(versions.length)];
        writeManifest(dir, manifest.toBuilder().setFormatVersion(version).build());
        return "manifest format_version " + version;
      }
      case 6 -> {
        writeManifest(dir, manifest.toBuilder().removeFiles(index).build());
        return "manifest entry " + entry.getPath() + " removed";
      }
      case 7 -> {
        String[] shas = {"", "00", "z".repeat(64), entry.getSha256().toUpperCase(Locale.ROOT), "0".repeat(100_000)};
        String sha = shas[random.nextInt(shas.length)];
        writeManifest(dir, manifest.toBuilder().setFiles(index, entry.toBuilder().setSha256(sha)).build());
        return "manifest sha256 of " + entry.getPath() + " set to '" + shown(sha) + "'";
      }
      default -> {
        // Many entries: the same file listed ten thousand times.
        BundleManifest.Builder builder = manifest.toBuilder();
        for (int i = 0; i < 10_000; i++) {
          builder.addFiles(entry);
        }
        writeManifest(dir, builder.build());
        return "manifest lists " + entry.getPath() + " 10,001 times";
      }
    }
  }

  /** Records the file's new size and SHA-256 in the manifest, as a trainer would. */
  private static void rewriteEntry(Path dir, BundleManifest manifest, String name, Path path) throws IOException {
    BundleManifest.Builder builder = manifest.toBuilder();
    for (int i = 0; i < builder.getFilesCount(); i++) {
      if (builder.getFiles(i).getPath().equals(name)) {
        builder.setFiles(i, builder.getFiles(i).toBuilder().setSizeBytes(Files.size(path)).setSha256(sha256(path)));
      }
    }
    writeManifest(dir, builder.build());
  }

  static BundleManifest readManifest(Path dir) throws IOException {
    BundleManifest.Builder builder = BundleManifest.newBuilder();
    JsonFormat.parser().merge(Files.readString(dir.resolve(BundleFiles.MANIFEST), StandardCharsets.UTF_8), builder);
    return builder.build();
  }

  static void writeManifest(Path dir, BundleManifest manifest) throws IOException {
    Files.writeString(dir.resolve(BundleFiles.MANIFEST), JsonFormat.printer().print(manifest), StandardCharsets.UTF_8);
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a bundle directory tree. */
  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path source : all.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Copies a bundle as a trainer would have published it under the name of {@code to}. */
  static void publishCopy(Path from, Path to) throws IOException {
    copy(from, to);
    writeManifest(to, readManifest(to).toBuilder().setVersion(to.getFileName().toString()).build());
  }

  private static String shown(String value) {
    String cut = value.length() > 20 ? value.substring(0, 20) + "...(" + value.length() + ")" : value;
    return ProtoFuzzer.printable(cut);
  }
}
