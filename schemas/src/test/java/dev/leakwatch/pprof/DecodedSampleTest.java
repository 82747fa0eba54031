package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import dev.leakwatch.pprof.proto.Label;
import dev.leakwatch.pprof.testing.Bytes;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Decoded samples are views over arrays shared by the whole profile, and Go-layout samples are read
 * by a fast path: both must be invisible. Each test re-encodes a real Go profile in a way that
 * takes another path (unknown fields, long or sparse ids) and expects the same decoded profile, or
 * checks that a slice never shows its neighbours.
 */
class DecodedSampleTest {

  /** The largest recorded Go profile of {@code type}, parsed by protobuf's own reader. */
  static dev.leakwatch.pprof.proto.Profile real(String type) {
    try {
      return dev.leakwatch.pprof.proto.Profile.parseFrom(
          Bytes.gunzip(ProfileFixtures.largestBytes(type)));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("fixture must parse", e);
    }
  }

  /** Stacks as frame lists, values and labels: what a renumbering of ids must not change. */
  static List<String> content(Profile p) {
    return p.samples().stream()
        .map(s -> s.stack() + " " + java.util.Arrays.toString(s.values()) + " " + s.labels()
            + " " + s.numLabels() + " " + s.numUnits())
        .toList();
  }

  /** The profile with every location id (and every reference to one) mapped through {@code f}. */
  static dev.leakwatch.pprof.proto.Profile.Builder renumbered(
      dev.leakwatch.pprof.proto.Profile p, LongUnaryOperator f) {
    dev.leakwatch.pprof.proto.Profile.Builder b = p.toBuilder();
    for (int i = 0; i < b.getLocationCount(); i++) {
      b.setLocation(i, b.getLocation(i).toBuilder().setId(f.applyAsLong(b.getLocation(i).getId())));
    }
    for (int i = 0; i < b.getSampleCount(); i++) {
      dev.leakwatch.pprof.proto.Sample.Builder s = b.getSample(i).toBuilder();
      for (int j = 0; j < s.getLocationIdCount(); j++) {
        s.setLocationId(j, f.applyAsLong(s.getLocationId(j)));
      }
      b.setSample(i, s);
    }
    return b;
  }

  @Test
  void shouldDecodeSamplesWithUnknownFieldsLikeGoLayoutOnes() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    dev.leakwatch.pprof.proto.Profile.Builder b = p.toBuilder();
    UnknownFieldSet extra = UnknownFieldSet.newBuilder()
        .addField(100, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
        .build();
    for (int i = 0; i < b.getSampleCount(); i++) {
      b.setSample(i, b.getSample(i).toBuilder().setUnknownFields(extra));
    }
    assertEquals(ProfileDecoder.decode(p.toByteArray()), ProfileDecoder.decode(b.build().toByteArray()));
  }

  /** {@code b} with an unknown varint field added to sample {@code i}: the general reader's path. */
  private static dev.leakwatch.pprof.proto.Profile.Builder withUnknownField(
      dev.leakwatch.pprof.proto.Profile.Builder b, int i) {
    UnknownFieldSet extra = UnknownFieldSet.newBuilder()
        .addField(100, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
        .build();
    return b.setSample(i, b.getSample(i).toBuilder().setUnknownFields(extra));
  }

  private static ProfileDecodeException decodeFailure(dev.leakwatch.pprof.proto.Profile.Builder b) {
    return assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(b.build().toByteArray()));
  }

  @Test
  void shouldDecodeAProfileWhoseLastSampleIsNotGoLayoutLikeAnAllGoOne() {
    // every sample but the last is read in the first pass before the reader has to give up
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    Profile mixed = ProfileDecoder.decode(
        withUnknownField(p.toBuilder(), p.getSampleCount() - 1).build().toByteArray());
    Profile go = ProfileDecoder.decode(p.toByteArray());
    assertEquals(go, mixed);
    assertEquals(content(go), content(mixed));
  }

