package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import dev.leakwatch.pprof.proto.Label;
import dev.leakwatch.pprof.proto.Line;
import dev.leakwatch.pprof.proto.Location;
import dev.leakwatch.pprof.proto.Profile;
import dev.leakwatch.pprof.proto.Sample;
import dev.leakwatch.pprof.proto.ValueType;
import dev.leakwatch.pprof.testing.Bytes;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile inputs, built by mutating a real Go heap profile (through the generated
 * protobuf classes or at the byte level): each must fail with its own reason, a message naming the
 * record and limit, and the byte offset where it was found.
 */
class ProfileDecoderMalformedInputTest {

  private static Profile real() {
    try {
      return Profile.parseFrom(Bytes.gunzip(ProfileFixtures.largestBytes("heap")));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("fixture must parse", e);
    }
  }

  private static ProfileDecodeException rejects(byte[] input, DecodeLimits limits, Reason reason) {
    ProfileDecodeException e =
        assertThrows(ProfileDecodeException.class, () -> ProfileDecoder.decode(input, limits));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  private static ProfileDecodeException rejects(byte[] input, Reason reason) {
    return rejects(input, DecodeLimits.defaults(), reason);
  }

  private static void assertMessage(ProfileDecodeException e, String... fragments) {
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }
  }

  private static byte[] concat(byte[] a, int... tail) {
    byte[] out = Arrays.copyOf(a, a.length + tail.length);
    for (int i = 0; i < tail.length; i++) {
      out[a.length + i] = (byte) tail[i];
    }
    return out;
  }

  /** Offset of the first sample: generated code writes all sample_type fields (1) before it. */
  private static int firstSampleOffset(Profile p) {
    return p.getSampleTypeList().stream()
        .mapToInt(st -> CodedOutputStream.computeMessageSize(1, st)).sum();
  }

  // ---- gzip layer --------------------------------------------------------------------------

  @Test
  void shouldRejectTruncatedGzipWithTruncatedGzipError() {
    byte[] gz = ProfileFixtures.largestBytes("heap");
    ProfileDecodeException e = rejects(Arrays.copyOf(gz, gz.length / 2), Reason.TRUNCATED_GZIP);
    assertEquals(-1, e.offset());
    assertMessage(e, "gzip stream of " + gz.length / 2 + " bytes ends early");
  }

  @Test
  void shouldRejectCorruptGzipTrailerWithBadGzipError() {
    byte[] gz = ProfileFixtures.largestBytes("heap").clone();
    gz[gz.length - 8] ^= 0x55; // first byte of the CRC-32 in the trailer
    assertMessage(rejects(gz, Reason.BAD_GZIP), "corrupt gzip stream");
  }

  @Test
  void shouldRejectGzipBombWithDecompressedLimitError() {
    byte[] bomb = Bytes.gzip(new byte[1024 * 1024]);
    assertTrue(bomb.length < 2048, "a bomb of about 1 KB, got " + bomb.length);
    DecodeLimits limits = DecodeLimits.defaults().withMaxDecompressedBytes(256 * 1024);
    ProfileDecodeException e = rejects(bomb, limits, Reason.DECOMPRESSED_TOO_LARGE);
    assertMessage(e, "gzip stream of " + bomb.length + " bytes", "maxDecompressedBytes=262144");
  }

  @Test
  void shouldStopInflatingABombAtTheDefaultDecompressedLimit() {
    // 130 concatenated gzip members of 1 MiB of zeros each: a valid gzip stream of ~130 KB.
    byte[] member = Bytes.gzip(new byte[1024 * 1024]);
    byte[] bomb = new byte[member.length * 130];
    for (int i = 0; i < 130; i++) {
      System.arraycopy(member, 0, bomb, i * member.length, member.length);
    }
    assertMessage(rejects(bomb, Reason.DECOMPRESSED_TOO_LARGE),
        "maxDecompressedBytes=" + 128 * 1024 * 1024);
  }

  @Test
  void shouldRejectOversizedInputBeforeInflating() {
    byte[] gz = ProfileFixtures.largestBytes("heap");
    DecodeLimits limits = DecodeLimits.defaults().withMaxCompressedBytes(100);
    assertMessage(rejects(gz, limits, Reason.COMPRESSED_TOO_LARGE),
        "input of " + gz.length + " bytes", "maxCompressedBytes=100");
  }

  @Test
  void shouldRejectEmptyFileAndEmptyGzipWithEmptyInputError() {
    assertMessage(rejects(new byte[0], Reason.EMPTY_INPUT), "0 bytes");
    assertMessage(rejects(Bytes.gzip(new byte[0]), Reason.EMPTY_INPUT), "inflates to 0 bytes");
  }

  // ---- wire layer (byte mutations of the real protobuf) -------------------------------------

