package dev.leakwatch.topology.window;

import dev.leakwatch.pprof.Frame;
import java.util.List;

/**
 * 64-bit ids of full call stacks, the keys of the stack dictionary and of window entries.
 *
 * <p>The id is FNV-1a (64 bit) over every frame's function, file and line, leaf first, so it is
 * stable across processes and releases and differs when any frame or line differs (unlike a
 * detection site, which ignores lines on purpose: windows keep the exact stacks). Id
 * {@value #OTHER} is reserved for the bucket that sums the stacks cut by a size cap.
 */
public final class StackIds {

  /** Id of the "every other stack" bucket; never the id of a real stack. */
  public static final long OTHER = 0L;

  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private StackIds() {}

  /** The id of a stack (leaf first); never {@link #OTHER}. */
  public static long of(List<Frame> stack) {
    long h = OFFSET_BASIS;
    for (Frame f : stack) {
      h = mix(h, f.function());
      h = mix(h, f.file());
      h = mixLong(h, f.line());
    }
    return h == OTHER ? 1L : h;
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
