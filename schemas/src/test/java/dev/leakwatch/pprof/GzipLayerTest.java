package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import dev.leakwatch.pprof.testing.Bytes;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The gzip layer as Go serves it and as it may arrive otherwise: a real Go profile must decode to
 * the same profile whether its gzip stream is the plain single member Go writes, carries optional
 * header fields, is split into several members or has trailing bytes; a damaged trailer is
 * reported, not trusted; decoding on many threads at once gives every thread the same result.
 */
class GzipLayerTest {
  private static final byte[] GZ = ProfileFixtures.largestBytes("heap");
  private static final byte[] PROTO = Bytes.gunzip(GZ);

  private static Profile expected() {
    return ProfileDecoder.decode(PROTO);
  }

  @Test
  void shouldDecodeGoSingleMemberGzipLikeThePlainProtobuf() {
    assertEquals(0, GZ[3], "Go writes no optional header fields");
    assertEquals(expected(), ProfileDecoder.decode(GZ));
  }

  @Test
  void shouldDecodeMemberWithFileNameInHeader() {
    byte[] name = "heap.pb\0".getBytes(StandardCharsets.ISO_8859_1);
    byte[] gz = new byte[GZ.length + name.length];
    System.arraycopy(GZ, 0, gz, 0, 10);
    gz[3] = 8; // FNAME
    System.arraycopy(name, 0, gz, 10, name.length);
    System.arraycopy(GZ, 10, gz, 10 + name.length, GZ.length - 10);
    assertEquals(expected(), ProfileDecoder.decode(gz));
  }

  @Test
  void shouldDecodeProfileSplitAcrossTwoGzipMembers() {
    byte[] first = Bytes.gzip(Arrays.copyOf(PROTO, PROTO.length / 2));
    byte[] second = Bytes.gzip(Arrays.copyOfRange(PROTO, PROTO.length / 2, PROTO.length));
    byte[] gz = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, gz, first.length, second.length);
    assertEquals(expected(), ProfileDecoder.decode(gz));
  }

  @Test
  void shouldRejectTrailerWithWrongUncompressedSizeWithBadGzipError() {
    byte[] gz = GZ.clone();
    gz[gz.length - 4] ^= 0x01; // lowest byte of ISIZE
    ProfileDecodeException e =
        assertThrows(ProfileDecodeException.class, () -> ProfileDecoder.decode(gz));
    assertEquals(Reason.BAD_GZIP, e.reason(), e.getMessage());
    assertEquals(-1, e.offset());
  }

  @Test
  void shouldRejectTrailerClaimingMoreThanTheLimitWithoutTrustingIt() {
    byte[] gz = GZ.clone();
    gz[gz.length - 1] = 0x7f; // ISIZE near 2 GiB
    ProfileDecodeException e =
        assertThrows(ProfileDecodeException.class, () -> ProfileDecoder.decode(gz));
    assertEquals(Reason.BAD_GZIP, e.reason(), e.getMessage());
  }

  @Test
  void shouldDecodeTheSameProfileOnManyThreadsAtOnce() throws Exception {
    Profile expected = expected();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          boolean same = true;
          for (int i = 0; i < 50; i++) {
            same &= expected.equals(ProfileDecoder.decode(GZ));
          }
          return same;
        }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
