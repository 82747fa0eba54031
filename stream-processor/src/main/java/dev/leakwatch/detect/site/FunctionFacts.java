package dev.leakwatch.detect.site;

import dev.leakwatch.detect.BoundedMemo;
import dev.leakwatch.detect.WaitReason;

/**
 * What {@link FrameRules} says about one Go function name, worked out once per process rather than
 * once per stack entry: a busy heap profile has thousands of stack entries but a few hundred
 * distinct functions, and every capture of a fleet repeats the same names.
 *
 * <p>Instances are shared: {@link #of} returns the same object for the same name while it stays in
 * the bounded cache, so code holding them may compare by reference first. Equality is by name,
 * which keeps comparisons right across a cache reset. Immutable and thread-safe.
 */
final class FunctionFacts {
  // Each entry holds a function name (~50-100 bytes): 50,000 names is a few MB at most.
  private static final BoundedMemo<String, FunctionFacts> CACHE = new BoundedMemo<>(50_000);

  final String name;
  final int hash;
  /** A 64-bit hash of the name (FNV-1a over its chars), for identity hashes that span many names. */
  final long hash64;
  /** {@link FrameRules#isMachinery}. */
  final boolean machinery;
  /** Neither machinery nor standard library: the program's own code. */
  final boolean ownCode;
  /** {@link FrameRules#waitReasonOf}; null when the frame says nothing about a wait. */
  final WaitReason waitReason;

  /** A file and the {@link StackIds#functionHash} of this function in it. */
  private record FileHash(String file, long hash) {}

  // The function's StackIds hash in the file it was last seen in: hashing name and file char by char
  // for every function of every profile cost more than reading the profile's stacks. Almost every
  // function lives in one file, so one entry serves; a racing thread may replace it with an equal
  // or another valid entry (immutable records: no torn reads).
  private volatile FileHash fileHash;

  private FunctionFacts(String name) {
    this.name = name;
    this.hash = name.hashCode();
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    this.hash64 = h;
    this.machinery = FrameRules.isMachinery(name);
    this.ownCode = !machinery && !FrameRules.isStandardLibrary(name);
    this.waitReason = FrameRules.waitReasonOf(name);
  }

  /** The facts of a function name; never null. */
  static FunctionFacts of(String name) {
    return CACHE.get(name, FunctionFacts::new);
  }

  /** {@link StackIds#functionHash}{@code (name, file)}, remembered for the last file asked. */
  long functionHash(String file) {
    FileHash last = fileHash;
    if (last != null && last.file().equals(file)) {
      return last.hash();
    }
    long h = StackIds.functionHash(name, file);
    fileHash = new FileHash(file, h);
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof FunctionFacts f && f.hash == hash && f.name.equals(name));
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
