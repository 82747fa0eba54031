package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.leakwatch.pprof.testing.Bytes;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What a decoded profile shares with anything else: not the caller's input, not the per-thread
 * scratch the decoder reuses, and its lazily made parts (strings, lines, frames) are the same for
 * every thread that reads them first. Real Go profiles from the recorded corpus.
 */
class DecodeIsolationTest {

  /** Every string, line and label of the profile, read through the public API. */
  private static List<Object> everything(Profile p) {
    List<Object> out = new ArrayList<>();
    for (Function f : p.functions()) {
      out.add(f.name() + "|" + f.systemName() + "|" + f.file() + "|" + f.startLine());
    }
    for (Location l : p.locations()) {
      out.add(l.lines());
      out.add(l.frames());
    }
    for (Sample s : p.samples()) {
      out.add(s.stack());
      out.add(s.labels());
      out.add(s.numLabels());
      out.add(s.numUnits());
      out.add(s.depth());
    }
    for (Mapping m : p.mappings()) {
      out.add(m.file() + "|" + m.buildId());
    }
    out.add(p.sampleTypes());
    out.add(p.periodType());
    return out;
  }

  @Test
  void shouldNotDependOnThePlainInputArrayAfterDecoding() {
    byte[] plain = Bytes.gunzip(ProfileFixtures.largestBytes("heap"));
    List<Object> expected = everything(ProfileDecoder.decode(plain.clone()));
    Profile decoded = ProfileDecoder.decode(plain);
    Arrays.fill(plain, (byte) 'x');
    assertEquals(expected, everything(decoded));
  }

  @Test
  void shouldDecodeEachProfileAloneWhateverTheThreadDecodedBefore() throws Exception {
    List<byte[]> inputs = List.of(ProfileFixtures.largestBytes("heap"),
        ProfileFixtures.largestBytes("goroutine"), ProfileFixtures.largestBytes("allocs"));
    List<List<Object>> alone = new ArrayList<>();
    for (byte[] in : inputs) {
      alone.add(onNewThread(() -> everything(ProfileDecoder.decode(in))));
    }
    // one thread, each profile decoded after the others (a large one before a small one and back)
    List<Profile> decoded = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      for (byte[] in : inputs) {
        decoded.add(ProfileDecoder.decode(in));
      }
    }
    for (int i = 0; i < decoded.size(); i++) {
      assertEquals(alone.get(i % inputs.size()), everything(decoded.get(i)), "decode " + i);
    }
  }

  @Test
  void shouldGiveEveryThreadTheSameLinesAndEqualStringsOfOneDecodedProfile() throws Exception {
    byte[] gz = ProfileFixtures.largestBytes("heap");
    List<Object> expected = everything(ProfileDecoder.decode(gz));
    Profile shared = ProfileDecoder.decode(gz);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Object>>> seen = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        seen.add(pool.submit(() -> {
          start.await();
          return everything(shared);
        }));
      }
      for (Future<List<Object>> f : seen) {
        assertEquals(expected, f.get());
      }
      for (Location l : shared.locations()) {
        assertSame(l.lines(), l.lines());
        assertSame(l.frames(), l.frames());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T onNewThread(Callable<T> task) throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      return one.submit(task).get();
    } finally {
      one.shutdownNow();
    }
  }
}
