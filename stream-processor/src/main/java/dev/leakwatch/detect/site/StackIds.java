package dev.leakwatch.detect.site;

import dev.leakwatch.pprof.Frame;
import java.util.List;

/**
 * 64-bit ids of full call stacks, the keys of the stack dictionary and of window entries.
 *
 * <p>Each frame hashes to 64 bits (FNV-1a over its function, file and line); the stack id folds the
 * frame hashes leaf first, each step a bijection of the running value ({@code (h ^ frame) * prime},
 * then an xor-shift), so the id is stable across processes and releases and differs when any frame
 * or line differs (unlike a detection site, which ignores lines on purpose: windows keep the exact
 * stacks). Frame by frame rather than one FNV over all the text, so that {@link ProfileStacks} can hash
 * each distinct frame of a profile once: a profile's stacks share their frames. Id {@value #OTHER}
 * is reserved for the bucket that sums the stacks cut by a size cap.
 */
public final class StackIds {

  /** Id of the "every other stack" bucket; never the id of a real stack. */
  public static final long OTHER = 0L;

  static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private StackIds() {}

  /** The id of a stack (leaf first); never {@link #OTHER}. */
  public static long of(List<Frame> stack) {
    long h = OFFSET_BASIS;
    for (Frame f : stack) {
      h = step(h, frameHash(f));
    }
    return finish(h);
  }

  static long step(long h, long frameHash) {
    h = (h ^ frameHash) * PRIME;
    return h ^ (h >>> 29);
  }

  static long finish(long h) {
    return h == OTHER ? 1L : h;
  }

  static long frameHash(Frame f) {
    return frameHash(functionHash(f.function(), f.file()), f.line());
  }

  /** The part of a frame's hash that depends on its function only (all lines of it share it). */
  static long functionHash(String function, String file) {
    return mix(mix(OFFSET_BASIS, function), file);
  }

  /** A frame's hash from {@link #functionHash} and its line. */
  static long frameHash(long functionHash, long line) {
    return mixLong(functionHash, line);
  }

  private static long mix(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c & 0xFF)) * PRIME;
      h = (h ^ (c >>> 8)) * PRIME;
    }
    // A separator byte that no char pair above produces alone keeps "ab"+"c" apart from "a"+"bc".
    return (h ^ 0x1F) * PRIME;
  }

  private static long mixLong(long h, long v) {
    for (int shift = 0; shift < 64; shift += 8) {
      h = (h ^ ((v >>> shift) & 0xFF)) * PRIME;
    }
    return h;
  }
}
