package dev.leakwatch.topology.window;

import dev.leakwatch.detect.LongIndex;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.Arrays;
import java.util.Objects;

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
 * <p>Held in flat arrays (one entry per stack, in the order given) with a primitive index, since
 * every capture of every instance reads one back and looks up each of its stacks. Immutable.
 */
public final class InstanceSnapshot {

  /** Most stacks a stored snapshot holds (bounds the store value); beyond it the smallest are dropped. */
  public static final int MAX_STACKS = 20_000;

  private final long captureMs;
  private final long[] ids;
  private final long[] allocObjects;
  private final long[] allocBytes;
  private final LongIndex index;

  /**
   * @param captureMs capture time of that capture, ms since the epoch
   * @param ids stack ids, distinct
   * @param allocObjects per stack: objects allocated since process start (0 for goroutines)
   * @param allocBytes per stack: bytes allocated since process start (0 for goroutines)
   * @param count entries used from the arrays (which are kept, not copied)
   * @throws IllegalArgumentException when an id repeats or {@code count} exceeds {@link #MAX_STACKS}
   */
  InstanceSnapshot(long captureMs, long[] ids, long[] allocObjects, long[] allocBytes, int count) {
    if (count > MAX_STACKS) {
      throw new IllegalArgumentException(count + " stacks exceed MAX_STACKS=" + MAX_STACKS);
    }
    this.captureMs = captureMs;
    this.ids = ids;
    this.allocObjects = allocObjects;
    this.allocBytes = allocBytes;
    this.index = new LongIndex(count);
    for (int i = 0; i < count; i++) {
      if (index.add(ids[i]) != i) {
        throw new IllegalArgumentException("stack id " + ids[i] + " appears twice");
      }
    }
  }

  /** Capture time of the snapshot's capture, ms since the epoch. */
  public long captureMs() {
    return captureMs;
  }

  /** Number of stacks. */
  public int size() {
    return index.size();
  }

  /** The position of a stack id in this snapshot, or -1 when the capture did not have it. */
  public int indexOf(long stackId) {
    return index.indexOf(stackId);
  }

  /** The stack id at {@code i}. */
  public long stackId(int i) {
    return ids[Objects.checkIndex(i, size())];
  }

  /** Cumulative allocated objects of the stack at {@code i}. */
  public long allocObjects(int i) {
    return allocObjects[Objects.checkIndex(i, size())];
  }

  /** Cumulative allocated bytes of the stack at {@code i}. */
  public long allocBytes(int i) {
    return allocBytes[Objects.checkIndex(i, size())];
  }

  /** The serialized form. */
  public byte[] toBytes() {
    int n = size();
    StateWriter w = new StateWriter(16 + 20 * n).writeByte('L').writeByte('I').writeByte(1); // ~20 bytes a stack
    w.writeSignedVarLong(captureMs).writeVarInt(n);
    for (int i = 0; i < n; i++) {
      w.writeFixed64(ids[i]).writeVarLong(allocObjects[i]).writeVarLong(allocBytes[i]);
    }
    return w.toByteArray();
  }

  /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not a snapshot */
  public static InstanceSnapshot fromBytes(byte[] bytes) {
    StateReader r = new StateReader(bytes);
    r.expectHeader('L', 'I', 1, 1, "instance snapshot");
    long time = r.readSignedVarLong("captureMs");
    int n = r.readCount("stack count", MAX_STACKS);
    long[] ids = new long[n];
    long[] objects = new long[n];
    long[] allocated = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = r.readFixed64("stack id");
      objects[i] = r.readVarLong("alloc objects");
      allocated[i] = r.readVarLong("alloc bytes");
    }
    r.expectEnd("instance snapshot");
    try {
      return new InstanceSnapshot(time, ids, objects, allocated, n);
    } catch (IllegalArgumentException e) {
      throw new StateFormatException("instance snapshot: " + e.getMessage(), bytes.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    int n = size();
    return o instanceof InstanceSnapshot s && s.captureMs == captureMs && s.size() == n
        && Arrays.equals(s.ids, 0, n, ids, 0, n)
        && Arrays.equals(s.allocObjects, 0, n, allocObjects, 0, n)
        && Arrays.equals(s.allocBytes, 0, n, allocBytes, 0, n);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(captureMs) * 31 + size();
  }
}
