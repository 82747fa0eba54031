package dev.leakwatch.reliability.fuzz;

import dev.leakwatch.reliability.fuzz.ProtoWire.Field;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Structure-aware mutations of {@code profile.proto} bytes: it takes the message apart with
 * {@link ProtoWire}, descends into nested messages (samples, locations and their lines, labels,
 * functions, mappings) and changes one field — deletes, floods, renumbers, retypes, re-values,
 * lies about a length, splices in a field of another real profile — then writes the message back
 * with consistent lengths, so most mutants get past framing and reach the decoder's deeper
 * checks. Falls back to {@link ByteMutations} where the bytes no longer parse. The result is
 * sometimes gzip'd, sometimes with a broken gzip layer, sometimes a gzip bomb.
 */
final class ProfileMutator {

  private static final long[] INTERESTING = {0, 1, 2, 3, 7, 127, 128, 255, 256, 65_535, 65_536,
      Integer.MAX_VALUE, 1L << 31, 1L << 32, Long.MAX_VALUE, -1L, Long.MIN_VALUE};
  private static final int[] FLOOD = {2, 10, 100, 1_000, 5_000};
  /** Uncompressed size of the gzip bomb: far beyond any limit the campaigns use. */
  private static final int BOMB_BYTES = 64 << 20;
  /** Bytes a flood of copies may add, and the largest mutant kept: bounds the campaign's own memory. */
  private static final int MAX_FLOOD_BYTES = 1 << 20;
  private static final int MAX_MUTANT_BYTES = 4 << 20;

  private final List<byte[]> seeds;
  private byte[] bomb;

  /** @param seeds decompressed real profiles, the pool fields are spliced from */
  ProfileMutator(List<byte[]> seeds) {
    this.seeds = List.copyOf(seeds);
  }

