package dev.leakwatch.topology.window;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

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
    return prefix(service) + HexFormat.of().toHexDigits(stackId);
  }

  /**
   * The start of every key of {@code service}'s entries; keys of another service may share it
   * (use {@link #idOf} to tell them apart), and all of them sort before {@code prefix + "g"}.
   */
  public static String prefix(String service) {
    return service + "#";
  }

  /** The stack id of {@code key} when it is a key of {@code service}'s dictionary, else empty. */
  public static OptionalLong idOf(String service, String key) {
    int at = service.length() + 1;
    if (key.length() != at + 16 || !key.startsWith(service) || key.charAt(at - 1) != '#') {
      return OptionalLong.empty();
    }
    for (int i = at; i < key.length(); i++) {
      if (Character.digit(key.charAt(i), 16) < 0) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(HexFormat.fromHexDigitsToLong(key, at, key.length()));
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
