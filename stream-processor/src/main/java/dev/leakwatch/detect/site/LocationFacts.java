package dev.leakwatch.detect.site;

import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.pprof.Frame;
import dev.leakwatch.pprof.Function;
import dev.leakwatch.pprof.Line;
import dev.leakwatch.pprof.Location;
import dev.leakwatch.pprof.Profile;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the locations of one profile say, worked out once per location (and once per function of
 * the profile) for {@link ProfileStacks}: each frame's {@link FunctionFacts}, {@link StackIds} frame
 * hash and name hash, the first frame of the program's own code and the first that is not
 * machinery, and what the frames say about a goroutine's wait. Indexed by {@link LocationSlots} slot.
 *
 * <p>Not thread-safe: filled while the profile's stacks are read, read-only after {@link #done}.
 */
final class LocationFacts {
  // What a location says about a goroutine's wait, read leaf first.
  private static final byte WAIT_CONTINUE = 0;
  private static final byte WAIT_FOUND = 1;
  private static final byte WAIT_STOP = 2;

  private final LocationSlots slots;
  private Map<Function, FunctionInfo> functions = new IdentityHashMap<>(); // until done()
  private FunctionFacts[][] facts;
  private long[][] frameHashes;
  private long[][] nameHashes;
  // the first frame's hashes again, flat: most locations have one frame (no inlining), and one array
  // read per stack entry instead of two keeps the stack walk short
  private long[] frameHash0;
  private long[] nameHash0;
  private int[] frameCount;
  private int[] firstOwn;
  private int[] firstNonMachinery;
  private byte[] waitState;
  private WaitReason[] waitFound;

  LocationFacts(Profile profile) {
    this.slots = new LocationSlots(profile);
    grow(slots.capacity());
    // Learn the whole table up front: the stack walk then never learns (only a location from
    // outside the table would), and the compiler keeps that rare branch out of the hot loop.
    for (Location l : profile.locations()) {
      slotOf(l);
    }
  }

  /** No more locations will be learnt: drops what only learning needed. */
  void done() {
    functions = null;
  }

  /** {@link LocationSlots#tableSlotsAreIds()}: every location of the table has its id as slot, facts learnt. */
  boolean tableSlotsAreIds() {
    return slots.tableSlotsAreIds();
  }

  /** The facts of a slot's frames, callee first. */
  FunctionFacts[] facts(int slot) {
    return facts[slot];
  }

  /** {@link StackIds} hashes of a slot's frames, callee first. */
  long[] frameHashes(int slot) {
    return frameHashes[slot];
  }

  /** Number of frames of a slot (1 unless calls were inlined). */
  int frameCount(int slot) {
    return frameCount[slot];
  }

  /** {@code frameHashes(slot)[0]}. */
  long frameHash0(int slot) {
    return frameHash0[slot];
  }

  /** {@code nameHashes(slot)[0]}. */
  long nameHash0(int slot) {
    return nameHash0[slot];
  }

  /** {@link FunctionFacts#hash64} of a slot's frames, callee first. */
  long[] nameHashes(int slot) {
    return nameHashes[slot];
  }

  /** Index of the slot's first frame in the program's own code, or -1. */
  int firstOwn(int slot) {
    return firstOwn[slot];
  }

  /** Index of the slot's first frame that is not runtime machinery, or -1. */
  int firstNonMachinery(int slot) {
    return firstNonMachinery[slot];
  }

  /** The wait the slot's frames name before any frame that is not machinery; null if none does. */
  WaitReason wait(int slot) {
    return waitState[slot] == WAIT_FOUND ? waitFound[slot] : null;
  }

  /** True when the slot has a frame that is not machinery before any that names a wait. */
  boolean endsWaitSearch(int slot) {
    return waitState[slot] == WAIT_STOP;
  }