  /** One to four stacked mutations of a decompressed profile. */
  byte[] mutateProto(byte[] proto, SplittableRandom rnd) {
    byte[] out = proto;
    int n = 1 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      byte[] next = rnd.nextInt(10) < 8 ? mutateMessage(out, rnd, 0) : ByteMutations.mutate(out, rnd);
      if (next.length <= MAX_MUTANT_BYTES) {
        out = next;
      }
    }
    return out;
  }

  /** Frames a (mutated) profile as it may arrive: plain, gzip'd, or with a damaged gzip layer. */
  byte[] wrap(byte[] proto, SplittableRandom rnd) {
    int pick = rnd.nextInt(100);
    if (pick < 35) {
      return proto;
    }
    byte[] gz = gzip(proto);
    if (pick < 88) {
      return gz;
    }
    if (pick < 92) {
      return Arrays.copyOf(gz, rnd.nextInt(gz.length));
    }
    if (pick < 96) {
      return ByteMutations.mutate(gz, rnd);
    }
    if (pick < 99 || rnd.nextInt(3) > 0) {
      // two members, as concatenated gzip files are: the second may be garbage
      return ByteMutations.concat(gz, rnd.nextBoolean() ? gz : ByteMutations.randomBytes(rnd, 20));
    }
    // one input in 300: inflating a bomb to the limit costs a hundred ordinary inputs
    return rnd.nextBoolean() ? bomb() : ByteMutations.mutate(bomb(), rnd);
  }

  private byte[] mutateMessage(byte[] msg, SplittableRandom rnd, int depth) {
    List<Field> fields = ProtoWire.parse(msg);
    if (fields == null) {
      return ByteMutations.mutate(msg, rnd);
    }
    List<Field> out = new ArrayList<>(fields);
    int i = rnd.nextInt(out.size());
    Field f = out.get(i);
    if (f.wireType() == ProtoWire.LEN && depth < 3 && rnd.nextInt(3) > 0
        && ProtoWire.parse(f.payload()) != null) {
      out.set(i, f.withPayload(mutateMessage(f.payload(), rnd, depth + 1)));
      return ProtoWire.write(out);
    }
    switch (rnd.nextInt(10)) {
      case 0 -> out.remove(i);
      case 1 -> {
        int copies = Math.min(FLOOD[rnd.nextInt(FLOOD.length)], MAX_FLOOD_BYTES / f.encode().length);
        for (int c = 0; c < copies; c++) {
          out.add(i, f);
        }
      }
      case 2 -> out.set(i, revalue(f, rnd));
      case 3 -> out.set(i, new Field(pickNumber(rnd), f.wireType(), f.varint(), f.payload(), null));
      case 4 -> out.set(i, Field.raw(retyped(f, rnd)));
      case 5 -> out.set(i, Field.raw(lyingLength(f, rnd)));
      case 6 -> out.add(rnd.nextInt(out.size() + 1), spliced(rnd));
      case 7 -> {
        int j = rnd.nextInt(out.size());
        out.set(i, out.get(j));
        out.set(j, f);
      }
      case 8 -> out.set(i, Field.ofBytes(f.number(), oddPayload(rnd)));
      default -> out.set(i, growPacked(f, rnd));
    }
    return ProtoWire.write(out);
  }

  private static Field revalue(Field f, SplittableRandom rnd) {
    long v = rnd.nextInt(4) == 0 ? rnd.nextLong() : INTERESTING[rnd.nextInt(INTERESTING.length)];
    if (f.wireType() == ProtoWire.VARINT) {
      return f.withVarint(rnd.nextBoolean() ? v : f.varint() + (rnd.nextBoolean() ? 1 : -1));
    }
    if (f.wireType() == ProtoWire.LEN) {
      List<Long> packed = ProtoWire.parsePacked(f.payload());
      if (packed != null && !packed.isEmpty()) {
        List<Long> changed = new ArrayList<>(packed);
        changed.set(rnd.nextInt(changed.size()), v);
        return f.withPayload(ProtoWire.packed(changed));
      }
    }
    return Field.ofVarint(f.number(), v);
  }

  /** A repeated packed field (stack, values) grown by many copies of one element. */
  private static Field growPacked(Field f, SplittableRandom rnd) {
    List<Long> packed = f.wireType() == ProtoWire.LEN ? ProtoWire.parsePacked(f.payload()) : null;
    if (packed == null || packed.isEmpty()) {
      return revalue(f, rnd);
    }
    List<Long> grown = new ArrayList<>(packed);
    long element = packed.get(rnd.nextInt(packed.size()));
    int copies = Math.min(FLOOD[rnd.nextInt(FLOOD.length)], MAX_FLOOD_BYTES / 10);
    for (int c = 0; c < copies; c++) {
      grown.add(element);
    }
    return f.withPayload(ProtoWire.packed(grown));
  }

  private static int pickNumber(SplittableRandom rnd) {
    return rnd.nextInt(5) == 0 ? (1 << 29) - 1 - rnd.nextInt(3) : 1 + rnd.nextInt(16);
  }

  /** The field's value under a tag with another wire type (including the invalid 3, 4, 6, 7). */
  private static byte[] retyped(Field f, SplittableRandom rnd) {
    int type = (f.wireType() + 1 + rnd.nextInt(7)) & 7;
    byte[] encoded = f.encode();
    byte[] tag = ProtoWire.varint(((long) f.number() << 3) | type);
    byte[] oldTag = ProtoWire.varint(((long) f.number() << 3) | f.wireType());
    return ByteMutations.concat(tag, Arrays.copyOfRange(encoded, oldTag.length, encoded.length));
  }

  /** A length-delimited field whose length prefix is off by a little or a lot. */
  private static byte[] lyingLength(Field f, SplittableRandom rnd) {
    byte[] payload = f.wireType() == ProtoWire.LEN ? f.payload() : ProtoWire.varint(f.varint());
    long[] lies = {payload.length + 1L, payload.length - 1L, payload.length * 2L + 7, 1L << 31,
        Long.MAX_VALUE, -1L};
    long lie = lies[rnd.nextInt(lies.length)];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProtoWire.writeVarint(out, ((long) f.number() << 3) | ProtoWire.LEN);
    ProtoWire.writeVarint(out, lie);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A top-level field of another real profile: mismatched ids, foreign string indexes. */
  private Field spliced(SplittableRandom rnd) {
    List<Field> donor = ProtoWire.parse(seeds.get(rnd.nextInt(seeds.size())));
    return donor == null ? Field.ofVarint(1, 0) : donor.get(rnd.nextInt(donor.size()));
  }

  /** Empty, long, or not-UTF-8 bytes for a length-delimited field. */
  private static byte[] oddPayload(SplittableRandom rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> new byte[0];
      case 1 -> {
        byte[] big = new byte[(64 << 10) + rnd.nextInt(4096)];
        Arrays.fill(big, (byte) 'a');
        yield big;
      }
      case 2 -> new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
      default -> ByteMutations.randomBytes(rnd, 1 + rnd.nextInt(64));
    };
  }

  /** Zeros compress about 1000:1; written in chunks so the bomb itself never sits in memory. */
  private byte[] bomb() {
    if (bomb == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] zeros = new byte[64 << 10];
      try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
        for (int written = 0; written < BOMB_BYTES; written += zeros.length) {
          gz.write(zeros);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bomb = out.toByteArray();
    }
    return bomb;
  }

  /** Gzip at the fastest level: the decoder reads every level alike, and the campaign runs faster. */
  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
