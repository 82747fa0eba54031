package dev.leakwatch.topology.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodedWindowsTest {

  private static ServiceWindow windowWith(long goroutines) {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("a", true, 0, List.of(StackValues.goroutine(7, goroutines)), Map.of()), 10);
    return w;
  }

  @Test
  void shouldHandBackTheWindowItSawWrittenWhenTheStoreReturnsItsBytesOrACopy() {
    DecodedWindows cache = new DecodedWindows(4);
    ServiceWindow w = windowWith(3);
    byte[] bytes = w.toBytes();
    cache.written("svc", 1000, w, bytes);
    assertSame(w, cache.open("svc", 1000, bytes));

    cache.written("svc", 1000, w, bytes);
    // Kafka Streams' stores hand back a copy of what they were given
    assertSame(w, cache.open("svc", 1000, bytes.clone()));
  }

  @Test
  void shouldDecodeStoredBytesThatDifferFromWhatItSawWritten() {
    DecodedWindows cache = new DecodedWindows(4);
    ServiceWindow w = windowWith(3);
    cache.written("svc", 1000, w, w.toBytes());

    // another processor instance wrote the window since, or an older value was restored
    byte[] other = windowWith(5).toBytes();
    ServiceWindow restored = cache.open("svc", 1000, other);
    assertNotSame(w, restored);
    assertEquals(5, restored.goroutineStacks().get(7L).goroutines());
    assertArrayEquals(other, restored.toBytes());
  }

  @Test
  void shouldNotReuseAWindowOfAnotherStartOrAfterItWasOpenedWithoutBeingWritten() {
    DecodedWindows cache = new DecodedWindows(4);
    ServiceWindow w = windowWith(3);
    byte[] bytes = w.toBytes();
    cache.written("svc", 1000, w, bytes);

    assertNotSame(w, cache.open("svc", 2000, bytes), "another window start");
    // opening hands the object out for change: until written again, it is not handed out twice
    cache.written("svc", 1000, w, bytes);
    assertSame(w, cache.open("svc", 1000, bytes));
    assertNotSame(w, cache.open("svc", 1000, bytes));
  }

  @Test
  void shouldForgetTheLeastRecentlyUsedServiceBeyondItsBound() {
    DecodedWindows cache = new DecodedWindows(2);
    ServiceWindow a = windowWith(1);
    byte[] aBytes = a.toBytes();
    cache.written("a", 0, a, aBytes);
    cache.written("b", 0, windowWith(2), windowWith(2).toBytes());
    cache.written("c", 0, windowWith(3), windowWith(3).toBytes());

    ServiceWindow back = cache.open("a", 0, aBytes);
    assertNotSame(a, back);
    assertEquals(1, back.goroutineStacks().get(7L).goroutines());
  }

  @Test
  void shouldStartANewWindowWhenNothingIsStored() {
    DecodedWindows cache = new DecodedWindows(2);
    assertEquals(0, cache.open("a", 0, null).goroutineCaptures());
  }
}
