package dev.recsuite.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
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

  private final Descriptor type;
  /** The fields worth visiting per message type reachable from {@code type}; empty lists are left out. */
  private final Map<Descriptor, List<FieldDescriptor>> plan;

  private FiniteNumbers(Descriptor type, Map<Descriptor, List<FieldDescriptor>> plan) {
    this.type = type;
    this.plan = plan;
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
    try {
      return allFinite(CodedInputStream.newInstance(encoded), type);
    } catch (IOException e) {
      return true;
    }
  }

  private boolean allFinite(CodedInputStream in, Descriptor messageType) throws IOException {
    List<FieldDescriptor> fields = plan.get(messageType);
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return true;
      }
      FieldDescriptor field =
          fields == null ? null : messageType.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      int wireType = WireFormat.getTagWireType(tag);
      if (field == null || !fields.contains(field)) {
        in.skipField(tag);
      } else if (field.getJavaType() == JavaType.FLOAT && wireType == WireFormat.WIRETYPE_FIXED32) {
        if (!Float.isFinite(in.readFloat())) {
          return false;
        }
      } else if (field.getJavaType() == JavaType.DOUBLE && wireType == WireFormat.WIRETYPE_FIXED64) {
        if (!Double.isFinite(in.readDouble())) {
          return false;
        }
      } else if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        boolean finite =
            switch (field.getJavaType()) {
              case FLOAT -> packedFloatsFinite(in);
              case DOUBLE -> packedDoublesFinite(in);
              case MESSAGE -> allFinite(in, field.getMessageType());
              default -> true;
            };
        if (!finite) {
          return false;
        }
        in.skipRawBytes(in.getBytesUntilLimit());
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
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
}
