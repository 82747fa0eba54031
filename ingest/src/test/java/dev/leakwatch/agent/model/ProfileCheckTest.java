package dev.leakwatch.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.Fixtures;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The check every scraped or pushed body passes before it is published, on recorded Go bodies. */
class ProfileCheckTest {
  private final byte[] heap = Fixtures.typicalHeap();

  private static String rejected(byte[] body) {
    Optional<String> r = ProfileCheck.rejection(body);
    assertTrue(r.isPresent(), "a body of " + body.length + " bytes passed the check");
    return r.get();
  }

  @Test
  void shouldAcceptARecordedGoProfileWhole() {
    assertEquals(Optional.empty(), ProfileCheck.rejection(heap));
  }

  @Test
  void shouldRejectAGzipProfileCutOffPastTheFirstKilobytesItInflatesTo() {
    String why = rejected(Arrays.copyOf(heap, heap.length / 2));
    assertTrue(why.startsWith("gzip stream is truncated: it ends after " + heap.length / 2 + " bytes"), why);
  }

  @Test
  void shouldRejectAGzipProfileThatLacksOnlyItsTrailer() {
    String why = rejected(Arrays.copyOf(heap, heap.length - 8));
    assertTrue(why.startsWith("gzip stream is truncated"), why);
  }

  @Test
  void shouldRejectAGzipProfileWhoseChecksumDoesNotMatch() {
    byte[] corrupt = heap.clone();
    corrupt[corrupt.length - 8] ^= 0x5a; // first byte of the trailer's CRC-32
    String why = rejected(corrupt);
    assertTrue(why.startsWith("corrupt gzip stream after "), why);
  }
}
