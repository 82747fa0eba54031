package dev.leakwatch.reliability.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Format-blind mutations of a byte array (the classic fuzzer set: flips, interesting bytes,
 * inserts, deletes, duplicated ranges, truncation, overlong varints). Never mutates its input.
 */
final class ByteMutations {

  private static final int[] INTERESTING = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x08, 0x10, 0x12, 0x1A};

  private ByteMutations() {}

  /** One random mutation of {@code in}. */
  static byte[] mutate(byte[] in, SplittableRandom rnd) {
    if (in.length == 0) {
      return randomBytes(rnd, 1 + rnd.nextInt(16));
    }
    int at = rnd.nextInt(in.length);
    byte[] out;
    switch (rnd.nextInt(9)) {
      case 0 -> {
        out = in.clone();
        out[at] ^= (byte) (1 << rnd.nextInt(8));
      }
      case 1 -> {
        out = in.clone();
        out[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
      }
      case 2 -> out = insert(in, at, randomBytes(rnd, 1 + rnd.nextInt(16)));
      case 3 -> {
        int n = 1 + rnd.nextInt(Math.min(64, in.length - at));
        out = concat(Arrays.copyOfRange(in, 0, at), Arrays.copyOfRange(in, at + n, in.length));
      }
      case 4 -> {
        int n = 1 + rnd.nextInt(Math.min(256, in.length - at));
        out = insert(in, at, Arrays.copyOfRange(in, at, at + n));
      }
      case 5 -> out = Arrays.copyOf(in, at);
      case 6 -> {
        // a varint that never ends: ten continuation bytes
        byte[] run = new byte[10 + rnd.nextInt(3)];
        Arrays.fill(run, (byte) 0xFF);
        out = insert(in, at, run);
      }
      case 7 -> out = concat(in, randomBytes(rnd, 1 + rnd.nextInt(32)));
      default -> {
        out = in.clone();
        int n = Math.min(8, in.length - at);
        for (int i = 0; i < n; i++) {
          out[at + i] = (byte) rnd.nextInt(256);
        }
      }
    }
    return out;
  }

  static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  static byte[] insert(byte[] in, int at, byte[] piece) {
    byte[] out = new byte[in.length + piece.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(piece, 0, out, at, piece.length);
    System.arraycopy(in, at, out, at + piece.length, in.length - at);
    return out;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