  @Test
  void shouldReportAnUnresolvedLocationIdInTheMiddleOfAStackAlikeOnBothPaths() {
    dev.leakwatch.pprof.proto.Profile.Builder b = real("heap").toBuilder();
    dev.leakwatch.pprof.proto.Sample s = b.getSample(3);
    assertTrue(s.getLocationIdCount() >= 3, "fixture sample 3 needs a stack of 3 or more");
    b.setSample(3, s.toBuilder().setLocationId(2, 9_999));
    ProfileDecodeException go = decodeFailure(b);
    // the last sample leaves the Go layout, so every sample takes the general path; offsets stay
    ProfileDecodeException general = decodeFailure(withUnknownField(b, b.getSampleCount() - 1));
    assertEquals(Reason.UNRESOLVED_LOCATION, go.reason());
    assertTrue(go.getMessage().contains("location id 9999 (stack position 2)"), go.getMessage());
    assertEquals(general.getMessage(), go.getMessage());
    assertEquals(general.offset(), go.offset());
  }

  @Test
  void shouldReportALabelStringIndexOutOfRangeAlikeOnBothPaths() {
    dev.leakwatch.pprof.proto.Profile.Builder b = real("heap").toBuilder();
    int strings = b.getStringTableCount();
    b.setSample(5, b.getSample(5).toBuilder().clearLabel()
        .addLabel(Label.newBuilder().setKey(1).setNum(8).setNumUnit(strings)));
    ProfileDecodeException go = decodeFailure(b);
    // the last sample leaves the Go layout, so every sample takes the general path; offsets stay
    ProfileDecodeException general = decodeFailure(withUnknownField(b, b.getSampleCount() - 1));
    assertEquals(Reason.STRING_INDEX_OUT_OF_RANGE, go.reason());
    assertTrue(go.getMessage().startsWith("sample 5 "), go.getMessage());
    assertTrue(go.getMessage().contains("label num_unit string index " + strings), go.getMessage());
    assertEquals(general.getMessage(), go.getMessage());
    assertEquals(general.offset(), go.offset());
  }

