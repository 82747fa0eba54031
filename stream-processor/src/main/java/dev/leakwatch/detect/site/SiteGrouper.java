package dev.leakwatch.detect.site;

import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.WaitReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Folds the samples of one profile into sites: the per-sample half of {@link SiteExtractor}.
 *
 * <p>Same result as applying {@link FrameRules} to each sample's frames and grouping by
 * {@link Site#keyOf}, computed without per-sample strings: {@link ProfileStacks} has already found
 * each sample's blamed frame and hashed its identity (the function names from there to the root);
 * samples with equal hashes are compared by reference ({@link FunctionFacts} are shared), and the
 * {@link Site} (its frames) is built only when asked for ({@link SiteValue#site()}). Site ids come
 * from a per-thread memo ({@link SiteIdMemo}) keyed by the identity hash and checked against a
 * second, independent hash of the same names, so the SHA-256 behind {@link Site#id()} runs once per
 * distinct site and thread.
 *
 * <p>Not thread-safe: one per profile.
 */
final class SiteGrouper {
  private final SuspectKind kind;
  private final ProfileStacks stacks;
  // groups, in first-seen order, found through an open-addressing table of group index + 1
  private final List<Group> groups = new ArrayList<>();
  private int[] table = new int[256];
  private final SiteIdMemo memo = SiteIdMemo.forThisThread();
  // what the memo's entries were touched for; kept so that the reads are not dropped
  private long touched;

  private static final class Group {
    final long hash;
    final WaitReason wait;
    final int sample;
    long sum;
    long alloc;

    Group(long hash, WaitReason wait, int sample) {
      this.hash = hash;
      this.wait = wait;
      this.sample = sample;
    }
  }

  SiteGrouper(SuspectKind kind, ProfileStacks stacks) {
    this.kind = kind;
    this.stacks = stacks;
  }

  /** Adds sample {@code i}'s value to its site; samples with an empty stack or a negative value are skipped. */
  void add(int i, long value) {
    add(i, value, CaptureSnapshot.ABSENT);
  }

  /**
   * As {@link #add(int, long)}, with the sample's cumulative allocated bytes ({@link CaptureSnapshot#ABSENT}
   * when the kind has none): a site's allocations are unknown once any of its samples' are.
   */
  void add(int i, long value, long allocBytes) {
    int n = stacks.locationCount(i);
    if (n == 0 || value < 0) {
      return;
    }
    WaitReason wait = kind == SuspectKind.GOROUTINE ? stacks.waitReason(i) : null;
    long h = stacks.identityHash(i) * 31 + (wait == null ? 0 : wait.ordinal() + 1);
    Group g = find(h, wait, i);
    if (g == null) {
      g = new Group(h, wait, i);
      insert(g);
    }
    g.sum += value;
    g.alloc = g.alloc < 0 || allocBytes < 0 ? CaptureSnapshot.ABSENT : g.alloc + allocBytes;
  }

  /** One value per site, in the order the sites were first met. */
  List<SiteValue> values() {
    long t = 0;
    for (Group g : groups) {
      t ^= memo.touch(g.hash); // all the memo's cache misses at once (see SiteIdMemo#touch)
    }
    touched = t;
    List<SiteValue> out = new ArrayList<>(groups.size());
    for (Group g : groups) {
      out.add(SiteValue.lazy(siteId(g), g.sum, g.alloc, () -> site(g)));
    }
    return out;
  }

  private Group find(long h, WaitReason wait, int sample) {
    int mask = table.length - 1;
    for (int i = mix(h) & mask; table[i] != 0; i = (i + 1) & mask) {
      Group g = groups.get(table[i] - 1);
      if (g.hash == h && g.wait == wait && sameIdentity(g.sample, sample)) {
        return g;
      }
    }
    return null;
  }

  private void insert(Group g) {
    groups.add(g);
    if (groups.size() * 2 > table.length) {
      table = new int[table.length * 2];
      for (int i = 0; i < groups.size(); i++) {
        place(groups.get(i).hash, i + 1);
      }
    } else {
      place(g.hash, groups.size());
    }
  }

  private void place(long h, int entry) {
    int mask = table.length - 1;
    int i = mix(h) & mask;
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = entry;
  }

  private static int mix(long h) {
    return (int) (h ^ (h >>> 32));
  }

  /** Whether two samples' function names from the blamed frame to the root are the same, reference first. */
  private boolean sameIdentity(int a, int b) {
    int ak = stacks.blamedLocation(a);
    int an = stacks.locationCount(a);
    int bk = stacks.blamedLocation(b);
    int bn = stacks.locationCount(b);
    int[] flat = stacks.flatSlots();
    int as = stacks.start(a);
    int bs = stacks.start(b);
    if (stacks.blamedFrame(a) == stacks.blamedFrame(b) && an - ak == bn - bk
        && Arrays.equals(flat, as + ak, as + an, flat, bs + bk, bs + bn)) {
      return true; // the same locations from the blamed frame on: the same functions
    }
    // the same functions through other locations (other lines), or a hash collision: compare names
    return sameFunctions(a, b);
  }

  /** Whether two samples' functions from the blamed frame to the root are the same, walking both at once. */
  private boolean sameFunctions(int a, int b) {
    int ak = stacks.blamedLocation(a);
    int bk = stacks.blamedLocation(b);
    int an = stacks.locationCount(a);
    int bn = stacks.locationCount(b);
    FunctionFacts[] af = stacks.facts(stacks.slot(a, ak));
    FunctionFacts[] bf = stacks.facts(stacks.slot(b, bk));
    int aj = stacks.blamedFrame(a);
    int bj = stacks.blamedFrame(b);
    while (true) {
      if (aj == af.length) { // next location of a
        if (++ak == an) {
          break;
        }
        af = stacks.facts(stacks.slot(a, ak));
        aj = 0;
        continue;
      }
      if (bj == bf.length) {
        if (++bk == bn) {
          return false; // b ended first
        }
        bf = stacks.facts(stacks.slot(b, bk));
        bj = 0;
        continue;
      }
      if (af[aj] != bf[bj] && !af[aj].equals(bf[bj])) {
        return false;
      }
      aj++;
      bj++;
    }
    // a ended: b must end too (every location has at least one frame)
    return bj == bf.length && bk == bn - 1;
  }

  /** {@link Site#id()} of a group's site, without building the site (memoized per thread, see {@link SiteIdMemo}). */
  private long siteId(Group g) {
    long tag = (long) kind.ordinal() << 8 | (g.wait == null ? 0 : g.wait.ordinal() + 1);
    return memo.id(g.hash, stacks.identityHash2(g.sample), tag, () -> {
      List<String> names = new ArrayList<>();
      for (FunctionFacts f : identity(g.sample)) {
        names.add(f.name);
      }
      return Site.idOf(Site.keyOf(kind, g.wait, names));
    });
  }

  /** The facts of a sample's functions from the blamed frame to the root. */
  private FunctionFacts[] identity(int sample) {
    List<FunctionFacts> out = new ArrayList<>();
    int bk = stacks.blamedLocation(sample);
    for (int k = bk, n = stacks.locationCount(sample); k < n; k++) {
      FunctionFacts[] f = stacks.facts(stacks.slot(sample, k));
      for (int j = k == bk ? stacks.blamedFrame(sample) : 0; j < f.length; j++) {
        out.add(f[j]);
      }
    }
    return out.toArray(new FunctionFacts[0]);
  }

  private Site site(Group g) {
    int blamed = stacks.blamedFrame(g.sample);
    for (int k = 0; k < stacks.blamedLocation(g.sample); k++) {
      blamed += stacks.facts(stacks.slot(g.sample, k)).length;
    }
    return new Site(kind, SiteFrame.of(stacks.sample(g.sample).stack()), blamed, g.wait);
  }
}
