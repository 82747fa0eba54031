package dev.leakwatch.detect.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class SiteIdMemoTest {

  /** A supplier that counts its calls and answers {@code id}. */
  private static final class Counting implements LongSupplier {
    final AtomicInteger calls = new AtomicInteger();
    final long id;

    Counting(long id) {
      this.id = id;
    }

    @Override
    public long getAsLong() {
      calls.incrementAndGet();
      return id;
    }
  }

  @Test
  void shouldComputeOnceAndAnswerFromTheMemoAfter() {
    SiteIdMemo memo = new SiteIdMemo();
    Counting compute = new Counting(42);
    assertEquals(42, memo.id(7, 8, 1, compute));
    assertEquals(42, memo.id(7, 8, 1, compute));
    assertEquals(1, compute.calls.get());
  }

  @Test
  void shouldTellApartKeysThatShareAHashButNotTheSecondHashOrTheTag() {
    SiteIdMemo memo = new SiteIdMemo();
    assertEquals(1, memo.id(7, 8, 0, new Counting(1)));
    assertEquals(2, memo.id(7, 9, 0, new Counting(2)), "other second hash: another identity");
    assertEquals(3, memo.id(7, 8, 1, new Counting(3)), "other tag: another kind or wait");
    assertEquals(1, memo.id(7, 8, 0, new Counting(-1)));
    assertEquals(2, memo.id(7, 9, 0, new Counting(-1)));
    assertEquals(3, memo.id(7, 8, 1, new Counting(-1)));
  }

  @Test
  void shouldStayCorrectWhenFarMoreKeysThanEntriesCompeteForTheSameNeighbourhood() {
    SiteIdMemo memo = new SiteIdMemo();
    // one hash, many second hashes: every key has the same home entry, so all but PROBES are evicted
    int keys = SiteIdMemo.PROBES * 5;
    for (int round = 0; round < 3; round++) {
      for (long k = 0; k < keys; k++) {
        assertEquals(1000 + k, memo.id(99, k, 0, new Counting(1000 + k)), "key " + k);
      }
    }
    // many distinct keys: answers stay those of the function, whatever was evicted
    for (long k = 0; k < 4L * SiteIdMemo.ENTRIES; k++) {
      long h = k * 0x9E3779B97F4A7C15L;
      assertEquals(k, memo.id(h, ~h, k & 3, new Counting(k)));
    }
    for (long k = 0; k < 4L * SiteIdMemo.ENTRIES; k += 97) {
      long h = k * 0x9E3779B97F4A7C15L;
      assertEquals(k, memo.id(h, ~h, k & 3, new Counting(k)));
    }
  }

  @Test
  void shouldKeepOneMemoPerThread() throws Exception {
    SiteIdMemo mine = SiteIdMemo.forThisThread();
    assertSame(mine, SiteIdMemo.forThisThread());
    SiteIdMemo[] other = new SiteIdMemo[1];
    Thread t = new Thread(() -> other[0] = SiteIdMemo.forThisThread());
    t.start();
    t.join();
    assertEquals(false, mine == other[0]);
  }
}
