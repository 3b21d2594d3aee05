package dev.recsuite.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that every {@code float} and {@code double} of a protobuf message, however deep (nested
 * messages, repeated fields, map values), is finite: no NaN, no infinity. A score or feature value
 * of NaN poisons every comparison it enters (sorting, clipping, thresholds) without an error, so
 * no request may carry one.
 *
 * <p>Build one per request type, once (it walks the type's descriptor and keeps only the paths
 * that can hold a floating-point number), then check each request:
 *
 * <pre>{@code
 * private final FiniteNumbers finite = FiniteNumbers.of(RankRequest.getDescriptor());
 * ...
 * finite.require(request);
 * // throws InvalidArgumentException: "candidates[3].features.popularity: NaN (expected: a finite number)"
 * }</pre>
 *
 * <p>{@link GrpcServer} applies this to every request message of its services, so a handler need
 * not. Immutable and thread-safe.
 */
public final class FiniteNumbers {

  /**
   * Field numbers up to this one get a dense table ({@code kinds[number]}); a type with a relevant
   * field above it gets sorted arrays searched by binary search, so a field numbered near 2^29
   * costs a few comparisons rather than a table of half a billion entries.
   */
  static final int DENSE_LIMIT = 4096;

  private static final byte SKIP = 0;
  private static final byte READ_FLOAT = 1;
  private static final byte READ_DOUBLE = 2;
  private static final byte READ_MESSAGE = 3;

  private final Descriptor type;
  /** The fields worth visiting per message type reachable from {@code type}; empty lists are left out. */
  private final Map<Descriptor, List<FieldDescriptor>> plan;
  /** The same plan compiled for the wire-format scan; null when the type holds no number at all. */
  private final WirePlan wirePlan;

  private FiniteNumbers(Descriptor type, Map<Descriptor, List<FieldDescriptor>> plan) {
    this.type = type;
    this.plan = plan;
    this.wirePlan = WirePlan.compile(plan).get(type);
  }

  /** The checks of messages of {@code type}. */
  public static FiniteNumbers of(Descriptor type) {
    Objects.requireNonNull(type, "type");
    Map<Descriptor, Boolean> reaches = new HashMap<>();
    Map<Descriptor, List<FieldDescriptor>> plan = new HashMap<>();
    build(type, reaches, plan);
    return new FiniteNumbers(type, Map.copyOf(plan));
  }

  /** Whether messages of this type can hold a floating-point number at all. */
  public boolean applies() {
    return plan.containsKey(type);
  }

  /**
   * Checks a message of the type.
   *
   * @throws InvalidArgumentException naming the first non-finite field, e.g. {@code
   *     candidates[3].features.popularity: NaN (expected: a finite number)}
   * @throws IllegalArgumentException if {@code message} is of another type
   */
  public void require(Message message) {
    if (message.getDescriptorForType() != type) {
      throw new IllegalArgumentException(
          "message: a " + message.getDescriptorForType().getFullName() + " (expected: " + type.getFullName() + ")");
    }
    check("", message);
  }

  /**
   * Whether every {@code float} and {@code double} of an encoded message of the type is finite,
   * read straight from the wire format: no message is built, no field reflected, nothing
   * allocated, so a server can afford it on every request and call {@link #require} (which names
   * the field) only when this says no. Packed repeated numbers, nested messages and map values are
   * followed; other fields are skipped.
   *
   * @param encoded bytes that parse as a message of the type (check that first: bytes that do not
   *     parse may be reported finite)
   */
  public boolean allFinite(byte[] encoded) {
    if (wirePlan == null) {
      return true;
    }
    try {
      return messageFinite(CodedInputStream.newInstance(encoded), wirePlan);
    } catch (IOException e) {
      return true;
    }
  }

  /** Scans the message up to the current limit. */
  private static boolean messageFinite(CodedInputStream in, WirePlan messagePlan) throws IOException {
    return messagePlan.numbersOnly ? numbersFinite(in, messagePlan) : nestedFinite(in, messagePlan);
  }