  /**
   * The slot of {@code l} if its facts are known (every location of the profile's table is learnt
   * up front), else -1: the stack walk's fast path, which never learns, so that the compiler keeps
   * learning out of that loop.
   */
  int learntSlot(Location l) {
    int slot = slots.slot(l);
    return slot < frameCount.length && frameCount[slot] != 0 ? slot : -1; // learnt: ≥ 1 frame
  }

  /** The slot of {@code l}, its facts worked out on first sight. */
  int slotOf(Location l) {
    int learnt = learntSlot(l);
    if (learnt >= 0) {
      return learnt;
    }
    int slot = slots.slot(l);
    if (slot >= frameCount.length) {
      grow(Math.max(slot + 1, frameCount.length * 2));
    }
    learn(slot, l);
    return slot;
  }

  private void learn(int slot, Location l) {
    List<Line> lines = l.lines();
    int count = lines.isEmpty() ? 1 : lines.size();
    FunctionFacts[] f = new FunctionFacts[count];
    long[] hashes = new long[count];
    long[] names = new long[count];
    int own = -1;
    int nonMachinery = -1;
    byte wait = WAIT_CONTINUE;
    for (int j = 0; j < count; j++) {
      FunctionFacts ff;
      if (lines.isEmpty()) { // no symbols: one frame named by the address
        Frame frame = l.frames().get(0);
        ff = FunctionFacts.of(frame.function());
        hashes[j] = StackIds.frameHash(frame);
      } else {
        Line line = lines.get(j);
        FunctionInfo info = functionInfo(line.function());
        ff = info.facts();
        hashes[j] = StackIds.frameHash(info.hash(), line.line());
      }
      f[j] = ff;
      names[j] = ff.hash64;
      if (own < 0 && ff.ownCode) {
        own = j;
      }
      if (nonMachinery < 0 && !ff.machinery) {
        nonMachinery = j;
      }
      if (wait == WAIT_CONTINUE) {
        if (ff.waitReason != null) {
          wait = WAIT_FOUND;
          waitFound[slot] = ff.waitReason;
        } else if (!ff.machinery) {
          wait = WAIT_STOP;
        }
      }
    }
    facts[slot] = f;
    frameHashes[slot] = hashes;
    nameHashes[slot] = names;
    frameHash0[slot] = hashes[0];
    nameHash0[slot] = names[0];
    frameCount[slot] = count;
    firstOwn[slot] = own;
    firstNonMachinery[slot] = nonMachinery;
    waitState[slot] = wait;
  }

  /** What a function's frames share, worked out once per function of the profile. */
  private record FunctionInfo(FunctionFacts facts, long hash) {}

  private FunctionInfo functionInfo(Function function) {
    FunctionInfo info = functions.get(function);
    if (info == null) {
      FunctionFacts facts = FunctionFacts.of(function.name());
      info = new FunctionInfo(facts, facts.functionHash(function.file()));
      functions.put(function, info);
    }
    return info;
  }

  private void grow(int capacity) {
    facts = facts == null ? new FunctionFacts[capacity][] : Arrays.copyOf(facts, capacity);
    frameHashes = frameHashes == null ? new long[capacity][] : Arrays.copyOf(frameHashes, capacity);
    nameHashes = nameHashes == null ? new long[capacity][] : Arrays.copyOf(nameHashes, capacity);
    frameHash0 = frameHash0 == null ? new long[capacity] : Arrays.copyOf(frameHash0, capacity);
    nameHash0 = nameHash0 == null ? new long[capacity] : Arrays.copyOf(nameHash0, capacity);
    frameCount = frameCount == null ? new int[capacity] : Arrays.copyOf(frameCount, capacity);
    firstOwn = firstOwn == null ? new int[capacity] : Arrays.copyOf(firstOwn, capacity);
    firstNonMachinery = firstNonMachinery == null ? new int[capacity] : Arrays.copyOf(firstNonMachinery, capacity);
    waitState = waitState == null ? new byte[capacity] : Arrays.copyOf(waitState, capacity);
    waitFound = waitFound == null ? new WaitReason[capacity] : Arrays.copyOf(waitFound, capacity);
  }
}
