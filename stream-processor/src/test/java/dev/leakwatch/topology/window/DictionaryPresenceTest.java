package dev.leakwatch.topology.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DictionaryPresenceTest {

  @Test
  void shouldHoldAStackOnlyForTheServiceItWasAddedFor() {
    DictionaryPresence p = new DictionaryPresence(10);
    p.add("a", 7);

    assertTrue(p.holds("a", 7));
    assertFalse(p.holds("b", 7));
    assertFalse(p.holds("a", 8));
  }

  @Test
  void shouldForgetOneServiceAndKeepTheOthers() {
    DictionaryPresence p = new DictionaryPresence(10);
    p.add("a", 1);
    p.add("a", 2);
    p.add("b", 1);

    p.forget("a");

    assertFalse(p.holds("a", 1));
    assertFalse(p.holds("a", 2));
    assertTrue(p.holds("b", 1));
    assertEquals(1, p.size());
  }

  @Test
  void shouldCountAStackAddedTwiceOnce() {
    DictionaryPresence p = new DictionaryPresence(10);
    p.add("a", 1);
    p.add("a", 1);

    assertEquals(1, p.size());
  }

  @Test
  void shouldStartAgainEmptyWhenFullRatherThanGrow() {
    DictionaryPresence p = new DictionaryPresence(3);
    p.add("a", 1);
    p.add("a", 2);
    p.add("b", 3);

    p.add("c", 4);

    assertEquals(1, p.size());
    assertTrue(p.holds("c", 4));
    assertFalse(p.holds("a", 1));
    assertFalse(p.holds("b", 3));
  }

  @Test
  void shouldRefuseABoundBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new DictionaryPresence(0));
  }
}