  @Test
  void shouldDecodeLocationIdsLongerThanTwoBytesLikeShortOnes() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    // ids from 2^14 up (three-byte varints), kept dense by unused filler locations 1..4000
    dev.leakwatch.pprof.proto.Profile.Builder b = renumbered(p, id -> id + (1 << 14));
    for (int id = 1; id <= 4000; id++) {
      b.addLocation(dev.leakwatch.pprof.proto.Location.newBuilder().setId(id).setAddress(id));
    }
    Profile decoded = ProfileDecoder.decode(b.build().toByteArray());
    assertEquals(content(ProfileDecoder.decode(p.toByteArray())), content(decoded));
    assertTrue(decoded.samples().stream().flatMap(s -> s.locations().stream())
        .allMatch(l -> l.id() > 1 << 14));
  }

  @Test
  void shouldDecodeDenseLocationIdsBeyondSixteenBitsLikeSmallOnes() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    // ids past 2^16, which the first pass does not keep: dense through filler locations 1..70000
    int shift = 70_000;
    dev.leakwatch.pprof.proto.Profile.Builder b = renumbered(p, id -> id + shift);
    for (int id = 1; id <= shift; id++) {
      b.addLocation(dev.leakwatch.pprof.proto.Location.newBuilder().setId(id).setAddress(id));
    }
    Profile decoded = ProfileDecoder.decode(b.build().toByteArray());
    assertEquals(content(ProfileDecoder.decode(p.toByteArray())), content(decoded));
    assertTrue(decoded.samples().stream().flatMap(s -> s.locations().stream())
        .allMatch(l -> l.id() > shift));
  }

  @Test
  void shouldDecodeSparseLocationIdsLikeDenseOnes() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    byte[] sparse = renumbered(p, id -> id * 1_000_003L).build().toByteArray();
    assertEquals(content(ProfileDecoder.decode(p.toByteArray())),
        content(ProfileDecoder.decode(sparse)));
  }

  @Test
  void shouldDecodeUnpackedSingleIdsAndValuesLikePackedOnes() throws Exception {
    // Go writes repeated fields of one or two elements unpacked: a goroutine profile's value
    dev.leakwatch.pprof.proto.Profile p = real("goroutine");
    assertEquals(ProfileDecoder.decode(p.toByteArray()),
        ProfileDecoder.decode(UnpackedEncoder.encode(p)));
  }

  @Test
  void shouldRejectAnUnpackedLocationIdBeyondTwoToThe63() throws Exception {
    dev.leakwatch.pprof.proto.Profile.Builder b = real("heap").toBuilder();
    b.setSample(2, b.getSample(2).toBuilder().clearLocationId().addLocationId(-1L));
    ProfileDecodeException e = assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(UnpackedEncoder.encode(b.build())));
    assertEquals(Reason.UNRESOLVED_LOCATION, e.reason());
    assertTrue(e.getMessage().startsWith("sample 2 "), e.getMessage());
    assertTrue(e.getMessage().contains("location id 18446744073709551615 (stack position 0)"),
        e.getMessage());
  }

  @Test
  void shouldAcceptExactlyTheLabelLimitAndRejectOneMore() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    DecodeLimits oneLabel = DecodeLimits.defaults().withMaxLabelsPerSample(1);
    // Go labels a heap sample with its object size, at most once
    assertEquals(1, p.getSampleList().stream().mapToInt(s -> s.getLabelCount()).max().orElse(0));
    assertEquals(p.getSampleCount(),
        ProfileDecoder.decode(p.toByteArray(), oneLabel).samples().size());
    int labeled = java.util.stream.IntStream.range(0, p.getSampleCount())
        .filter(i -> p.getSample(i).getLabelCount() == 1).skip(3).findFirst().orElseThrow();
    dev.leakwatch.pprof.proto.Profile.Builder b = p.toBuilder();
    b.setSample(labeled,
        b.getSample(labeled).toBuilder().addLabel(Label.newBuilder().setKey(1).setNum(2)));
    ProfileDecodeException e = assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(b.build().toByteArray(), oneLabel));
    assertEquals(Reason.TOO_MANY_LABELS, e.reason());
    assertTrue(e.getMessage().startsWith("sample " + labeled + " "), e.getMessage());
  }

  @Test
  void shouldEqualSamplesBuiltThroughThePublicConstructor() {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    for (Sample s : p.samples()) {
      Sample rebuilt = new Sample(s.values(), s.locations(), s.labels(), s.numLabels(),
          s.numUnits());
      assertEquals(s, rebuilt);
      assertEquals(rebuilt, s);
      assertEquals(rebuilt.hashCode(), s.hashCode());
      assertEquals(rebuilt.stack(), s.stack());
      assertEquals(rebuilt.depth(), s.depth());
    }
    Sample first = p.samples().get(0);
    Sample second = p.samples().get(1);
    assertNotEquals(first, second);
  }

  @Test
  void shouldNeverShowTheNeighbouringSamplesValuesOrStack() {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    Sample s = p.samples().get(1);
    int n = p.sampleTypes().size();
    assertEquals(n, s.valueCount());
    assertEquals(n, s.values().length);
    assertThrows(IndexOutOfBoundsException.class, () -> s.value(n));
    assertThrows(IndexOutOfBoundsException.class, () -> s.value(-1));
    List<Location> stack = s.locations();
    assertThrows(IndexOutOfBoundsException.class, () -> stack.get(stack.size()));
    assertThrows(IndexOutOfBoundsException.class, () -> stack.get(-1));
    assertEquals(stack.size(), stack.toArray().length);
  }

  @Test
  void shouldHandOutCopiesOrUnmodifiableViews() {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    Sample s = p.samples().get(0);
    long before = s.value(0);
    s.values()[0] = before + 1;
    assertEquals(before, s.value(0));
    assertThrows(UnsupportedOperationException.class, () -> s.locations().set(0, null));
    assertThrows(UnsupportedOperationException.class, () -> s.stack().add(s.stack().get(0)));
    assertThrows(UnsupportedOperationException.class, () -> s.numLabels().put("x", List.of()));
  }

  @Test
  void shouldShareFramesBetweenSamplesThroughTheirLocations() {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    for (Sample s : p.samples()) {
      int k = 0;
      for (Location l : s.locations()) {
        for (Frame f : l.frames()) {
          assertSame(f, s.stack().get(k++));
        }
      }
      assertEquals(s.depth(), k);
    }
  }

  @Test
  void shouldGiveEachStackEntryByPositionAsTheLocationListDoes() throws Exception {
    for (String type : List.of("heap", "goroutine")) {
      Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes(type));
      for (Sample s : p.samples()) {
        assertEquals(s.locations().size(), s.locationCount());
        for (int k = 0; k < s.locationCount(); k++) {
          assertSame(s.locations().get(k), s.location(k));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> s.location(s.locationCount()));
        assertThrows(IndexOutOfBoundsException.class, () -> s.location(-1));
      }
    }
    Location only = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap")).locations().get(0);
    Sample built = new Sample(new long[] {1}, List.of(only), java.util.Map.of(), java.util.Map.of(),
        java.util.Map.of());
    assertEquals(1, built.locationCount());
    assertSame(only, built.location(0));
  }
}
