package dev.leakwatch.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which repeats of a failure are logged: the first in full, then a count at most a minute, the rest at close. */
class RepeatedFailuresTest {

  @Test
  void shouldLogTheFirstThenACountAMinuteWhenAFailureRepeats() {
    AtomicLong nanos = new AtomicLong();
    RepeatedFailures repeated = new RepeatedFailures(nanos::get);

    assertEquals(-1, repeated.occurred("stage decode java.lang.IllegalStateException"), "the first: in full");
    assertEquals(-1, repeated.occurred("stage detect java.lang.IllegalStateException"), "another kind: in full");
    for (int i = 0; i < 1000; i++) {
      nanos.addAndGet(RepeatedFailures.EVERY.toNanos() / 1000 - 1);
      assertEquals(0, repeated.occurred("stage decode java.lang.IllegalStateException"), "within the minute");
    }
    nanos.addAndGet(1000);
    assertEquals(1001, repeated.occurred("stage decode java.lang.IllegalStateException"), "a minute on: the count");
    assertEquals(0, repeated.occurred("stage decode java.lang.IllegalStateException"), "counted afresh");
  }

  @Test
  void shouldHandOutTheUnloggedCountsOnceWhenDrainedAfterFailuresStopWithinTheMinute() {
    AtomicLong nanos = new AtomicLong();
    RepeatedFailures repeated = new RepeatedFailures(nanos::get);
    repeated.occurred("record_too_large");
    repeated.occurred("invalid_topic");
    for (int i = 0; i < 5; i++) {
      repeated.occurred("record_too_large");
    }

    assertEquals(Map.of("record_too_large", 5L), repeated.drain(), "the first of each was logged in full");
    assertEquals(Map.of(), repeated.drain(), "nothing twice");
    nanos.addAndGet(RepeatedFailures.EVERY.toNanos());
    assertEquals(1, repeated.occurred("record_too_large"), "after a drain the count starts afresh");
  }
}
