package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackValues;
import dev.leakwatch.topology.window.WindowContribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodedStatesTest {

  private static ServiceWindow windowWith(long goroutines) {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("a", true, 0, List.of(StackValues.goroutine(7, goroutines)), Map.of()), 10);
    return w;
  }

  @Test
  void shouldHandBackTheObjectItSawWrittenWhenTheStoreReturnsItsBytesOrACopy() {
    DecodedStates<ServiceWindow> cache = new DecodedStates<>(4, 1 << 20);
    ServiceWindow w = windowWith(3);
    byte[] bytes = w.toBytes();
    cache.written("svc", 1000, w, bytes);
    assertSame(w, cache.take("svc", 1000, bytes));

    cache.written("svc", 1000, w, bytes);
    // Kafka Streams' stores hand back a copy of what they were given
    assertSame(w, cache.take("svc", 1000, bytes.clone()));
  }

  @Test
  void shouldHandBackNothingForStoredBytesThatDifferFromWhatItSawWritten() {
    DecodedStates<ServiceWindow> cache = new DecodedStates<>(4, 1 << 20);
    ServiceWindow w = windowWith(3);
    cache.written("svc", 1000, w, w.toBytes());

    // another processor instance wrote the value since, or an older one was restored
    assertNull(cache.take("svc", 1000, windowWith(5).toBytes()));
    cache.written("svc", 1000, w, w.toBytes());
    assertNull(cache.take("svc", 1000, null), "nothing stored any more");
  }

  @Test
  void shouldNotReuseAnObjectOfAnotherTagOrAfterItWasTakenWithoutBeingWritten() {
    DecodedStates<ServiceWindow> cache = new DecodedStates<>(4, 1 << 20);
    ServiceWindow w = windowWith(3);
    byte[] bytes = w.toBytes();
    cache.written("svc", 1000, w, bytes);

    assertNull(cache.take("svc", 2000, bytes), "another window start");
    // taking hands the object out for change: until written again, it is not handed out twice
    cache.written("svc", 1000, w, bytes);
    assertSame(w, cache.take("svc", 1000, bytes));
    assertNull(cache.take("svc", 1000, bytes));
    assertEquals(0, cache.size());
    assertEquals(0, cache.bytes());
  }

  @Test
  void shouldForgetTheLeastRecentlyUsedKeyBeyondItsCount() {
    DecodedStates<ServiceWindow> cache = new DecodedStates<>(2, 1 << 20);
    ServiceWindow a = windowWith(1);
    byte[] aBytes = a.toBytes();
    cache.written("a", 0, a, aBytes);
    cache.written("b", 0, windowWith(2), windowWith(2).toBytes());
    cache.written("c", 0, windowWith(3), windowWith(3).toBytes());

    assertNull(cache.take("a", 0, aBytes));
    assertEquals(2, cache.size());
  }

  @Test
  void shouldForgetTheLeastRecentlyUsedKeysBeyondItsBytesAndNeverKeepAValueLargerThanThem() {
    DecodedStates<String> cache = new DecodedStates<>(100, 250);
    byte[] hundred = new byte[100];
    cache.written("a", 0, "A", hundred.clone());
    cache.written("b", 0, "B", hundred.clone());
    assertSame("A", cache.take("a", 0, hundred));
    cache.written("a", 0, "A", hundred.clone()); // now b is the least recently used
    cache.written("c", 0, "C", hundred.clone());

    assertEquals(2, cache.size());
    assertEquals(200, cache.bytes());
    assertNull(cache.take("b", 0, hundred));
    assertSame("C", cache.take("c", 0, hundred));

    cache.written("huge", 0, "H", new byte[251]);
    assertNull(cache.take("huge", 0, new byte[251]));
    assertSame("A", cache.take("a", 0, hundred), "a value too large to keep evicts nothing");
    assertEquals(0, cache.bytes());
  }
}
