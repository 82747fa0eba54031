package dev.leakwatch.topology.window;

import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One service's aggregate over one tumbling window: every heap allocation stack and goroutine
 * stack its instances reported, as sums plus the number of captures summed, so that averages are
 * exact and windows merge by addition.
 *
 * <p>Semantics per stack:
 * <ul>
 *   <li>in-use bytes/objects: {@link #averageInuseBytes} = sum over the window's heap captures
 *       (all instances) / {@link #heapCaptures()}: the mean per instance and capture. Multiply by
 *       the number of instances for a service total.
 *   <li>allocated bytes/objects: the sum of per-capture deltas (see {@link ContributionExtractor}):
 *       what the whole service allocated at the stack during the window.
 *   <li>goroutines: {@link #averageGoroutines} = sum / {@link #goroutineCaptures()}.
 * </ul>
 * A capture that is absent at a stack counts as zero there. At most {@code maxStacks} stacks per
 * section are kept; the lightest are summed under {@link StackIds#OTHER}. Frames live in the stack
 * dictionary, not here.
 *
 * <p>Stored in the {@code service-windows} window store keyed by service. Binary format, version
 * 1: {@code 'L' 'W' 1}; heap captures, goroutine captures (varints); instance count then names
 * (length-prefixed UTF-8, in the order they joined the window); heap stack count then per stack its id (8 bytes big-endian),
 * in-use bytes, in-use objects, allocated bytes, allocated objects (varints); goroutine stack
 * count then per stack its id and goroutine sum. Mutable; not thread-safe.
 */
public final class ServiceWindow {

  /** Most instance names a window records (bounds the value); captures are still counted beyond. */
  public static final int MAX_INSTANCES = 4096;
  /** Most stacks per section accepted when reading. */
  public static final int MAX_STACKS_READ = 100_000;

  private long heapCaptures;
  private long goroutineCaptures;
  private final SortedSet<String> instances = new TreeSet<>();
  // The instance names as toBytes writes them, appended as instances join: every capture of a
  // service rewrites its window, and re-encoding the names of a service of thousands of instances (a
  // walk over a tree of strings) cost more than the rest of the window.
  private final StateWriter encodedInstances = new StateWriter(64);
  private final WindowSection heap = new WindowSection();
  private final WindowSection goroutines = new WindowSection();

  /** Adds one capture's contribution, then caps each section at {@code maxStacks} stacks. */
  public void add(WindowContribution c, int maxStacks) {
    if (instances.size() < MAX_INSTANCES && instances.add(c.instance())) {
      encodedInstances.writeString(c.instance());
    }
    WindowSection section = c.goroutine() ? goroutines : heap;
    if (c.goroutine()) {
      goroutineCaptures++;
    } else {
      heapCaptures++;
    }
    for (StackValues v : c.stacks()) {
      section.add(v);
    }
    section.cap(maxStacks);
  }

  /** Heap captures (over all instances) folded into this window. */
  public long heapCaptures() {
    return heapCaptures;
  }

  /** Goroutine captures (over all instances) folded into this window. */
  public long goroutineCaptures() {
    return goroutineCaptures;
  }

  /** Instances that contributed, sorted (at most {@link #MAX_INSTANCES}). */
  public SortedSet<String> instances() {
    return Collections.unmodifiableSortedSet(instances);
  }

  /** Heap sums per stack id (in-use sums over captures, allocation delta sums). */
  public Map<Long, StackValues> heapStacks() {
    return heap.asMap();
  }

  /** Goroutine sums per stack id. */
  public Map<Long, StackValues> goroutineStacks() {
    return goroutines.asMap();
  }

  /** Whether either section has the stack under its own id (not summed under OTHER). */
  public boolean holds(long stackId) {
    return heap.contains(stackId) || goroutines.contains(stackId);
  }

  /** Mean in-use bytes at a stack per instance and heap capture; 0 when absent or no captures. */
  public double averageInuseBytes(long stackId) {
    StackValues v = heap.get(stackId);
    return v == null || heapCaptures == 0 ? 0 : (double) v.inuseBytes() / heapCaptures;
  }

  /** Mean in-use objects at a stack per instance and heap capture. */
  public double averageInuseObjects(long stackId) {
    StackValues v = heap.get(stackId);
    return v == null || heapCaptures == 0 ? 0 : (double) v.inuseObjects() / heapCaptures;
  }

  /** Mean goroutines with a stack per instance and goroutine capture. */
  public double averageGoroutines(long stackId) {
    StackValues v = goroutines.get(stackId);
    return v == null || goroutineCaptures == 0 ? 0 : (double) v.goroutines() / goroutineCaptures;
  }

  /** The serialized form (see the class comment). */
  public byte[] toBytes() {
    // ~30 bytes per heap stack, ~12 per goroutine stack, ~20 per instance name
    StateWriter w = new StateWriter(64 + 30 * heap.size() + 12 * goroutines.size() + 20 * instances.size())
        .writeByte('L').writeByte('W').writeByte(1);
    w.writeVarLong(heapCaptures).writeVarLong(goroutineCaptures).writeVarInt(instances.size())
        .writeRaw(encodedInstances);
    w.writeVarInt(heap.size());
    for (int i = 0; i < heap.size(); i++) {
      w.writeFixed64(heap.id(i)).writeVarLong(heap.sum(i, WindowSection.INUSE_BYTES))
          .writeVarLong(heap.sum(i, WindowSection.INUSE_OBJECTS)).writeVarLong(heap.sum(i, WindowSection.ALLOC_BYTES))
          .writeVarLong(heap.sum(i, WindowSection.ALLOC_OBJECTS));
    }
    w.writeVarInt(goroutines.size());
    for (int i = 0; i < goroutines.size(); i++) {
      w.writeFixed64(goroutines.id(i)).writeVarLong(goroutines.sum(i, WindowSection.GOROUTINES));
    }
    return w.toByteArray();
  }

  /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not a window */
  public static ServiceWindow fromBytes(byte[] bytes) {
    StateReader r = new StateReader(bytes);
    r.expectHeader('L', 'W', 1, 1, "service window");
    ServiceWindow w = new ServiceWindow();
    w.heapCaptures = r.readVarLong("heap captures");
    w.goroutineCaptures = r.readVarLong("goroutine captures");
    int n = r.readCount("instance count", MAX_INSTANCES);
    for (int i = 0; i < n; i++) {
      String name = r.readString("instance", 1024);
      if (w.instances.add(name)) {
        w.encodedInstances.writeString(name);
      }
    }
    n = r.readCount("heap stack count", MAX_STACKS_READ);
    for (int i = 0; i < n; i++) {
      long id = r.readFixed64("stack id");
      w.heap.add(StackValues.heap(id, r.readVarLong("inuse bytes"), r.readVarLong("inuse objects"),
          r.readVarLong("alloc bytes"), r.readVarLong("alloc objects")));
    }
    n = r.readCount("goroutine stack count", MAX_STACKS_READ);
    for (int i = 0; i < n; i++) {
      long id = r.readFixed64("stack id");
      w.goroutines.add(StackValues.goroutine(id, r.readVarLong("goroutines")));
    }
    r.expectEnd("service window");
    return w;
  }
}