  /**
   * One array lookup per tag: what the plan keeps under the field number, nothing reflected. A
   * nested message is scanned to its end, so the stream is already at the limit to pop.
   */
  private static boolean nestedFinite(CodedInputStream in, WirePlan messagePlan) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return true;
      }
      int slot = messagePlan.slot(WireFormat.getTagFieldNumber(tag));
      if (slot < 0) {
        in.skipField(tag);
      } else if (messagePlan.kinds[slot] != READ_MESSAGE) {
        if (!numberFinite(in, tag, messagePlan.kinds[slot])) {
          return false;
        }
      } else if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        in.skipField(tag);
      } else {
        int limit = in.pushLimit(in.readRawVarint32());
        if (!messageFinite(in, messagePlan.messages[slot])) {
          return false;
        }
        in.popLimit(limit);
      }
    }
  }

  /**
   * {@link #nestedFinite} for a type that holds numbers but no message worth entering. Not
   * recursive, so the JIT inlines it into its caller: these leaf types hold most numbers (a
   * recursive loop alone measured about 1.6 times slower on a 500-candidate RankRequest).
   */
  private static boolean numbersFinite(CodedInputStream in, WirePlan messagePlan) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return true;
      }
      int slot = messagePlan.slot(WireFormat.getTagFieldNumber(tag));
      if (slot < 0) {
        in.skipField(tag);
      } else if (!numberFinite(in, tag, messagePlan.kinds[slot])) {
        return false;
      }
    }
  }

  /** Reads one field of a float or double number ({@code kind}); false if it holds a non-finite one. */
  private static boolean numberFinite(CodedInputStream in, int tag, byte kind) throws IOException {
    // The wire type decides how the value is read, never the declared type alone: a float
    // field number arriving as a varint (an unknown field to the parser) is skipped, not misread.
    int wireType = WireFormat.getTagWireType(tag);
    if (wireType == WireFormat.WIRETYPE_FIXED32 && kind == READ_FLOAT) {
      return Float.isFinite(in.readFloat());
    } else if (wireType == WireFormat.WIRETYPE_FIXED64 && kind == READ_DOUBLE) {
      return Double.isFinite(in.readDouble());
    } else if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int limit = in.pushLimit(in.readRawVarint32());
      boolean finite = kind == READ_FLOAT ? packedFloatsFinite(in) : packedDoublesFinite(in);
      in.popLimit(limit);
      return finite;
    } else {
      in.skipField(tag);
      return true;
    }
  }

  private static boolean packedFloatsFinite(CodedInputStream in) throws IOException {
    while (in.getBytesUntilLimit() > 0) {
      if (!Float.isFinite(in.readFloat())) {
        return false;
      }
    }
    return true;
  }

  private static boolean packedDoublesFinite(CodedInputStream in) throws IOException {
    while (in.getBytesUntilLimit() > 0) {
      if (!Double.isFinite(in.readDouble())) {
        return false;
      }
    }
    return true;
  }

  private void check(String path, Message message) {
    List<FieldDescriptor> fields = plan.get(message.getDescriptorForType());
    if (fields == null) {
      return;
    }
    for (FieldDescriptor field : fields) {
      String name = path.isEmpty() ? field.getName() : path + "." + field.getName();
      if (field.isMapField()) {
        checkMap(name, message, field);
      } else if (field.isRepeated()) {
        int count = message.getRepeatedFieldCount(field);
        for (int i = 0; i < count; i++) {
          checkValue(name, i, field, message.getRepeatedField(field, i));
        }
      } else if (field.getJavaType() == JavaType.MESSAGE) {
        if (message.hasField(field)) {
          check(name, (Message) message.getField(field));
        }
      } else {
        checkValue(name, -1, field, message.getField(field));
      }
    }
  }

  private void checkValue(String name, int index, FieldDescriptor field, Object value) {
    switch (value) {
      case Float f when !Float.isFinite(f) -> throw nonFinite(index < 0 ? name : name + "[" + index + "]", f);
      case Double d when !Double.isFinite(d) -> throw nonFinite(index < 0 ? name : name + "[" + index + "]", d);
      case Message m when field.getJavaType() == JavaType.MESSAGE -> check(name + "[" + index + "]", m);
      default -> {}
    }
  }

  private void checkMap(String name, Message message, FieldDescriptor field) {
    Descriptor entry = field.getMessageType();
    FieldDescriptor key = entry.findFieldByNumber(1);
    FieldDescriptor value = entry.findFieldByNumber(2);
    int count = message.getRepeatedFieldCount(field);
    for (int i = 0; i < count; i++) {
      Message pair = (Message) message.getRepeatedField(field, i);
      String entryName = name + "[" + RequestValidation.quote(String.valueOf(pair.getField(key))) + "]";
      Object v = pair.getField(value);
      switch (v) {
        case Float f when !Float.isFinite(f) -> throw nonFinite(entryName, f);
        case Double d when !Double.isFinite(d) -> throw nonFinite(entryName, d);
        case Message m -> check(entryName, m);
        default -> {}
      }
    }
  }

  private static InvalidArgumentException nonFinite(String field, double value) {
    return new InvalidArgumentException(field, value + " (expected: a finite number)");
  }

  /** Whether {@code type} can hold a float; fills {@code plan} with the fields that lead to one. */
  private static boolean build(
      Descriptor type, Map<Descriptor, Boolean> reaches, Map<Descriptor, List<FieldDescriptor>> plan) {
    Boolean known = reaches.get(type);
    if (known != null) {
      return known;
    }
    // Recursive types: assume yes while visiting, so a cycle is visited once; settled below.
    reaches.put(type, Boolean.TRUE);
    List<FieldDescriptor> fields = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      boolean relevant =
          switch (field.getJavaType()) {
            case FLOAT, DOUBLE -> true;
            case MESSAGE -> build(field.getMessageType(), reaches, plan);
            default -> false;
          };
      if (relevant) {
        fields.add(field);
      }
    }
    reaches.put(type, !fields.isEmpty());
    if (!fields.isEmpty()) {
      plan.put(type, List.copyOf(fields));
    }
    return !fields.isEmpty();
  }

  @Override
  public String toString() {
    return "FiniteNumbers[" + type.getFullName() + ", " + plan.size() + " message types with numbers]";
  }

  /**
   * The relevant fields of one message type, by field number: {@code kinds[slot]} says how to read
   * the field and {@code messages[slot]} is the nested type's plan when the kind is {@code
   * READ_MESSAGE} (map fields included: an entry is a message). Plans of recursive types refer to
   * each other.
   */
  private static final class WirePlan {

    /** Null when dense (slot = field number); else the sorted relevant field numbers. */
    private final int[] numbers;
    private final byte[] kinds;
    private final WirePlan[] messages;
    /** No nested plan: scanned by the non-recursive loop. */
    private final boolean numbersOnly;

    private WirePlan(int[] numbers, int slots, boolean numbersOnly) {
      this.numbers = numbers;
      this.numbersOnly = numbersOnly;
      this.kinds = new byte[slots];
      this.messages = new WirePlan[slots];
    }

    /** The slot of field {@code number}, or -1 when the field is to be skipped. */
    int slot(int number) {
      if (numbers != null) {
        return Math.max(Arrays.binarySearch(numbers, number), -1);
      }
      return number < kinds.length && kinds[number] != SKIP ? number : -1;
    }

    /**
     * One plan per message type of {@code fields}; in two passes, so that a plan can point to one
     * not yet filled (recursive and mutually recursive types).
     */
    static Map<Descriptor, WirePlan> compile(Map<Descriptor, List<FieldDescriptor>> fields) {
      Map<Descriptor, WirePlan> plans = new HashMap<>();
      fields.forEach((messageType, relevant) -> plans.put(messageType, allocate(relevant)));
      fields.forEach(
          (messageType, relevant) -> {
            WirePlan plan = plans.get(messageType);
            for (FieldDescriptor field : relevant) {
              int number = field.getNumber();
              int slot = plan.numbers == null ? number : Arrays.binarySearch(plan.numbers, number);
              switch (field.getJavaType()) {
                case FLOAT -> plan.kinds[slot] = READ_FLOAT;
                case DOUBLE -> plan.kinds[slot] = READ_DOUBLE;
                default -> {
                  // build() keeps a message field only when its type has fields kept too.
                  plan.kinds[slot] = READ_MESSAGE;
                  plan.messages[slot] =
                      Objects.requireNonNull(plans.get(field.getMessageType()), field.getMessageType().getFullName());
                }
              }
            }
          });
      return plans;
    }

    private static WirePlan allocate(List<FieldDescriptor> relevant) {
      int[] numbers = relevant.stream().mapToInt(FieldDescriptor::getNumber).sorted().toArray();
      int largest = numbers[numbers.length - 1];
      boolean numbersOnly = relevant.stream().noneMatch(field -> field.getJavaType() == JavaType.MESSAGE);
      return largest <= DENSE_LIMIT
          ? new WirePlan(null, largest + 1, numbersOnly)
          : new WirePlan(numbers, numbers.length, numbersOnly);
    }
  }
}
