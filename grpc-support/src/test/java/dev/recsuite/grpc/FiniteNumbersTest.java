package dev.recsuite.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.recsuite.common.v1.FeedbackEvent;
import dev.recsuite.common.v1.RecallSource;
import dev.recsuite.common.v1.SourceScore;
import dev.recsuite.feature.v1.ItemFeatures;
import dev.recsuite.feature.v1.UserFeatures;
import dev.recsuite.ranking.v1.RankCandidate;
import dev.recsuite.ranking.v1.RankRequest;
import dev.recsuite.recall.v1.RecallRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FiniteNumbersTest {

  /** The largest field number protobuf allows. */
  private static final int MAX_FIELD_NUMBER = (1 << 29) - 1;

  private final FiniteNumbers rank = FiniteNumbers.of(RankRequest.getDescriptor());

  private static RankRequest.Builder valid() {
    return RankRequest.newBuilder()
        .setUser(UserFeatures.newBuilder().setUserId("u1").setMeanRating(3.5f).putGenreAffinity("Drama", 0.5f))
        .addCandidates(
            RankCandidate.newBuilder()
                .setItemId("i1")
                .setFeatures(ItemFeatures.newBuilder().setItemId("i1").setPopularity(0.2f))
                .addSources(SourceScore.newBuilder().setSource(RecallSource.RECALL_SOURCE_POPULAR).setScore(1.5f)));
  }

  @Test
  void require_finiteNumbersEverywhere_passes() {
    assertThatCode(() -> rank.require(valid().build())).doesNotThrowAnyException();
  }

  @Test
  void require_nanDeepInARepeatedMessage_namesThePath() {
    RankRequest.Builder request = valid();
    request.getCandidatesBuilder(0).getFeaturesBuilder().setPopularity(Float.NaN);

    assertThatThrownBy(() -> rank.require(request.build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("candidates[0].features.popularity: NaN (expected: a finite number)");
  }

  @Test
  void require_infiniteSourceScore_namesTheIndexedPath() {
    RankRequest.Builder request = valid();
    request.getCandidatesBuilder(0).getSourcesBuilder(0).setScore(Float.NEGATIVE_INFINITY);

    assertThatThrownBy(() -> rank.require(request.build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("candidates[0].sources[0].score: -Infinity (expected: a finite number)");
  }

  @Test
  void require_nanMapValue_namesTheKey() {
    RankRequest.Builder request = valid();
    request.getUserBuilder().putGenreAffinity("Sci-Fi", Float.POSITIVE_INFINITY);

    assertThatThrownBy(() -> rank.require(request.build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("user.genre_affinity[\"Sci-Fi\"]: Infinity (expected: a finite number)");
  }

  @Test
  void applies_typeWithoutFloatingPointFields_isFalse() {
    assertThat(FiniteNumbers.of(RecallRequest.getDescriptor()).applies()).isFalse();
    assertThat(rank.applies()).isTrue();
  }

  @Test
  void require_messageOfAnotherType_fails() {
    assertThatThrownBy(() -> rank.require(RecallRequest.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev.recsuite.recall.v1.RecallRequest");
  }

  @Test
  void allFinite_onTheWireFormat_agreesWithRequire_onSeededMessagesWithNumbersAnywhere() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    int nonFinite = 0;
    for (int n = 0; n < 2_000; n++) {
      RankRequest.Builder request = valid();
      for (int c = 1; c < 1 + random.nextInt(20); c++) {
        request.addCandidates(request.getCandidates(0).toBuilder().setItemId("i" + c));
      }
      float special = specials[random.nextInt(specials.length)];
      int where = random.nextInt(6);
      int candidate = random.nextInt(request.getCandidatesCount());
      switch (where) {
        case 0 -> request.getCandidatesBuilder(candidate).getFeaturesBuilder().setPopularity(special);
        case 1 -> request.getCandidatesBuilder(candidate).getSourcesBuilder(0).setScore(special);
        case 2 -> request.getUserBuilder().putGenreAffinity("g" + n, special);
        case 3 -> request.getUserBuilder().setMeanRating(special);
        case 4 -> request.getCandidatesBuilder(candidate).getFeaturesBuilder().setMeanRating(1.5f);
        default -> request.getUserBuilder().setMeanItemYear(1999.5f);
      }
      RankRequest message = request.build();
      boolean finite = where >= 4;
      nonFinite += finite ? 0 : 1;

      assertThat(rank.allFinite(message.toByteArray())).as("message %d (case %d)", n, where).isEqualTo(finite);
      if (finite) {
        assertThatCode(() -> rank.require(message)).doesNotThrowAnyException();
      } else {
        assertThatThrownBy(() -> rank.require(message)).isInstanceOf(InvalidArgumentException.class);
      }
    }
    assertThat(nonFinite).isBetween(1_000, 1_600);
  }

  @Test
  void allFinite_unknownFieldsOfEveryWireType_areSkipped() {
    byte[] known = valid().build().toByteArray();
    com.google.protobuf.UnknownFieldSet unknown =
        com.google.protobuf.UnknownFieldSet.newBuilder()
            .addField(900, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                .addFixed32(Float.floatToIntBits(Float.NaN))
                .addFixed64(Double.doubleToLongBits(Double.NaN))
                .addVarint(7)
                .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("x"))
                .build())
            .build();
    byte[] extra = unknown.toByteArray();
    byte[] withUnknown = java.util.Arrays.copyOf(known, known.length + extra.length);
    System.arraycopy(extra, 0, withUnknown, known.length, extra.length);

    assertThat(rank.allFinite(withUnknown)).isTrue();
  }

  @Test
  void allFinite_packedRepeatedFloats_areReadOneByOne() {
    FiniteNumbers log = FiniteNumbers.of(dev.recsuite.bundle.v1.InteractionLog.getDescriptor());
    dev.recsuite.bundle.v1.InteractionLog.Builder finite =
        dev.recsuite.bundle.v1.InteractionLog.newBuilder().addUsers(1).addItems(2).addRatings(4f).addRatings(3.5f);

    assertThat(log.allFinite(finite.build().toByteArray())).isTrue();
    assertThat(log.allFinite(finite.addRatings(Float.NaN).build().toByteArray())).isFalse();
  }

  @Test
  void allFinite_fieldNumbersAboveTheDenseTable_areChecked() throws Exception {
    Descriptor sparse =
        compile(
                DescriptorProto.newBuilder()
                    .setName("Sparse")
                    .addField(scalar("low", 1, FieldDescriptorProto.Type.TYPE_FLOAT))
                    .addField(scalar("count", 5_000, FieldDescriptorProto.Type.TYPE_INT64))
                    .addField(scalar("high", MAX_FIELD_NUMBER, FieldDescriptorProto.Type.TYPE_DOUBLE))
                    .addField(repeated(scalar("highs", 100_000, FieldDescriptorProto.Type.TYPE_FLOAT)))
                    .addField(message("child", 300_000, "Sparse")))
            .findMessageTypeByName("Sparse");
    FiniteNumbers finite = FiniteNumbers.of(sparse);
    DynamicMessage child = build(sparse, "low", 0.5f, "high", 2.5);

    assertThat(FiniteNumbers.DENSE_LIMIT).isLessThan(5_000);
    assertThat(finite.allFinite(sparseMessage(sparse, child, 1.5, 3f).toByteArray())).isTrue();
    assertThat(finite.allFinite(sparseMessage(sparse, child, Double.NaN, 3f).toByteArray())).isFalse();
    assertThat(finite.allFinite(sparseMessage(sparse, child, 1.5, Float.NEGATIVE_INFINITY).toByteArray())).isFalse();
    DynamicMessage nanChild = build(sparse, "low", 0.5f, "high", Double.POSITIVE_INFINITY);
    DynamicMessage deep = sparseMessage(sparse, nanChild, 1.5, 3f);
    assertThat(finite.allFinite(deep.toByteArray())).isFalse();
    assertThatThrownBy(() -> finite.require(deep))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("child.high: Infinity (expected: a finite number)");
  }

  @Test
  void allFinite_fieldNumbersEitherSideOfTheDenseLimit_areChecked() throws Exception {
    for (int number : new int[] {FiniteNumbers.DENSE_LIMIT, FiniteNumbers.DENSE_LIMIT + 1}) {
      Descriptor type =
          compile(
                  DescriptorProto.newBuilder()
                      .setName("Edge")
                      .addField(scalar("value", number, FieldDescriptorProto.Type.TYPE_FLOAT)))
              .findMessageTypeByName("Edge");
      FiniteNumbers finite = FiniteNumbers.of(type);

      assertThat(finite.allFinite(build(type, "value", 1f).toByteArray())).as("field %d", number).isTrue();
      assertThat(finite.allFinite(build(type, "value", Float.NaN).toByteArray())).as("field %d", number).isFalse();
    }
  }

  @Test
  void allFinite_mutuallyRecursiveTypes_areFollowedToAnyDepth() throws Exception {
    FileDescriptor file = recursiveFile();
    Descriptor tree = file.findMessageTypeByName("Tree");
    Descriptor forest = file.findMessageTypeByName("Forest");
    FiniteNumbers finite = FiniteNumbers.of(tree);
    DynamicMessage nested = build(tree, "weight", Float.NaN);
    for (int depth = 0; depth < 10; depth++) {
      DynamicMessage around =
          DynamicMessage.newBuilder(forest).addRepeatedField(field(forest, "trees"), nested).build();
      nested = build(tree, "forest", around);
    }
    DynamicMessage deep = nested;

    assertThat(finite.allFinite(deep.toByteArray())).isFalse();
    assertThatThrownBy(() -> finite.require(deep))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("forest.trees[0].forest.trees[0].")
        .hasMessageEndingWith(".weight: NaN (expected: a finite number)");
    assertThat(finite.allFinite(replaceLeaf(deep, build(tree, "weight", 2f)).toByteArray())).isTrue();
  }

  @Test
  void allFinite_recursiveTypeWithoutNumbers_isFinite() throws Exception {
    Descriptor chain = recursiveFile().findMessageTypeByName("Chain");
    DynamicMessage message = build(chain, "value", 7);
    for (int i = 0; i < 5; i++) {
      message = DynamicMessage.newBuilder(chain).setField(field(chain, "next"), message).build();
    }

    assertThat(FiniteNumbers.of(chain).allFinite(message.toByteArray())).isTrue();
  }

  @Test
  void allFinite_onSeededRecursiveSparseMessages_agreesWithRequire() throws Exception {
    FileDescriptor file = recursiveFile();
    Descriptor tree = file.findMessageTypeByName("Tree");
    FiniteNumbers finite = FiniteNumbers.of(tree);
    SplittableRandom random = new SplittableRandom(7);
    int nonFinite = 0;
    for (int n = 0; n < 1_000; n++) {
      DynamicMessage message = randomTree(file, random, 4);
      boolean expected;
      try {
        finite.require(message);
        expected = true;
      } catch (InvalidArgumentException e) {
        expected = false;
      }
      nonFinite += expected ? 0 : 1;

      assertThat(finite.allFinite(message.toByteArray())).as("message %d: %s", n, message).isEqualTo(expected);
    }
    assertThat(nonFinite).isBetween(200, 450);
  }

  @Test
  void allFinite_floatFieldNumberArrivingAsAVarint_isSkippedNotMisread() throws IOException {
    FiniteNumbers score = FiniteNumbers.of(SourceScore.getDescriptor());
    int scoreField = SourceScore.SCORE_FIELD_NUMBER;
    // Varint 0x81 0x80 0x80 0x7F: read as a little-endian float instead, these four bytes are NaN.
    int varint = 1 + (0x7F << 21);
    assertThat(Float.intBitsToFloat(0x7F808081)).isNaN();
    byte[] finiteAfter = encode(out -> out.writeUInt32(scoreField, varint), out -> out.writeFloat(scoreField, 1.5f));
    byte[] nanAfter = encode(out -> out.writeUInt32(scoreField, varint), out -> out.writeFloat(scoreField, Float.NaN));

    assertThat(SourceScore.parseFrom(finiteAfter).getScore()).isEqualTo(1.5f);
    assertThat(score.allFinite(finiteAfter)).isTrue();
    assertThat(score.allFinite(nanAfter)).isFalse();
  }

  @Test
  void allFinite_numberFieldsArrivingWithTheOtherFixedWidth_areSkippedNotMisread() throws IOException {
    FiniteNumbers score = FiniteNumbers.of(SourceScore.getDescriptor());
    FiniteNumbers event = FiniteNumbers.of(FeedbackEvent.getDescriptor());
    int scoreField = SourceScore.SCORE_FIELD_NUMBER;
    int valueField = FeedbackEvent.VALUE_FIELD_NUMBER;

    byte[] nanDoubleThenFloat =
        encode(out -> out.writeDouble(scoreField, Double.NaN), out -> out.writeFloat(scoreField, 1f));
    byte[] doubleThenNanFloat =
        encode(out -> out.writeDouble(scoreField, 1.0), out -> out.writeFloat(scoreField, Float.NaN));
    byte[] fixed32ThenDouble =
        encode(out -> out.writeFixed32(valueField, -1), out -> out.writeDouble(valueField, 2.0));
    byte[] fixed32ThenNanDouble =
        encode(out -> out.writeFixed32(valueField, 7), out -> out.writeDouble(valueField, Double.NaN));

    // The well-typed number after the odd one is read only if the odd one was skipped at its width.
    assertThat(score.allFinite(nanDoubleThenFloat)).isTrue();
    assertThat(score.allFinite(doubleThenNanFloat)).isFalse();
    assertThat(event.allFinite(fixed32ThenDouble)).isTrue();
    assertThat(event.allFinite(fixed32ThenNanDouble)).isFalse();
  }

  @Test
  void allFinite_messageFieldNumberArrivingAsAFixed64_isSkippedNotEntered() throws IOException {
    RankRequest.Builder nan = valid();
    nan.getUserBuilder().setMeanRating(Float.NaN);
    Write fixed64InAMessageField = out -> out.writeDouble(RankRequest.CANDIDATES_FIELD_NUMBER, 1.0);
    byte[] thenFinite = encode(fixed64InAMessageField, out -> out.writeRawBytes(valid().build().toByteArray()));
    byte[] thenNan = encode(fixed64InAMessageField, out -> out.writeRawBytes(nan.build().toByteArray()));

    assertThat(rank.allFinite(thenFinite)).isTrue();
    assertThat(rank.allFinite(thenNan)).isFalse();
  }

  /** One field written to the wire, however ill-typed. */
  private interface Write {
    void to(CodedOutputStream out) throws IOException;
  }

  private static byte[] encode(Write... writes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (Write write : writes) {
      write.to(out);
    }
    out.flush();
    return bytes.toByteArray();
  }

  /** A proto3 file of {@code messages} built at run time, for shapes no checked-in proto has. */
  private static FileDescriptor compile(DescriptorProto.Builder... messages) throws DescriptorValidationException {
    FileDescriptorProto.Builder file =
        FileDescriptorProto.newBuilder()
            .setName("finite_numbers_test.proto")
            .setPackage("finite.test")
            .setSyntax("proto3");
    for (DescriptorProto.Builder message : messages) {
      file.addMessageType(message);
    }
    return FileDescriptor.buildFrom(file.build(), new FileDescriptor[0]);
  }

  /**
   * Tree and Forest refer to each other, Tree with a field numbered past the dense table, Forest
   * without; Chain refers to itself and holds no number.
   */
  private static FileDescriptor recursiveFile() throws DescriptorValidationException {
    return compile(
        DescriptorProto.newBuilder()
            .setName("Tree")
            .addField(scalar("weight", 1, FieldDescriptorProto.Type.TYPE_FLOAT))
            .addField(scalar("label", 2, FieldDescriptorProto.Type.TYPE_STRING))
            .addField(message("forest", 3, "Forest"))
            .addField(scalar("far", MAX_FIELD_NUMBER, FieldDescriptorProto.Type.TYPE_DOUBLE)),
        DescriptorProto.newBuilder()
            .setName("Forest")
            .addField(repeated(message("trees", 1, "Tree")))
            .addField(repeated(scalar("masses", 4, FieldDescriptorProto.Type.TYPE_DOUBLE)))
            .addField(scalar("count", 2, FieldDescriptorProto.Type.TYPE_INT32)),
        DescriptorProto.newBuilder()
            .setName("Chain")
            .addField(message("next", 1, "Chain"))
            .addField(scalar("value", 2, FieldDescriptorProto.Type.TYPE_INT32)));
  }

  private static FieldDescriptorProto.Builder scalar(String name, int number, FieldDescriptorProto.Type type) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(type)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
  }

  private static FieldDescriptorProto.Builder message(String name, int number, String typeName) {
    return scalar(name, number, FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(".finite.test." + typeName);
  }

  private static FieldDescriptorProto.Builder repeated(FieldDescriptorProto.Builder field) {
    return field.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
  }

  private static FieldDescriptor field(Descriptor type, String name) {
    return type.findFieldByName(name);
  }

  /** A message of {@code type} with the given field names and values, alternating. */
  private static DynamicMessage build(Descriptor type, Object... namesAndValues) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.setField(field(type, (String) namesAndValues[i]), namesAndValues[i + 1]);
    }
    return builder.build();
  }

  private static DynamicMessage sparseMessage(Descriptor sparse, DynamicMessage child, double high, float last) {
    return DynamicMessage.newBuilder(sparse)
        .setField(field(sparse, "low"), 0.25f)
        .setField(field(sparse, "count"), 12L)
        .setField(field(sparse, "high"), high)
        .addRepeatedField(field(sparse, "highs"), 1f)
        .addRepeatedField(field(sparse, "highs"), last)
        .setField(field(sparse, "child"), child)
        .build();
  }

  /** {@code tree} with its innermost tree (down the forest.trees[0] path) replaced by {@code leaf}. */
  private static DynamicMessage replaceLeaf(DynamicMessage tree, DynamicMessage leaf) {
    FieldDescriptor forestField = field(tree.getDescriptorForType(), "forest");
    if (!tree.hasField(forestField)) {
      return leaf;
    }
    DynamicMessage forest = (DynamicMessage) tree.getField(forestField);
    FieldDescriptor trees = field(forest.getDescriptorForType(), "trees");
    DynamicMessage inner = replaceLeaf((DynamicMessage) forest.getRepeatedField(trees, 0), leaf);
    return tree.toBuilder().setField(forestField, forest.toBuilder().setRepeatedField(trees, 0, inner).build()).build();
  }

  /** A random tree of at most {@code depth} levels; about one number in 13 is NaN or infinite. */
  private static DynamicMessage randomTree(FileDescriptor file, SplittableRandom random, int depth) {
    Descriptor tree = file.findMessageTypeByName("Tree");
    Descriptor forest = file.findMessageTypeByName("Forest");
    DynamicMessage.Builder builder =
        DynamicMessage.newBuilder(tree)
            .setField(field(tree, "weight"), (float) randomNumber(random))
            .setField(field(tree, "label"), "t" + random.nextInt(100));
    if (random.nextBoolean()) {
      builder.setField(field(tree, "far"), randomNumber(random));
    }
    if (depth > 0 && random.nextInt(3) > 0) {
      DynamicMessage.Builder trees = DynamicMessage.newBuilder(forest).setField(field(forest, "count"), 3);
      for (int i = random.nextInt(3); i > 0; i--) {
        trees.addRepeatedField(field(forest, "trees"), randomTree(file, random, depth - 1));
      }
      for (int i = random.nextInt(4); i > 0; i--) {
        trees.addRepeatedField(field(forest, "masses"), randomNumber(random));
      }
      builder.setField(field(tree, "forest"), trees.build());
    }
    return builder.build();
  }

  private static double randomNumber(SplittableRandom random) {
    return switch (random.nextInt(40)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      default -> random.nextDouble(-10, 10);
    };
  }
}
