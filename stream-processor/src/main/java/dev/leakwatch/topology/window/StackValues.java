package dev.leakwatch.topology.window;

import dev.leakwatch.detect.site.StackIds;

/**
 * One stack's values in one capture of one instance, as the window aggregation receives them.
 *
 * <p>Heap captures fill all four counters; goroutine captures fill only {@code goroutines}.
 *
 * @param stackId {@link StackIds#of} the stack, or {@link StackIds#OTHER}
 * @param inuseBytes in-use bytes at the capture (post-GC, already scaled by the runtime)
 * @param inuseObjects in-use objects at the capture
 * @param allocBytes bytes allocated since the instance's previous heap capture (never negative)
 * @param allocObjects objects allocated since the instance's previous heap capture
 * @param goroutines goroutines with this stack at the capture
 */
public record StackValues(
    long stackId, long inuseBytes, long inuseObjects, long allocBytes, long allocObjects, long goroutines) {

  /** Values of a heap stack. */
  public static StackValues heap(long stackId, long inuseBytes, long inuseObjects, long allocBytes, long allocObjects) {
    return new StackValues(stackId, inuseBytes, inuseObjects, allocBytes, allocObjects, 0);
  }

  /** Values of a goroutine stack. */
  public static StackValues goroutine(long stackId, long goroutines) {
    return new StackValues(stackId, 0, 0, 0, 0, goroutines);
  }

  /** The sum of two entries' counters, under {@code id}. */
  StackValues plus(long id, StackValues o) {
    return new StackValues(id, inuseBytes + o.inuseBytes, inuseObjects + o.inuseObjects,
        allocBytes + o.allocBytes, allocObjects + o.allocObjects, goroutines + o.goroutines);
  }

  /** The same counters under another id. */
  StackValues withId(long id) {
    return new StackValues(id, inuseBytes, inuseObjects, allocBytes, allocObjects, goroutines);
  }

  /** How much this entry matters when a cap forces a choice: bytes for heap, count for goroutines. */
  long weight() {
    return inuseBytes + allocBytes + goroutines;
  }
}
