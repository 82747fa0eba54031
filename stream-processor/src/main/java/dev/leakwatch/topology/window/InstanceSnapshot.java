package dev.leakwatch.topology.window;

import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The previous capture of one instance and profile type, as the window aggregation needs it: the
 * stacks it had and, for heap, their cumulative allocation counters (so the next capture can
 * contribute deltas).
 *
 * <p>Stored in {@code instance-snapshot} under {@code service/instance/TYPE}. Binary format,
 * version 1: {@code 'L' 'I' 1}, capture time (zigzag varint, ms), stack count (varint), then per
 * stack its id (8 bytes, big-endian), cumulative alloc objects and bytes (varints; 0 for
 * goroutine captures).
 *
 * @param captureMs capture time of that capture, ms since the epoch
 * @param cumulative per stack id: {@code [allocObjects, allocBytes]} since process start
 */
public record InstanceSnapshot(long captureMs, Map<Long, long[]> cumulative) {

  /** Most stacks a stored snapshot holds (bounds the store value); beyond it the smallest are dropped. */
  public static final int MAX_STACKS = 20_000;

  public InstanceSnapshot {
    cumulative = Collections.unmodifiableMap(new HashMap<>(cumulative));
  }

  /** The serialized form. */
  public byte[] toBytes() {
    StateWriter w = new StateWriter().writeByte('L').writeByte('I').writeByte(1);
    w.writeSignedVarLong(captureMs).writeVarInt(cumulative.size());
    for (Map.Entry<Long, long[]> e : cumulative.entrySet()) {
      w.writeFixed64(e.getKey()).writeVarLong(e.getValue()[0]).writeVarLong(e.getValue()[1]);
    }
    return w.toByteArray();
  }

  /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not a snapshot */
  public static InstanceSnapshot fromBytes(byte[] bytes) {
    StateReader r = new StateReader(bytes);
    r.expectHeader('L', 'I', 1, 1, "instance snapshot");
    long time = r.readSignedVarLong("captureMs");
    int n = r.readCount("stack count", MAX_STACKS);
    Map<Long, long[]> cumulative = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      long id = r.readFixed64("stack id");
      cumulative.put(id, new long[] {r.readVarLong("alloc objects"), r.readVarLong("alloc bytes")});
    }
    r.expectEnd("instance snapshot");
    return new InstanceSnapshot(time, cumulative);
  }
}
