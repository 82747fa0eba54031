package dev.leakwatch.detect.site;

import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.pprof.Location;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.pprof.SampleTable;

/**
 * What detection and the windows need to know about every stack of one decoded profile, worked out
 * once: each sample's {@link StackIds stack id}, its locations as small slot numbers, and the frame
 * to blame for it ({@link FrameRules#blamedIndex}).
 *
 * <p>Per-location facts (function classification, frame hashes, what the frames say about a wait) are
 * computed once per location, so the cost per stack entry is a few array reads: a typical heap profile
 * has thousands of stack entries over a few hundred locations. Samples are numbered as in
 * {@link Profile#samples()}.
 *
 * <p>Not thread-safe while being built; immutable and safe to share once {@link #of} returns.
 */
public final class ProfileStacks {

  private final Profile profile;
  private final SampleTable samples;
  private final LocationFacts locations;
  // per sample i: slots flat[from[i] .. from[i + 1]), leaf first
  private final int[] flat;
  private final int[] from;
  private final long[] stackIds;
  private final int[] blamedLocation;
  private final int[] blamedFrame;
  private final long[] identityHashes;
  private final long[] identityHashes2;

  private ProfileStacks(Profile profile) {
    this.profile = profile;
    this.samples = profile.sampleTable();
    this.locations = new LocationFacts(profile);
    int n = samples.size();
    this.from = new int[n + 1];
    this.stackIds = new long[n];
    this.blamedLocation = new int[n];
    this.blamedFrame = new int[n];
    this.identityHashes = new long[n];
    this.identityHashes2 = new long[n];
    for (int i = 0; i < n; i++) {
      from[i + 1] = from[i] + samples.locationCount(i);
    }
    this.flat = new int[from[n]]; // exactly: growing it cost more than counting
  }

  /** The stacks of {@code profile}: one pass over its samples for their slots, one over the slots. */
  public static ProfileStacks of(Profile profile) {
    ProfileStacks s = new ProfileStacks(profile);
    s.readSlots();
    for (int i = 0; i < s.samples.size(); i++) {
      s.read(i);
    }
    s.locations.done();
    return s;
  }

  /** First pass: every sample's locations as slots; kept apart so that each loop stays short. */
  private void readSlots() {
    // A decoded profile's entries come as location ids, which are the slots: no Location to fetch
    // per entry (they are spread over the heap), no lookup.
    if (locations.tableSlotsAreIds() && samples.copyLocationIds(flat)) {
      return;
    }
    for (int i = 0; i < samples.size(); i++) {
      int at = from[i];
      int n = from[i + 1] - at;
      int[] out = flat;
      for (int k = 0; k < n; k++) {
        Location l = samples.location(i, k);
        int slot = locations.learntSlot(l);
        out[at + k] = slot >= 0 ? slot : locations.slotOf(l); // only a location from outside the table
      }
    }
  }

  /** The profile these stacks are of. */
  public Profile profile() {
    return profile;
  }

  /** Number of samples (as in {@link Profile#samples()}). */
  public int sampleCount() {
    return stackIds.length;
  }

  /** {@link StackIds#of} the stack of sample {@code i}. */
  public long stackId(int i) {
    return stackIds[i];
  }

  /** Sample {@code i} itself. */
  public Sample sample(int i) {
    return samples.sample(i);
  }

