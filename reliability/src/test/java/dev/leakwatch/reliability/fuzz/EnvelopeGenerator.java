package dev.leakwatch.reliability.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates {@code ProfileEnvelope} record values field by field in Avro's binary encoding (public
 * spec: zig-zag varint longs, length-prefixed strings and bytes, enum and union indexes, maps in
 * counted blocks) behind a single-object or Confluent header, choosing for each field a good value
 * or a hostile one: lengths that lie, enum and union indexes out of range, negative and huge
 * map blocks, overlong varints, control characters, invalid UTF-8, missing or foreign headers,
 * truncation, trailing bytes. Field order follows {@code ProfileEnvelope.avsc}.
 */
final class EnvelopeGenerator {

  private static final int PROFILE_TYPES = 5;
  private static final int INGEST_SOURCES = 4;

  private final byte[] header;
  private final List<byte[]> profiles;

  /**
   * @param header the single-object header of the current schema (marker and fingerprint)
   * @param profiles real profile bodies to carry (gzip'd or mutated)
   */
  EnvelopeGenerator(byte[] header, List<byte[]> profiles) {
    this.header = header.clone();
    this.profiles = List.copyOf(profiles);
  }

  /** A generated record value; mostly hostile in one or two places, sometimes valid. */
  byte[] next(SplittableRandom rnd) {
    Out out = new Out(rnd);
    out.header();
    out.string("service-" + rnd.nextInt(4));
    out.string("replica-" + rnd.nextInt(3));
    out.enumIndex(rnd.nextInt(PROFILE_TYPES));
    out.longValue(1_700_000_000_000L + rnd.nextInt(1_000_000));
    out.map();
    out.union(() -> out.longValue(512L << 20));
    out.enumIndex(rnd.nextInt(INGEST_SOURCES));
    out.union(() -> out.string("agent-1"));
    out.bytes(profiles.get(rnd.nextInt(profiles.size())));
    byte[] value = out.bytes.toByteArray();
    return switch (rnd.nextInt(20)) {
      case 0 -> Arrays.copyOf(value, rnd.nextInt(value.length));
      case 1 -> ByteMutations.concat(value, ByteMutations.randomBytes(rnd, 1 + rnd.nextInt(8)));
      default -> value;
    };
  }

  /** The encoder of one value; each write is hostile with a small probability. */
  private final class Out {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final SplittableRandom rnd;

    Out(SplittableRandom rnd) {
      this.rnd = rnd;
    }

    private boolean hostile() {
      return rnd.nextInt(12) == 0;
    }

    void header() {
      if (!hostile()) {
        bytes.writeBytes(header);
        return;
      }
      switch (rnd.nextInt(4)) {
        case 0 -> bytes.writeBytes(Arrays.copyOf(header, rnd.nextInt(header.length)));
        case 1 -> {
          byte[] foreign = header.clone();
          foreign[2 + rnd.nextInt(8)] ^= 0x5A;
          bytes.writeBytes(foreign);
        }
        case 2 -> bytes.writeBytes(new byte[] {0, 0, 0, 0, (byte) rnd.nextInt(256)});
        default -> { }
      }
    }

    void longValue(long v) {
      if (!hostile()) {
        zigzag(v);
        return;
      }
      switch (rnd.nextInt(3)) {
        case 0 -> zigzag(rnd.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE);
        case 1 -> {
          byte[] overlong = new byte[11];
          Arrays.fill(overlong, (byte) 0x80);
          overlong[10] = 0;
          bytes.writeBytes(overlong);
        }
        default -> zigzag(-v);
      }
    }

    void enumIndex(int index) {
      zigzag(hostile() ? (rnd.nextBoolean() ? -1 - rnd.nextInt(3) : 5 + rnd.nextInt(1000)) : index);
    }

    void string(String s) {
      if (!hostile()) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
        return;
      }
      switch (rnd.nextInt(5)) {
        case 0 -> bytes(new byte[0]);
        case 1 -> bytes(("x" + "\u0000\n\u001b[31m").getBytes(StandardCharsets.UTF_8));
        case 2 -> bytes("s".repeat(200 + rnd.nextInt(200)).getBytes(StandardCharsets.UTF_8));
        case 3 -> bytes(new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF});
        default -> lyingLength(s.getBytes(StandardCharsets.UTF_8));
      }
    }

    void bytes(byte[] b) {
      zigzag(b.length);
      bytes.writeBytes(b);
    }

    private void lyingLength(byte[] b) {
      long[] lies = {-1, -1000, b.length + 1L, Integer.MAX_VALUE, Long.MAX_VALUE / 2};
      zigzag(lies[rnd.nextInt(lies.length)]);
      bytes.writeBytes(b);
    }

    void union(Runnable nonNull) {
      if (hostile()) {
        zigzag(rnd.nextBoolean() ? 2 + rnd.nextInt(100) : -1);
        nonNull.run();
      } else if (rnd.nextBoolean()) {
        zigzag(0);
      } else {
        zigzag(1);
        nonNull.run();
      }
    }

    void map() {
      if (!hostile()) {
        int n = rnd.nextInt(3);
        if (n > 0) {
          zigzag(n);
          for (int i = 0; i < n; i++) {
            string("k" + i);
            string("v" + i);
          }
        }
        zigzag(0);
        return;
      }
      switch (rnd.nextInt(4)) {
        case 0 -> zigzag(Integer.MAX_VALUE);
        case 1 -> {
          // a negative count announces the block's byte size
          zigzag(-2);
          zigzag(rnd.nextBoolean() ? 6 : Long.MAX_VALUE);
          string("k");
          string("v");
          string("l");
          string("w");
          zigzag(0);
        }
        case 2 -> {
          zigzag(3);
          string("k");
          string("v");
        }
        default -> zigzag(Long.MIN_VALUE);
      }
    }

    private void zigzag(long v) {
      ProtoWire.writeVarint(bytes, (v << 1) ^ (v >> 63));
    }
  }
}
