package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which repeats of a failure the processor logs: the first in full, then a count at most a minute. */
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
}
