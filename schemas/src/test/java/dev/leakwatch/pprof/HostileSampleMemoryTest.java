package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sample bound to fail (more values than sample types, more locations than the depth limit) is
 * reported as such without the decoder first storing every element of it, or of the many like it
 * that follow: each packed element is one input byte but eight bytes of memory, so storing them
 * would let a small gzip'd input exhaust the heap before the first sample is judged.
 */
class HostileSampleMemoryTest {

  private static final int VALUES = 2 << 3 | 2;
  private static final int LOCATION_IDS = 1 << 3 | 2;
  private static final int INPUT_BYTES = 8 << 20;

  /** One sample type, then samples of one packed field each, {@code fieldBytes} long. */
  private static byte[] profile(int fieldTag, int fieldBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(INPUT_BYTES + 64);
    out.writeBytes(new byte[] {0x0a, 0x04, 0x08, 0x01, 0x10, 0x01}); // sample_type {1, 1}
    byte[] elements = new byte[fieldBytes];
    java.util.Arrays.fill(elements, (byte) 1); // a varint 1: a value, or location id 1
    byte[] field = field(fieldTag, elements);
    byte[] sample = field(2 << 3 | 2, field);
    while (out.size() + sample.length < INPUT_BYTES) {
      out.writeBytes(sample);
    }
    out.writeBytes(new byte[] {0x32, 0x00, 0x32, 0x01, 'x'}); // string table "", "x"
    return out.toByteArray();
  }

  private static byte[] field(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    for (int v = content.length; ; v >>>= 7) {
      if (v < 0x80) {
        out.write(v);
        break;
      }
      out.write(v & 0x7f | 0x80);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static Stream<Arguments> hostileSamples() {
    return Stream.of(
        // samples small enough for the first pass's flat reading, as Go lays them out
        Arguments.of("many samples of 4000 values", profile(VALUES, 4000),
            Reason.VALUE_COUNT_MISMATCH, "4000 values for 1 sample types"),
        Arguments.of("many samples of 4000 locations", profile(LOCATION_IDS, 4000),
            Reason.STACK_TOO_DEEP, "stack of 4000 locations exceeds limit maxStackDepth=1024"),
        // one sample as big as the input: only the general reader takes it
        Arguments.of("one sample of millions of values", profile(VALUES, INPUT_BYTES - 64),
            Reason.VALUE_COUNT_MISMATCH, (INPUT_BYTES - 64) + " values for 1 sample types"),
        Arguments.of("one sample of millions of locations", profile(LOCATION_IDS, INPUT_BYTES - 64),
            Reason.STACK_TOO_DEEP, "stack of " + (INPUT_BYTES - 64) + " locations exceeds"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileSamples")
  void shouldRejectTheFirstHostileSampleWithoutStoringItsElements(String name, byte[] input,
      Reason reason, String message) {
    ProfileDecoder.decode(ProfileFixtures.largestBytes("heap")); // classes loaded, scratch made
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();

    ProfileDecodeException e =
        assertThrows(ProfileDecodeException.class, () -> ProfileDecoder.decode(input));

    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().startsWith("sample 0 (offset 6): "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    // the scratch tables sized by the input take under 2x; storing the elements took 7x to 25x
    assertTrue(allocated < 4L * input.length,
        "decoding " + input.length + " bytes allocated " + allocated + " bytes");
  }
}