  @Test
  void shouldRejectTruncatedVarintAtItsOffset() {
    byte[] proto = real().toByteArray();
    // time_nanos (field 9, varint) whose varint keeps announcing more bytes and then ends
    ProfileDecodeException e = rejects(concat(proto, 0x48, 0xff, 0xff), Reason.TRUNCATED_VARINT);
    assertEquals(proto.length + 1, e.offset());
    assertMessage(e, "field 9", "runs past the end");
  }

  @Test
  void shouldRejectVarintLongerThanTenBytes() {
    byte[] proto = real().toByteArray();
    int[] tail = new int[12];
    Arrays.fill(tail, 0xff);
    tail[0] = 0x48;
    ProfileDecodeException e = rejects(concat(proto, tail), Reason.BAD_VARINT);
    assertEquals(proto.length + 1, e.offset());
  }

  @Test
  void shouldRejectGroupWireTypeAsBadWireType() {
    byte[] proto = real().toByteArray();
    ProfileDecodeException e = rejects(concat(proto, 0x0b), Reason.BAD_WIRE_TYPE);
    assertEquals(proto.length, e.offset());
    assertMessage(e, "field 1, wire type 3");
  }

  @Test
  void shouldRejectSampleEncodedAsVarintAsBadWireType() {
    byte[] proto = real().toByteArray();
    assertMessage(rejects(concat(proto, 0x10, 0x01), Reason.BAD_WIRE_TYPE),
        "field 2 has wire type 0, expected 2");
  }

  @Test
  void shouldRejectFieldLongerThanTheRestOfTheInput() {
    byte[] proto = real().toByteArray();
    ProfileDecodeException e = rejects(concat(proto, 0x12, 0x7f), Reason.TRUNCATED_FIELD);
    assertEquals(proto.length + 1, e.offset());
    assertMessage(e, "declares 127 bytes but only 0 remain");
  }

  @Test
  void shouldRejectEveryCutOfARealProfileWithATypedErrorOrDecodeAPrefix() {
    byte[] proto = real().toByteArray();
    for (int cut = 1; cut < proto.length; cut += 97) {
      byte[] part = Arrays.copyOf(proto, cut);
      try {
        ProfileDecoder.decode(part);
      } catch (ProfileDecodeException expected) {
        assertTrue(expected.offset() >= -1 && expected.offset() <= cut, expected.getMessage());
      }
    }
  }

  @Test
  void shouldNeverFailUntypedOnRandomByteFlips() {
    byte[] proto = real().toByteArray();
    java.util.Random rnd = new java.util.Random(20240601L);
    for (int round = 0; round < 300; round++) {
      byte[] bad = proto.clone();
      for (int k = 0; k < 4; k++) {
        bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
      }
      try {
        ProfileDecoder.decode(bad);
      } catch (ProfileDecodeException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
      }
    }
  }

  // ---- semantic layer (mutations through the generated classes) -----------------------------

