package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.DecodedSampleTest.content;
import static dev.leakwatch.pprof.DecodedSampleTest.real;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import dev.leakwatch.pprof.proto.Label;
import dev.leakwatch.pprof.testing.Bytes;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Go writes a heap or allocs sample's values before its location ids, and the decoder reads that
 * layout on a path of its own. Protobuf's Java encoder writes fields in number order (ids first),
 * which the decoder reads on another path: the same profile in both orders must decode alike, and
 * so must Go-order samples that leave the fixed layout (long varints, long ids, long stacks, string
 * labels, units), for valid input and for errors.
 */
class GoOrderSampleTest {

  /**
   * {@code p} with its samples written as Go writes them: packed values, then packed location ids,
   * then labels; sample types before the samples, the other fields after them.
   */
  private static byte[] goOrder(dev.leakwatch.pprof.proto.Profile p) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      for (dev.leakwatch.pprof.proto.ValueType t : p.getSampleTypeList()) {
        out.writeMessage(1, t);
      }
      for (dev.leakwatch.pprof.proto.Sample s : p.getSampleList()) {
        out.writeByteArray(2, goOrderSample(s));
      }
      p.toBuilder().clearSampleType().clearSample().build().writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] goOrderSample(dev.leakwatch.pprof.proto.Sample s) throws IOException {
    ByteArrayOutputStream values = new ByteArrayOutputStream();
    CodedOutputStream v = CodedOutputStream.newInstance(values);
    for (long x : s.getValueList()) {
      v.writeInt64NoTag(x);
    }
    v.flush();
    ByteArrayOutputStream ids = new ByteArrayOutputStream();
    CodedOutputStream i = CodedOutputStream.newInstance(ids);
    for (long x : s.getLocationIdList()) {
      i.writeUInt64NoTag(x);
    }
    i.flush();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(2, values.toByteArray());
    out.writeByteArray(1, ids.toByteArray());
    for (Label l : s.getLabelList()) {
      out.writeMessage(3, l);
    }
    out.flush();
    return bytes.toByteArray();
  }

  /** {@code p} with sample {@code i} changed by {@code change}. */
  private static dev.leakwatch.pprof.proto.Profile withSample(dev.leakwatch.pprof.proto.Profile p,
      int i, Function<dev.leakwatch.pprof.proto.Sample.Builder,
          dev.leakwatch.pprof.proto.Sample.Builder> change) {
    return p.toBuilder().setSample(i, change.apply(p.getSample(i).toBuilder())).build();
  }

  private static void assertDecodesAlikeInBothOrders(dev.leakwatch.pprof.proto.Profile p) {
    Profile fieldOrder = ProfileDecoder.decode(p.toByteArray());
    Profile goOrder = ProfileDecoder.decode(goOrder(p));
    assertEquals(fieldOrder, goOrder);
    assertEquals(content(fieldOrder), content(goOrder));
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "allocs"})
  void shouldDecodeGoWrittenProfilesLikeTheirFieldOrderReencoding(String type) {
    byte[] written = Bytes.gunzip(ProfileFixtures.largestBytes(type));
    dev.leakwatch.pprof.proto.Profile p = real(type);
    Profile asWritten = ProfileDecoder.decode(written);
    Profile fieldOrder = ProfileDecoder.decode(p.toByteArray());
    assertEquals(p.getSampleCount(), asWritten.samples().size());
    assertEquals(fieldOrder, asWritten);
    assertEquals(content(fieldOrder), content(asWritten));
  }

  @Test
  void shouldDecodeGoOrderSamplesLikeFieldOrderOnes() {
    assertDecodesAlikeInBothOrders(real("heap"));
  }

  @Test
  void shouldDecodeGoOrderSamplesWithVarintsOfNineAndTenBytes() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    // 2^62 takes nine bytes, a negative value ten
    p = withSample(p, 0, s -> s.setValue(0, 1L << 62));
    p = withSample(p, 1, s -> s.setValue(1, -5));
    assertDecodesAlikeInBothOrders(p);
  }

  @Test
  void shouldDecodeGoOrderSamplesWithLocationIdsOfThreeBytes() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    long old = p.getSample(0).getLocationId(0);
    long wide = 1 << 20;
    dev.leakwatch.pprof.proto.Profile.Builder b = p.toBuilder();
    for (int i = 0; i < b.getLocationCount(); i++) {
      if (b.getLocation(i).getId() == old) {
        b.setLocation(i, b.getLocation(i).toBuilder().setId(wide));
      }
    }
    for (int i = 0; i < b.getSampleCount(); i++) {
      dev.leakwatch.pprof.proto.Sample.Builder s = b.getSample(i).toBuilder();
      for (int j = 0; j < s.getLocationIdCount(); j++) {
        if (s.getLocationId(j) == old) {
          s.setLocationId(j, wide);
        }
      }
      b.setSample(i, s);
    }
    assertDecodesAlikeInBothOrders(b.build());
  }

  @Test
  void shouldDecodeAGoOrderStackLongerThanAOneByteLength() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    List<Long> ids = p.getSample(0).getLocationIdList();
    // the stack repeated until its packed ids take more than 127 bytes
    p = withSample(p, 0, s -> {
      for (int k = 0; k < 10; k++) {
        s.addAllLocationId(ids);
      }
      return s;
    });
    assertTrue(p.getSample(0).getLocationIdCount() > 127);
    assertDecodesAlikeInBothOrders(p);
  }

  @Test
  void shouldDecodeGoOrderSamplesWithStringLabelsUnitsAndSeveralLabels() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    int strings = p.getStringTableCount();
    p = withSample(p, 0, s -> s.addLabel(Label.newBuilder().setKey(1).setStr(2)));
    p = withSample(p, 1, s -> s.clearLabel().addLabel(Label.newBuilder().setKey(1).setNum(9)
        .setNumUnit(strings - 1)));
    p = withSample(p, 2, s -> s.addLabel(Label.newBuilder().setKey(strings - 1).setNum(300)));
    assertDecodesAlikeInBothOrders(p);
  }

  @Test
  void shouldReportAZeroLocationIdInGoOrderAsInFieldOrder() {
    dev.leakwatch.pprof.proto.Profile p = withSample(real("heap"), 2, s -> s.setLocationId(1, 0));
    ProfileDecodeException fieldOrder = assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(p.toByteArray()));
    ProfileDecodeException goOrder = assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(goOrder(p)));
    assertEquals(Reason.UNRESOLVED_LOCATION, goOrder.reason());
    assertTrue(goOrder.getMessage().startsWith("sample 2 "), goOrder.getMessage());
    assertTrue(goOrder.getMessage().contains("location id 0 (stack position 1)"),
        goOrder.getMessage());
    assertEquals(fieldOrder.reason(), goOrder.reason());
  }

  /** The real heap profile cut down to locations 1..99 and the samples that use only those. */
  private static dev.leakwatch.pprof.proto.Profile smallTable() {
    dev.leakwatch.pprof.proto.Profile p = real("heap");
    dev.leakwatch.pprof.proto.Profile.Builder b = p.toBuilder().clearSample().clearLocation();
    p.getLocationList().stream().filter(l -> l.getId() < 100).forEach(b::addLocation);
    p.getSampleList().stream()
        .filter(s -> s.getLocationIdList().stream().allMatch(id -> id < 100))
        .forEach(b::addSample);
    return b.build();
  }

  @Test
  void shouldDecodeGoOrderSamplesOverASmallLocationTable() {
    dev.leakwatch.pprof.proto.Profile p = smallTable();
    assertTrue(p.getSampleCount() > 10, "samples left: " + p.getSampleCount());
    assertDecodesAlikeInBothOrders(p);
  }

  @Test
  void shouldReportAnIdJustPastASmallLocationTableInGoOrder() {
    dev.leakwatch.pprof.proto.Profile small = smallTable();
    long past = small.getLocationList().stream().mapToLong(l -> l.getId()).max().orElseThrow() + 1;
    dev.leakwatch.pprof.proto.Profile p = withSample(small, 4, s -> s.setLocationId(0, past));
    ProfileDecodeException e = assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(goOrder(p)));
    assertEquals(Reason.UNRESOLVED_LOCATION, e.reason());
    assertTrue(e.getMessage().startsWith("sample 4 "), e.getMessage());
    assertTrue(e.getMessage().contains("location id " + past + " (stack position 0)"),
        e.getMessage());
  }

  @Test
  void shouldApplyTheLabelLimitToGoOrderSamples() {
    dev.leakwatch.pprof.proto.Profile p = withSample(real("heap"), 3,
        s -> s.addLabel(Label.newBuilder().setKey(1).setNum(2)));
    DecodeLimits oneLabel = DecodeLimits.defaults().withMaxLabelsPerSample(1);
    ProfileDecodeException e = assertThrows(ProfileDecodeException.class,
        () -> ProfileDecoder.decode(goOrder(p), oneLabel));
    assertEquals(Reason.TOO_MANY_LABELS, e.reason());
    assertTrue(e.getMessage().startsWith("sample 3 "), e.getMessage());
  }
}
