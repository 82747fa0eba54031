package dev.leakwatch.topology.window;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Keys and values of the {@code stack-dictionary} store: stack id to frames, per service.
 *
 * <p>Key: {@code service#<16 hex digits of the stack id>} (the service prefix keeps a service's
 * dictionary in the partition that holds its windows; a prefix scan on {@code service#} lists it).
 * Value, version 1: {@code 'L' 'D' 1}, frame count (varint), then per frame (leaf first) function
 * and file (length-prefixed UTF-8) and line (varint).
 */
public final class StackDictionary {

  /** Most frames a stored stack holds (the decoder's default stack-depth limit). */
  public static final int MAX_FRAMES = 1024;

  private StackDictionary() {}

  /** The dictionary key of a stack of a service. */
  public static String key(String service, long stackId) {
    return service + "#" + HexFormat.of().toHexDigits(stackId);
  }

  /** Encodes frames, leaf first; stacks deeper than {@link #MAX_FRAMES} keep their leaf-most part. */
  public static byte[] encode(List<SiteFrame> frames) {
    int n = Math.min(frames.size(), MAX_FRAMES);
    StateWriter w = new StateWriter().writeByte('L').writeByte('D').writeByte(1).writeVarInt(n);
    for (int i = 0; i < n; i++) {
      SiteFrame f = frames.get(i);
      w.writeString(f.function()).writeString(f.file()).writeVarLong(Math.max(0, f.line()));
    }
    return w.toByteArray();
  }

  /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not a stored stack */
  public static List<SiteFrame> decode(byte[] bytes) {
    StateReader r = new StateReader(bytes);
    r.expectHeader('L', 'D', 1, 1, "stack dictionary entry");
    int n = r.readCount("frame count", MAX_FRAMES);
    List<SiteFrame> frames = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      frames.add(new SiteFrame(r.readString("function", 64 * 1024), r.readString("file", 64 * 1024),
          r.readVarLong("line")));
    }
    r.expectEnd("stack dictionary entry");
    return frames;
  }
}