  /** Second pass over sample {@code i}'s slots: its stack id, blamed frame and identity hash. */
  private void read(int i) {
    int[] slots = flat;
    int start = from[i];
    int n = from[i + 1] - start;
    // The blamed frame: the first of the program's own code, else the first that is not machinery,
    // else the leaf. Found first, in a short loop of its own (own code is near the leaf), so that
    // the hashing loop below has no decisions left but the rare inlined location.
    int bk = 0;
    int bj = 0;
    boolean other = false;
    for (int k = 0; k < n; k++) {
      int slot = slots[start + k];
      int own = locations.firstOwn(slot);
      if (own >= 0) {
        bk = k;
        bj = own;
        break;
      }
      if (!other && locations.firstNonMachinery(slot) >= 0) {
        bk = k;
        bj = locations.firstNonMachinery(slot);
        other = true;
      }
    }
    long h = StackIds.OFFSET_BASIS;
    // Polynomial hashes of the function names, frame by frame, over two bases (two independent
    // 64-bit hashes of the same names): the hash of the names from the blamed frame to the root
    // follows from the running value just before the blamed frame (at frame position blamedAt)
    // and the final one, without a second walk.
    long names = 0;
    long names2 = 0;
    long beforeBlamed = 0;
    long beforeBlamed2 = 0;
    int blamedAt = 0;
    int frames = 0;
    for (int k = 0; k < n; k++) {
      int slot = slots[start + k];
      if (locations.frameCount(slot) == 1) { // no inlining: the common case
        if (k == bk) {
          beforeBlamed = names;
          beforeBlamed2 = names2;
          blamedAt = frames;
        }
        h = StackIds.step(h, locations.frameHash0(slot));
        long name = locations.nameHash0(slot);
        names = names * NAME_BASE + name;
        names2 = names2 * NAME_BASE_2 + name;
        frames++;
        continue;
      }
      long[] hashes = locations.frameHashes(slot);
      long[] nameHash = locations.nameHashes(slot);
      for (int j = 0; j < hashes.length; j++) {
        if (k == bk && j == bj) {
          beforeBlamed = names;
          beforeBlamed2 = names2;
          blamedAt = frames;
        }
        h = StackIds.step(h, hashes[j]);
        names = names * NAME_BASE + nameHash[j];
        names2 = names2 * NAME_BASE_2 + nameHash[j];
        frames++;
      }
    }
    stackIds[i] = StackIds.finish(h);
    blamedLocation[i] = bk;
    blamedFrame[i] = bj;
    int after = frames - blamedAt;
    identityHashes[i] = names - beforeBlamed * (after < POWERS ? POWER_1[after] : power(NAME_BASE, after));
    identityHashes2[i] = names2 - beforeBlamed2 * (after < POWERS ? POWER_2[after] : power(NAME_BASE_2, after));
  }

  // odd, unrelated bases: two evaluations of the names' polynomial at different points
  private static final long NAME_BASE = 0x9E3779B97F4A7C15L;
  private static final long NAME_BASE_2 = 0xC2B2AE3D27D4EB4FL;
  // the bases' powers for identities of up to POWERS - 1 frames (nearly all), computed beyond
  private static final int POWERS = 256;
  private static final long[] POWER_1 = powers(NAME_BASE);
  private static final long[] POWER_2 = powers(NAME_BASE_2);

  private static long[] powers(long base) {
    long[] p = new long[POWERS];
    p[0] = 1;
    for (int e = 1; e < POWERS; e++) {
      p[e] = p[e - 1] * base;
    }
    return p;
  }

  private static long power(long base, int exponent) {
    long result = 1;
    long b = base;
    for (int e = exponent; e > 0; e >>>= 1) {
      if ((e & 1) != 0) {
        result *= b;
      }
      b *= b;
    }
    return result;
  }

  // ---- for SiteGrouper: the site identity is the functions from the blamed frame to the root

  /** Number of locations in sample {@code i}'s stack. */
  int locationCount(int i) {
    return from[i + 1] - from[i];
  }

  /** The slot of the {@code k}-th location (leaf first) of sample {@code i}. */
  int slot(int i, int k) {
    return flat[from[i] + k];
  }

  /** The flat slot array; sample {@code i} occupies {@code [start(i), start(i) + locationCount(i))}. */
  int[] flatSlots() {
    return flat;
  }

  int start(int i) {
    return from[i];
  }

  /**
   * A 64-bit hash of sample {@code i}'s function names from the blamed frame to the root (equal
   * names give equal hashes; unequal names almost always differ, but callers must compare them).
   */
  long identityHash(int i) {
    return identityHashes[i];
  }

  /**
   * A second 64-bit hash of the same names as {@link #identityHash}, computed over another base: two
   * different identities agree on both only by a coincidence of about one in 2^128, far rarer than two
   * sites sharing a 64-bit {@link dev.leakwatch.detect.Site#id()}.
   */
  long identityHash2(int i) {
    return identityHashes2[i];
  }

  /** Location (leaf first) holding the blamed frame of sample {@code i}. */
  int blamedLocation(int i) {
    return blamedLocation[i];
  }

  /** Index of the blamed frame within that location's frames. */
  int blamedFrame(int i) {
    return blamedFrame[i];
  }

  /** The facts of a slot's frames, callee first. */
  FunctionFacts[] facts(int slot) {
    return locations.facts(slot);
  }

  /**
   * What sample {@code i}'s goroutines wait on: the first frame from the leaf that names a wait,
   * unless a frame that is not machinery comes first; {@link WaitReason#OTHER} otherwise.
   */
  WaitReason waitReason(int i) {
    for (int k = from[i]; k < from[i + 1]; k++) {
      int slot = flat[k];
      if (locations.wait(slot) != null) {
        return locations.wait(slot);
      }
      if (locations.endsWaitSearch(slot)) {
        break; // waits are expressed by the machinery at the top of the stack only
      }
    }
    return WaitReason.OTHER;
  }


}
