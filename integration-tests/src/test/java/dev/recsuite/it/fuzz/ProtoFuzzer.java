package dev.recsuite.it.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A seeded generator and mutator of protobuf request bytes, driven by the message descriptor, so
 * one implementation covers every RPC. Each {@link #next} draws one of these shapes:
 *
 * <ul>
 *   <li>a valid seed request with one to four fields replaced by hostile values (empty, huge,
 *       control characters, unicode, ids of exactly 128 and 129 characters, negative and extreme
 *       numbers, NaN and infinities, unknown enum numbers, repeated fields with thousands of
 *       elements, nested messages cleared or generated);
 *   <li>a message generated from scratch over the descriptor;
 *   <li>either of those followed by unknown fields of every wire type;
 *   <li>bytes that are not a valid message: the seed truncated, with bytes flipped, random garbage,
 *       a string field holding invalid UTF-8, a length prefix past the end.
 * </ul>
 *
 * <p>The values come from {@code vocabulary} (ids the bundle knows, so that mutated requests also
 * reach the code behind the validation) as often as from the hostile families above. Everything
 * depends only on the {@link RandomGenerator} given, so a seed reproduces a run.
 */
final class ProtoFuzzer {

  /** What a drawn input looks like; for the report of a failure. */
  enum Shape {
    MUTATED_SEED,
    GENERATED,
    WITH_UNKNOWN_FIELDS,
    CORRUPT_BYTES
  }

  /** One fuzz input: the bytes sent as the request frame, and how they were made. */
  record Input(byte[] bytes, Shape shape, String description) {}

  private static final String[] HOSTILE_STRINGS = {
    "",
    " ",
    "\t",
    "\u0000",
    "a\u0000b",
    "line\nbreak",
    "\r\n",
    "\u001b[31mred",
    "\u007f",
    "\u0085",
    "\u200b",
    "\u202e\u202dreversed",
    "\ufeff",
    "\uffff",
    "\ud83d\ude00",
    "e\u0301\u0301\u0301",
    "\u4e2d\u6587",
    "'; DROP TABLE users; --",
    "../../etc/passwd",
    "%s%s%n",
    "${jndi:ldap://x}",
    "*:*",
    "title:(a OR b)~2^3",
    "\"unterminated",
    "\\",
    "AND OR NOT",
    "[* TO *]",
    "/regex.*/",
    "?",
    "-1",
    "NaN",
  };

  private static final float[] HOSTILE_FLOATS = {
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    -0f,
    Float.MIN_VALUE,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    -1f,
    1e-30f,
    1e30f
  };

  private static final long[] HOSTILE_INTS = {
    0, -1, 1, 2, 10, 99, 100, 101, 127, 128, 129, 999, 1_000, 1_001, 1_999, 2_000, 2_001,
    Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE
  };

  private final RandomGenerator random;
  private final List<String> vocabulary;
  private final Set<String> frozen;

  /**
   * @param random the only source of randomness
   * @param vocabulary plausible string values (known user and item ids, genre names)
   */
  ProtoFuzzer(RandomGenerator random, List<String> vocabulary) {
    this(random, vocabulary, Set.of());
  }

  /**
   * @param frozen full names of fields never changed or generated (e.g. {@code
   *     dev.recsuite.ranking.v1.RankRequest.bundle_version}), to keep a known, reported gap from
   *     failing every run
   */
  ProtoFuzzer(RandomGenerator random, List<String> vocabulary, Set<String> frozen) {
    this.random = Objects.requireNonNull(random, "random");
    this.frozen = Set.copyOf(frozen);
    this.vocabulary = List.copyOf(vocabulary);
    if (this.vocabulary.isEmpty()) {
      throw new IllegalArgumentException("vocabulary: empty (expected: at least one value)");
    }
  }

  /** Draws the next input for a request whose valid examples are {@code seeds}. */
  Input next(List<? extends Message> seeds) {
    Message seed = seeds.get(random.nextInt(seeds.size()));
    int roll = random.nextInt(100);
    if (roll < 50) {
      return mutateOnce(seed);
    }
    if (roll < 65) {
      Message generated = generate(seed.getDescriptorForType(), 0);
      return new Input(generated.toByteArray(), Shape.GENERATED, "generated");
    }
    if (roll < 80) {
      DynamicMessage.Builder builder = DynamicMessage.newBuilder(seed);
      String what = random.nextBoolean() ? mutate(builder, 0) : "seed";
      byte[] message = builder.build().toByteArray();
      byte[] unknown = unknownFields(seed.getDescriptorForType());
      return new Input(concat(message, unknown), Shape.WITH_UNKNOWN_FIELDS, what + " + " + unknown.length + " unknown bytes");
    }
    return corrupt(seed);
  }

  /** {@code message} with one to three fields replaced by hostile values. */
  Input mutateOnce(Message message) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(message);
    int mutations = 1 + random.nextInt(3);
    StringBuilder what = new StringBuilder();
    for (int i = 0; i < mutations; i++) {
      what.append(mutate(builder, 0)).append(' ');
    }
    return new Input(builder.build().toByteArray(), Shape.MUTATED_SEED, what.toString().trim());
  }

  /** Replaces one field of {@code builder} (or of a nested message) with a hostile value. */
  private String mutate(DynamicMessage.Builder builder, int depth) {
    List<FieldDescriptor> fields =
        builder.getDescriptorForType().getFields().stream().filter(f -> !frozen.contains(f.getFullName())).toList();
    if (fields.isEmpty()) {
      return "<nothing to change>";
    }
    FieldDescriptor field = fields.get(random.nextInt(fields.size()));
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !field.isRepeated()
        && depth < 3
        && random.nextInt(3) > 0) {
      // Descend: change one field of the nested message rather than replacing it whole.
      DynamicMessage.Builder nested =
          builder.hasField(field)
              ? DynamicMessage.newBuilder((Message) builder.getField(field))
              : DynamicMessage.newBuilder(field.getMessageType());
      String what = mutate(nested, depth + 1);
      builder.setField(field, nested.build());
      return field.getName() + "." + what;
    }
    if (field.isRepeated()) {
      return field.getName() + mutateRepeated(builder, field, depth);
    }
    if (random.nextInt(8) == 0) {
      builder.clearField(field);
      return field.getName() + "=<cleared>";
    }
    Object value = value(field, depth);
    builder.setField(field, value);
    return field.getName() + "=" + shown(value);
  }

  private String mutateRepeated(DynamicMessage.Builder builder, FieldDescriptor field, int depth) {
    int roll = random.nextInt(10);
    if (roll == 0) {
      builder.clearField(field);
      return "=[]";
    }
    if (roll <= 2) {
      // Many elements: around the documented limits, sometimes far past them. Elements are kept
      // small (no huge strings, nothing nested) so that a request stays within a few megabytes;
      // messages (events, candidates) that cost real work per element get past the limits less often.
      boolean messages = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField();
      int[] counts = messages ? new int[] {64, 65, 1_001, 2_001} : new int[] {64, 65, 999, 1_000, 1_001, 2_000, 2_001, 5_000};
      if (messages && random.nextInt(4) != 0) {
        return mutateRepeatedFew(builder, field, depth);
      }
      int count = counts[random.nextInt(counts.length)];
      builder.clearField(field);
      boolean same = random.nextBoolean();
      // For messages, copies of a valid element (an event, a candidate) reach past the checks.
      Object one =
          messages && builder.getRepeatedFieldCount(field) > 0
              ? builder.getRepeatedField(field, 0)
              : element(field, 3);
      same |= messages;
      for (int i = 0; i < count; i++) {
        builder.addRepeatedField(field, same ? one : element(field, 3));
      }
      return "=[" + count + " elements]";
    }
    return mutateRepeatedFew(builder, field, depth);
  }

  private String mutateRepeatedFew(DynamicMessage.Builder builder, FieldDescriptor field, int depth) {
    int existing = builder.getRepeatedFieldCount(field);
    if (existing > 0 && random.nextInt(3) > 0) {
      int index = random.nextInt(existing);
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && random.nextBoolean()) {
        DynamicMessage.Builder nested =
            DynamicMessage.newBuilder((Message) builder.getRepeatedField(field, index));
        String what = mutate(nested, depth + 1);
        builder.setRepeatedField(field, index, nested.build());
        return "[" + index + "]." + what;
      }
      Object value = element(field, depth);
      builder.setRepeatedField(field, index, value);
      return "[" + index + "]=" + shown(value);
    }
    int add = 1 + random.nextInt(5);
    for (int i = 0; i < add; i++) {
      builder.addRepeatedField(field, element(field, depth));
    }
    return "+=" + add + " elements";
  }

  /** One element of a repeated field (a map entry for a map). */
  private Object element(FieldDescriptor field, int depth) {
    if (field.isMapField()) {
      Descriptor entry = field.getMessageType();
      DynamicMessage.Builder pair = DynamicMessage.newBuilder(entry);
      FieldDescriptor key = entry.findFieldByNumber(1);
      FieldDescriptor value = entry.findFieldByNumber(2);
      pair.setField(key, value(key, depth + 1));
      pair.setField(value, value(value, depth + 1));
      return pair.build();
    }
    return value(field, depth);
  }

  /** A value for a singular field, or one element of a repeated field. */
  private Object value(FieldDescriptor field, int depth) {
    return switch (field.getJavaType()) {
      case STRING -> string(depth < 3);
      case INT -> (int) integer();
      case LONG -> integer();
      case FLOAT -> floating();
      case DOUBLE -> (double) floating();
      case BOOLEAN -> random.nextBoolean();
      case BYTE_STRING -> ByteString.copyFromUtf8(string(depth < 3));
      case ENUM -> enumValue(field.getEnumType());
      case MESSAGE -> generate(field.getMessageType(), depth + 1);
    };
  }

  /** A string; {@code huge} allows 200,000 characters (never for elements of a long list). */
  private String string(boolean huge) {
    int roll = random.nextInt(20);
    return switch (roll) {
      case 0, 1, 2, 3, 4, 5 -> vocabulary.get(random.nextInt(vocabulary.size()));
      case 6, 7, 8, 9 -> HOSTILE_STRINGS[random.nextInt(HOSTILE_STRINGS.length)];
      case 10 -> "x".repeat(128);
      case 11 -> "y".repeat(129);
      case 12 -> "z".repeat(1 + random.nextInt(huge ? 5_000 : 200));
      case 13 -> "w".repeat(huge && random.nextInt(4) == 0 ? 200_000 : 513);
      case 14 -> vocabulary.get(random.nextInt(vocabulary.size())) + HOSTILE_STRINGS[random.nextInt(HOSTILE_STRINGS.length)];
      case 15 -> randomChars(1 + random.nextInt(40), 0, 0x20);
      case 16 -> randomChars(1 + random.nextInt(40), 0x20, 0x7f);
      case 17 -> randomChars(1 + random.nextInt(40), 0x80, 0x3000);
      case 18 -> randomChars(1 + random.nextInt(10), 0xd800, 0xe000); // lone surrogates
      default -> "\ud83d\ude00".repeat(64 + random.nextInt(2)); // 128 or 130 UTF-16 chars
    };
  }

  private String randomChars(int length, int from, int to) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) (from + random.nextInt(to - from)));
    }
    return out.toString();
  }

  private long integer() {
    return random.nextInt(3) == 0
        ? random.nextLong()
        : HOSTILE_INTS[random.nextInt(HOSTILE_INTS.length)];
  }

  private float floating() {
    int roll = random.nextInt(3);
    if (roll == 0) {
      return HOSTILE_FLOATS[random.nextInt(HOSTILE_FLOATS.length)];
    }
    if (roll == 1) {
      return Float.intBitsToFloat(random.nextInt()); // any bit pattern, NaN payloads included
    }
    return (float) (random.nextDouble() * 10 - 2);
  }

  private Object enumValue(EnumDescriptor type) {
    if (random.nextInt(4) == 0) {
      // A number no version of the enum knows (proto3 enums are open).
      int[] unknown = {-1, 99, Integer.MAX_VALUE, Integer.MIN_VALUE};
      return type.findValueByNumberCreatingIfUnknown(unknown[random.nextInt(unknown.length)]);
    }
    return type.getValues().get(random.nextInt(type.getValues().size()));
  }

  /** A message of {@code type} with random fields set, nested at most three levels deep. */
  Message generate(Descriptor type, int depth) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    if (depth > 3) {
      return builder.build();
    }
    for (FieldDescriptor field : type.getFields()) {
      if (random.nextInt(3) == 0 || frozen.contains(field.getFullName())) {
        continue;
      }
      if (field.isRepeated()) {
        boolean many = random.nextInt(20) == 0;
        int count = many ? 1_001 : random.nextInt(4);
        for (int i = 0; i < count; i++) {
          builder.addRepeatedField(field, element(field, many ? 3 : depth));
        }
      } else {
        builder.setField(field, value(field, depth));
      }
    }
    return builder.build();
  }

  /** Well-formed fields whose numbers the type does not declare, of every wire type. */
  private byte[] unknownFields(Descriptor type) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      int count = 1 + random.nextInt(6);
      for (int i = 0; i < count; i++) {
        int number;
        do {
          number = 1 + random.nextInt(random.nextBoolean() ? 50 : 536_870_911);
        } while (type.findFieldByNumber(number) != null);
        switch (random.nextInt(5)) {
          case 0 -> out.writeInt64(number, random.nextLong());
          case 1 -> out.writeFixed64(number, random.nextLong());
          case 2 -> out.writeFixed32(number, random.nextInt());
          case 3 -> out.writeBytes(number, ByteString.copyFrom(randomBytes(random.nextInt(2_000))));
          default -> {
            // A group: start tag, one varint, end tag (wire types 3 and 4).
            out.writeTag(number, 3);
            out.writeInt32(1, random.nextInt());
            out.writeTag(number, 4);
          }
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Bytes that must not parse as the request (or parse as something odd). */
  private Input corrupt(Message seed) {
    byte[] valid = seed.toByteArray();
    int roll = random.nextInt(6);
    return switch (roll) {
      case 0 -> {
        int cut = valid.length == 0 ? 0 : random.nextInt(valid.length);
        byte[] out = new byte[cut];
        System.arraycopy(valid, 0, out, 0, cut);
        yield new Input(out, Shape.CORRUPT_BYTES, "truncated to " + cut + " of " + valid.length + " bytes");
      }
      case 1 -> {
        byte[] out = valid.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && out.length > 0; i++) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield new Input(out, Shape.CORRUPT_BYTES, flips + " bits flipped");
      }
      case 2 -> {
        byte[] out = randomBytes(random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(300));
        yield new Input(out, Shape.CORRUPT_BYTES, out.length + " random bytes");
      }
      case 3 -> {
        // Field 1 (a string in every request but RecordEvents/RankRequest) holding invalid UTF-8.
        byte[] out = concat(new byte[] {0x0a, 0x03, (byte) 0xc3, (byte) 0x28, (byte) 0xff}, valid);
        yield new Input(out, Shape.CORRUPT_BYTES, "invalid UTF-8 in field 1");
      }
      case 4 -> {
        // A length-delimited field that claims far more bytes than follow.
        byte[] out = concat(valid, new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x41});
        yield new Input(out, Shape.CORRUPT_BYTES, "length prefix past the end");
      }
      default -> {
        // Deeply nested groups: a recursion bomb for a naive parser.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
          bytes.write(0x1b); // field 3, start group
        }
        yield new Input(bytes.toByteArray(), Shape.CORRUPT_BYTES, "200 nested start-group tags");
      }
    };
  }

  private byte[] randomBytes(int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String shown(Object value) {
    return printable(
        switch (value) {
          case String s -> '"' + s.substring(0, Math.min(s.length(), 20)) + (s.length() > 20 ? "...(" + s.length() + ")" : "") + '"';
          case Message m -> "{" + m.getSerializedSize() + " bytes}";
          default -> String.valueOf(value);
        });
  }

  /**
   * {@code text} with every character that could break a report line (controls, format and
   * separator characters, surrogates, unassigned code points) replaced by {@code ?}.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      boolean odd =
          Character.isISOControl(c)
              || type == Character.FORMAT
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR
              || type == Character.SURROGATE
              || type == Character.UNASSIGNED
              || type == Character.PRIVATE_USE;
      out.append(odd ? '?' : c);
    }
    return out.toString();
  }
}