  static Stream<Arguments> semanticDefects() {
    return Stream.of(
        Arguments.of("string index out of range", (UnaryOperator<Profile.Builder>) b ->
            b.setFunction(0, b.getFunction(0).toBuilder().setName(b.getStringTableCount() + 5)),
            Reason.STRING_INDEX_OUT_OF_RANGE, new String[] {"function 0", "name string index"}),
        Arguments.of("location id that resolves to nothing", (UnaryOperator<Profile.Builder>) b ->
            b.setSample(0, b.getSample(0).toBuilder().setLocationId(0, 987654321L)),
            Reason.UNRESOLVED_LOCATION, new String[] {"sample 0", "location id 987654321"}),
        Arguments.of("line naming a missing function", (UnaryOperator<Profile.Builder>) b ->
            b.setLocation(0, b.getLocation(0).toBuilder()
                .setLine(0, b.getLocation(0).getLine(0).toBuilder().setFunctionId(987654321L))),
            Reason.UNRESOLVED_FUNCTION, new String[] {"location 0", "function id 987654321"}),
        Arguments.of("location naming a missing mapping", (UnaryOperator<Profile.Builder>) b ->
            b.setLocation(0, b.getLocation(0).toBuilder().setMappingId(987654321L)),
            Reason.UNRESOLVED_MAPPING, new String[] {"location 0", "mapping id 987654321"}),
        Arguments.of("two functions with one id", (UnaryOperator<Profile.Builder>) b ->
            b.setFunction(1, b.getFunction(1).toBuilder().setId(b.getFunction(0).getId())),
            Reason.DUPLICATE_ID, new String[] {"function 1", "used by an earlier function"}),
        Arguments.of("location with id 0", (UnaryOperator<Profile.Builder>) b ->
            b.setLocation(0, b.getLocation(0).toBuilder().setId(0)),
            Reason.ZERO_ID, new String[] {"location 0", "id is 0"}),
        Arguments.of("extra value", (UnaryOperator<Profile.Builder>) b ->
            b.setSample(3, b.getSample(3).toBuilder().addValue(7)),
            Reason.VALUE_COUNT_MISMATCH, new String[] {"sample 3", "5 values for 4 sample types"}),
        Arguments.of("string 0 not empty", (UnaryOperator<Profile.Builder>) b ->
            b.setStringTable(0, "oops"),
            Reason.BAD_STRING_TABLE, new String[] {"entry 0 must be empty but is 'oops'"}),
        Arguments.of("no string table", (UnaryOperator<Profile.Builder>) b ->
            b.clearStringTable(),
            Reason.BAD_STRING_TABLE, new String[] {"no string table"}),
        Arguments.of("no sample types", (UnaryOperator<Profile.Builder>) b ->
            b.clearSampleType().clearSample(),
            Reason.NO_SAMPLE_TYPES, new String[] {"no sample types"}),
        Arguments.of("default type that is no sample type", (UnaryOperator<Profile.Builder>) b ->
            b.setDefaultSampleType(b.getFunction(0).getName()),
            Reason.BAD_DEFAULT_SAMPLE_TYPE, new String[] {"default_sample_type '"}),
        Arguments.of("string longer than 64 KiB", (UnaryOperator<Profile.Builder>) b ->
            b.addStringTable("x".repeat(64 * 1024 + 1)),
            Reason.STRING_TOO_LONG, new String[] {"65537 bytes", "maxStringBytes=65536"}),
        Arguments.of("10,000-frame stack", (UnaryOperator<Profile.Builder>) b ->
            b.addSample(Sample.newBuilder().addAllValue(b.getSample(0).getValueList())
                .addAllLocationId(java.util.Collections.nCopies(10_000, b.getLocation(0).getId()))),
            Reason.STACK_TOO_DEEP, new String[] {"sample ", "maxStackDepth=1024"}),
        Arguments.of("1,025 labels on a sample", (UnaryOperator<Profile.Builder>) b ->
            b.setSample(0, b.getSample(0).toBuilder().addAllLabel(java.util.Collections.nCopies(
                1025, Label.newBuilder().setKey(1).setNum(1).build()))),
            Reason.TOO_MANY_LABELS, new String[] {"sample 0", "maxLabelsPerSample=1024"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("semanticDefects")
  void shouldRejectSemanticDefectWithItsReasonAndRecord(
      String name, UnaryOperator<Profile.Builder> defect, Reason reason, String[] fragments) {
    byte[] bytes = defect.apply(real().toBuilder()).build().toByteArray();
    assertMessage(rejects(bytes, reason), fragments);
    // The same defect behind gzip fails the same way.
    assertEquals(reason, assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(Bytes.gzip(bytes))).reason());
  }

  @Test
  void shouldReportTheSampleOffsetOfAnUnresolvedLocation() {
    Profile p = real();
    int badSample = 2;
    Profile.Builder b = p.toBuilder();
    b.setSample(badSample, b.getSample(badSample).toBuilder().setLocationId(0, 987654321L));
    int expected = firstSampleOffset(p);
    for (int i = 0; i < badSample; i++) {
      expected += CodedOutputStream.computeMessageSize(2, p.getSample(i));
    }
    ProfileDecodeException e = rejects(b.build().toByteArray(), Reason.UNRESOLVED_LOCATION);
    assertEquals(expected, e.offset());
    assertMessage(e, "sample 2 (offset " + expected + ")");
  }

  @Test
  void shouldCountInlinedFramesAgainstTheStackDepthLimit() {
    Profile p = real();
    long newId = p.getLocationList().stream().mapToLong(Location::getId).max().orElseThrow() + 1;
    long fn = p.getFunction(0).getId();
    Location twoLines = Location.newBuilder().setId(newId)
        .addLine(Line.newBuilder().setFunctionId(fn).setLine(10))
        .addLine(Line.newBuilder().setFunctionId(fn).setLine(20))
        .build();
    // 600 locations (within the limit) that expand to 1,200 frames (beyond it)
    Profile.Builder b = p.toBuilder().addLocation(twoLines)
        .addSample(Sample.newBuilder().addAllValue(p.getSample(0).getValueList())
            .addAllLocationId(java.util.Collections.nCopies(600, newId)));
    assertMessage(rejects(b.build().toByteArray(), Reason.STACK_TOO_DEEP),
        "sample " + p.getSampleCount(), "stack depth 1200 frames", "maxStackDepth=1024");
  }

  static Stream<Arguments> countLimits() {
    return Stream.of(
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxSamples(3),
            Reason.TOO_MANY_SAMPLES, "maxSamples=3"),
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxLocations(3),
            Reason.TOO_MANY_LOCATIONS, "maxLocations=3"),
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxFunctions(3),
            Reason.TOO_MANY_FUNCTIONS, "maxFunctions=3"),
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxStrings(3),
            Reason.TOO_MANY_STRINGS, "maxStrings=3"),
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxStackDepth(2),
            Reason.STACK_TOO_DEEP, "maxStackDepth=2"),
        // Go's strings are short: one within the string table breaks this limit
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxStringBytes(4),
            Reason.STRING_TOO_LONG, "maxStringBytes=4"),
        // the per-table and per-record limits alone admit 10^9 lines and labels
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxLines(3),
            Reason.TOO_MANY_LINES, "line count exceeds limit maxLines=3"),
        // Go gives each heap sample a numeric "bytes" label
        Arguments.of((UnaryOperator<DecodeLimits>) l -> l.withMaxLabels(3),
            Reason.TOO_MANY_LABELS, "label count of all samples exceeds limit maxLabels=3"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("countLimits")
  void shouldStopAtTheFirstRecordBeyondACountLimit(
      UnaryOperator<DecodeLimits> limit, Reason reason, String named) {
    byte[] gz = ProfileFixtures.largestBytes("heap");
    assertMessage(rejects(gz, limit.apply(DecodeLimits.defaults()), reason), named);
  }

  @Test
  void shouldCountCommentsAgainstTheStringLimitWhenPacked() {
    Profile p = real();
    int max = p.getStringTableCount();
    Profile.Builder b = p.toBuilder();
    for (int i = 0; i <= max; i++) {
      b.addComment(0);
    }
    assertMessage(rejects(b.build().toByteArray(), DecodeLimits.defaults().withMaxStrings(max),
        Reason.TOO_MANY_STRINGS), "comment count exceeds limit maxStrings=" + max);
  }

  @Test
  void shouldCountCommentsAgainstTheStringLimitWhenUnpacked() {
    Profile p = real();
    int max = p.getStringTableCount();
    int[] comments = new int[2 * (max + 1)];
    for (int i = 0; i < comments.length; i += 2) {
      comments[i] = 13 << 3; // field 13 (comment), one varint per tag
    }
    assertMessage(rejects(concat(p.toByteArray(), comments),
        DecodeLimits.defaults().withMaxStrings(max), Reason.TOO_MANY_STRINGS),
        "comment count exceeds limit maxStrings=" + max);
  }

  @Test
  void shouldCountSampleTypesAgainstTheStringLimit() {
    Profile p = real();
    int max = p.getStringTableCount();
    // no samples, so no sample's value count gives the excess away
    Profile.Builder b = p.toBuilder().clearSample();
    while (b.getSampleTypeCount() <= max) {
      b.addSampleType(p.getSampleType(0));
    }
    assertMessage(rejects(b.build().toByteArray(), DecodeLimits.defaults().withMaxStrings(max),
        Reason.TOO_MANY_STRINGS), "sample type count exceeds limit maxStrings=" + max);
  }

  // ---- valid edge cases ---------------------------------------------------------------------

  @Test
  void shouldAcceptProfileWithoutSamplesAsValidAndEmpty() {
    Profile p = real();
    var decoded = ProfileDecoder.decode(p.toBuilder().clearSample().build().toByteArray());
    assertTrue(decoded.samples().isEmpty());
    assertEquals(p.getSampleTypeCount(), decoded.sampleTypes().size());
    assertEquals(0, decoded.totalValue(decoded.defaultSampleIndex()));
  }

  @Test
  void shouldDecodeUnpackedRepeatedFieldsLikePackedOnes() throws Exception {
    Profile p = real();
    byte[] unpacked = UnpackedEncoder.encode(p);
    assertTrue(unpacked.length > p.getSerializedSize(), "unpacked encoding is longer");
    assertEquals(ProfileDecoder.decode(p.toByteArray()), ProfileDecoder.decode(unpacked));
  }

  @Test
  void shouldSkipUnknownFields() {
    byte[] proto = real().toByteArray();
    // field 100 (varint) and field 101 (fixed32): unknown to the format, skipped
    byte[] extended = concat(proto, 0xa0, 0x06, 0x2a, 0xad, 0x06, 1, 2, 3, 4);
    assertEquals(ProfileDecoder.decode(proto), ProfileDecoder.decode(extended));
  }

  @Test
  void shouldKeepSampleTypesInTheirOrder() {
    Profile p = real();
    var decoded = ProfileDecoder.decode(p.toByteArray());
    for (int i = 0; i < p.getSampleTypeCount(); i++) {
      ValueType st = p.getSampleType(i);
      assertEquals(p.getStringTable((int) st.getType()), decoded.sampleTypes().get(i).type());
    }
  }
}
